package addr

import (
	"fmt"

	"github.com/vmkata/vmkata/vm"
)

// Split cuts va into its virtual page number and its offset within the base
// page: vpn = (va mod 2^VABits) >> OffsetBits, offset = va mod 2^OffsetBits.
// This is the first step of every translation: the VPN is what the TLB and
// the page table look up, the offset passes through unchanged.
//
// In a sign-extended geometry va must be canonical (else the error wraps
// vm.ErrNonCanonical); in any other, the bits above VABits must be zero
// (else vm.ErrOutOfRange). An invalid geometry wraps vm.ErrInvalidConfig.
func Split(g vm.Geometry, va vm.VAddr) (vm.VPN, uint64, error) {
	if err := checkAddr(g, va); err != nil {
		return 0, 0, err
	}
	low := uint64(va) & mask(uint(g.VABits))
	return vm.VPN(low >> g.OffsetBits), low & mask(uint(g.OffsetBits)), nil
}

// Join is the inverse of Split: it puts vpn and offset back together and
// returns the canonical address (sign-extended from bit VABits-1 in a
// sign-extended geometry). vpn must be below 2^(VABits-OffsetBits) and
// offset below the page size; otherwise the error wraps vm.ErrOutOfRange.
func Join(g vm.Geometry, vpn vm.VPN, offset uint64) (vm.VAddr, error) {
	if err := Validate(g); err != nil {
		return 0, err
	}
	vpnBits := uint(g.VABits - g.OffsetBits)
	if uint64(vpn) > mask(vpnBits) {
		return 0, fmt.Errorf("addr: join %v: vpn has more than %d bits in %v: %w", vpn, vpnBits, g, vm.ErrOutOfRange)
	}
	if offset > mask(uint(g.OffsetBits)) {
		return 0, fmt.Errorf("addr: join offset %#x: not below the page size %v of %v: %w", offset, g.PageSize(), g, vm.ErrOutOfRange)
	}
	return Canonical(g, vm.VAddr(uint64(vpn)<<g.OffsetBits|offset)), nil
}

// Index returns va's index into the page-table node at the given level
// (root = g.Levels, last table = 1): the LevelBits of that level, taken from
// just above the bits of the levels below it. A level outside 1..g.Levels
// wraps vm.ErrOutOfRange; va is checked as by Split.
func Index(g vm.Geometry, va vm.VAddr, level int) (int, error) {
	if err := checkAddr(g, va); err != nil {
		return 0, err
	}
	if level < 1 || level > int(g.Levels) {
		return 0, fmt.Errorf("addr: index of level %d: %v has levels 1..%d: %w", level, g, g.Levels, vm.ErrOutOfRange)
	}
	shift := uint(g.OffsetBits)
	for l := 1; l < level; l++ {
		shift += uint(g.LevelBits[int(g.Levels)-l])
	}
	return int(uint64(va) >> shift & mask(uint(g.LevelBits[int(g.Levels)-level]))), nil
}

// Indices returns va's index at every level, root level first: idx[0] is the
// index into the root (level g.Levels), idx[g.Levels-1] the index into the
// last table (level 1). Only idx[:g.Levels] is meaningful; the rest is 0.
// va is checked as by Split.
func Indices(g vm.Geometry, va vm.VAddr) ([vm.MaxLevels]int, error) {
	var idx [vm.MaxLevels]int
	if err := checkAddr(g, va); err != nil {
		return idx, err
	}
	v := uint64(va) >> g.OffsetBits
	for i := int(g.Levels) - 1; i >= 0; i-- { // last table first: its bits are lowest
		b := uint(g.LevelBits[i])
		idx[i] = int(v & mask(b))
		v >>= b
	}
	return idx, nil
}

// IsCanonical reports whether Split accepts va in g: in a sign-extended
// geometry, bits VABits-1 … 63 are all equal; otherwise the bits above VABits
// are all zero. Every address is canonical when VABits is 64 or more.
func IsCanonical(g vm.Geometry, va vm.VAddr) bool { return Canonical(g, va) == va }

// Canonical returns the canonical form of va: in a sign-extended geometry,
// bit VABits-1 copied into every bit above it (0x0000_8000_0000_0000 becomes
// 0xffff_8000_0000_0000 on x86-64); otherwise va with the bits above VABits
// cleared. It keeps the low VABits bits, so Split of the result gives the
// VPN and offset of va's low bits; Canonical(Canonical(va)) ==
// Canonical(va).
func Canonical(g vm.Geometry, va vm.VAddr) vm.VAddr {
	n := uint(g.VABits)
	switch {
	case n >= 64:
		return va
	case g.SignExtended && n > 0:
		return vm.VAddr(int64(uint64(va)<<(64-n)) >> (64 - n))
	default:
		return va & vm.VAddr(mask(n))
	}
}

// LevelSpan returns how many bytes one entry at the given level maps: the
// base page size at level 1, and 2^(index bits of the levels below) times
// that above. On x86-64: level 1 = 4K, 2 = 2M, 3 = 1G, 4 = 512G; a huge page
// at level L is exactly LevelSpan(L) bytes. A level outside 1..g.Levels
// wraps vm.ErrOutOfRange.
func LevelSpan(g vm.Geometry, level int) (vm.PageSize, error) {
	if err := Validate(g); err != nil {
		return 0, err
	}
	if level < 1 || level > int(g.Levels) {
		return 0, fmt.Errorf("addr: span of level %d: %v has levels 1..%d: %w", level, g, g.Levels, vm.ErrOutOfRange)
	}
	shift := uint(g.OffsetBits)
	for l := 1; l < level; l++ {
		shift += uint(g.LevelBits[int(g.Levels)-l])
	}
	return vm.PageSize(1) << shift, nil
}

// checkAddr validates g and then va in g.
func checkAddr(g vm.Geometry, va vm.VAddr) error {
	if err := Validate(g); err != nil {
		return err
	}
	if Canonical(g, va) == va {
		return nil
	}
	if g.SignExtended {
		return &addrError{g: g, va: va, err: vm.ErrNonCanonical}
	}
	return &addrError{g: g, va: va, err: vm.ErrOutOfRange}
}

// addrError reports an address a geometry cannot translate. It formats
// lazily so that building it costs one small allocation.
type addrError struct {
	g   vm.Geometry
	va  vm.VAddr
	err error
}

func (e *addrError) Error() string {
	if e.err == vm.ErrNonCanonical {
		return fmt.Sprintf("addr: %v is not canonical in %v: bits %d..63 must all equal bit %d (canonical form %v): %v",
			e.va, e.g, e.g.VABits, e.g.VABits-1, Canonical(e.g, e.va), e.err)
	}
	return fmt.Sprintf("addr: %v does not fit in the %d-bit address space of %v: %v", e.va, e.g.VABits, e.g, e.err)
}

func (e *addrError) Unwrap() error { return e.err }

// mask returns a value with the low n bits set (all 64 for n >= 64).
func mask(n uint) uint64 {
	if n >= 64 {
		return ^uint64(0)
	}
	return 1<<n - 1
}

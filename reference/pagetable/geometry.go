package pagetable

import (
	"fmt"

	"github.com/vmkata/vmkata/vm"
)

// layout is the address arithmetic of one vm.Geometry, computed once when a
// table is built: where each level's index sits in a virtual address, how
// much one entry of each level maps, and how wide a frame number may be.
//
// Levels are numbered as the Intel manuals and vm.Fault do: the root is
// level g.Levels, the last table (the one whose entries map base pages) is
// level 1. g.LevelBits lists the index widths root first, so level L uses
// g.LevelBits[g.Levels-L].
//
// The package does its own arithmetic (it imports only vm and the standard
// library); reference/addr teaches the same splits on their own.
type layout struct {
	g          vm.Geometry
	levels     int
	shift      [vm.MaxLevels + 1]uint // shift[L]: the lowest address bit of level L's index (shift[1] == OffsetBits)
	bits       [vm.MaxLevels + 1]uint // bits[L]: the width of level L's index
	entryShift uint                   // log2(g.EntryBytes)
	maxPFN     uint64                 // frame numbers must be < maxPFN (1 << (PABits-OffsetBits))
	pageSize   vm.PageSize            // the base page size
}

// newLayout checks g and returns its arithmetic. The rules (the invariant
// vm.Geometry states, plus what an entry can hold):
//   - 1 <= Levels <= vm.MaxLevels, every used LevelBits >= 1;
//   - EntryBytes is 4 (x86-32 style) or 8 (x86-64 style);
//   - OffsetBits + the sum of LevelBits == VABits <= 64 (< 64 when sign-extended);
//   - LevelBits[i] + log2(EntryBytes) <= OffsetBits: one table fits in one frame;
//   - OffsetBits <= PABits, and the frame number PABits-OffsetBits fits the
//     entry's frame field (20 bits in a 4-byte entry, 40 in an 8-byte one).
//
// Errors wrap vm.ErrInvalidConfig.
func newLayout(g vm.Geometry) (layout, error) {
	bad := func(format string, args ...any) (layout, error) {
		return layout{}, fmt.Errorf("pagetable: geometry %v: "+format+": %w", append([]any{g}, append(args, vm.ErrInvalidConfig)...)...)
	}
	if g.Levels < 1 || g.Levels > vm.MaxLevels {
		return bad("%d levels, want 1..%d", g.Levels, vm.MaxLevels)
	}
	var l layout
	switch g.EntryBytes {
	case 4:
		l.entryShift = 2
	case 8:
		l.entryShift = 3
	default:
		return bad("%d-byte entries, want 4 or 8", g.EntryBytes)
	}
	l.g, l.levels, l.pageSize = g, int(g.Levels), g.PageSize()
	total := uint(g.OffsetBits)
	l.shift[1] = uint(g.OffsetBits)
	for level := 1; level <= l.levels; level++ {
		b := uint(g.LevelBits[l.levels-level])
		if b == 0 {
			return bad("level %d has no index bits", level)
		}
		if b+l.entryShift > uint(g.OffsetBits) {
			return bad("a level-%d table of %d %d-byte entries does not fit in a %v frame",
				level, 1<<b, g.EntryBytes, g.PageSize())
		}
		l.shift[level], l.bits[level] = total, b
		total += b
	}
	if total != uint(g.VABits) {
		return bad("offset and index bits add up to %d, but VABits is %d", total, g.VABits)
	}
	if g.VABits > 64 || (g.SignExtended && g.VABits >= 64) {
		return bad("%d-bit virtual addresses do not fit in 64 bits", g.VABits)
	}
	frameBits := 40
	if g.EntryBytes == 4 {
		frameBits = 20
	}
	if g.PABits < g.OffsetBits || int(g.PABits-g.OffsetBits) > frameBits {
		return bad("%d-bit physical addresses need %d-bit frame numbers, a %d-byte entry holds 0..%d",
			g.PABits, int(g.PABits)-int(g.OffsetBits), g.EntryBytes, frameBits)
	}
	l.maxPFN = 1 << (g.PABits - g.OffsetBits)
	return l, nil
}

// index returns the index va selects in a table of the given level.
func (l *layout) index(va vm.VAddr, level int) uint64 {
	return uint64(va) >> l.shift[level] & (1<<l.bits[level] - 1)
}

// span returns how many bytes one entry of the given level maps: the base
// page at level 1, 2 MiB at level 2 and 1 GiB at level 3 on x86-64.
func (l *layout) span(level int) vm.PageSize { return vm.PageSize(1) << l.shift[level] }

// hugeAllowed reports whether a leaf (PS set) may sit at level. vmkata
// follows x86-64: 2 MiB leaves at level 2 and 1 GiB leaves at level 3, never
// at the root; and x86-32 without PSE: no huge pages with 4-byte entries.
func (l *layout) hugeAllowed(level int) bool {
	return l.g.EntryBytes == 8 && level >= 2 && level <= 3 && level < l.levels
}

// leafLevel returns the level at which a page of size lives, or an error
// wrapping vm.ErrInvalidConfig if the geometry has no such page size.
func (l *layout) leafLevel(op string, va vm.VAddr, size vm.PageSize) (int, error) {
	if size == l.pageSize {
		return 1, nil
	}
	for level := 2; level <= l.levels; level++ {
		if size == l.span(level) && l.hugeAllowed(level) {
			return level, nil
		}
	}
	return 0, fmt.Errorf("pagetable: %s %v: page size %v is not supported by %v: %w", op, va, size, l.g, vm.ErrInvalidConfig)
}

// checkVA returns an error unless va is an address of the geometry: for a
// sign-extended geometry (x86-64), bits VABits..63 must all equal bit
// VABits-1 (vm.ErrNonCanonical); otherwise va must be below 1<<VABits
// (vm.ErrOutOfRange).
func (l *layout) checkVA(op string, va vm.VAddr) error {
	n := uint(l.g.VABits)
	if n >= 64 {
		return nil
	}
	if l.g.SignExtended {
		high := uint64(va) >> (n - 1) // bit VABits-1 and everything above it
		if high != 0 && high != (1<<(64-n+1))-1 {
			return fmt.Errorf("pagetable: %s %v: bits %d..63 are not copies of bit %d: %w", op, va, n, n-1, vm.ErrNonCanonical)
		}
		return nil
	}
	if uint64(va)>>n != 0 {
		return fmt.Errorf("pagetable: %s %v: beyond the %d-bit address space: %w", op, va, n, vm.ErrOutOfRange)
	}
	return nil
}

// checkEntry returns an error wrapping vm.ErrReservedBit if the present
// entry e, read at level, sets a bit the hardware reserves: a frame number
// at or beyond 1 << (PABits-OffsetBits), or PS at a level that cannot hold
// a huge leaf (the root, a level above 3, any level of a 4-byte geometry:
// vmkata's x86-32 runs without PSE and treats a stray PS as reserved rather
// than ignoring it). PS at level 1 is not checked: there bit 7 is PAT on
// x86, which the model carries without meaning.
func (l *layout) checkEntry(op string, va vm.VAddr, level int, pa vm.PAddr, e vm.PTE) error {
	if uint64(e.PFN()) >= l.maxPFN {
		return fmt.Errorf("pagetable: %s %v: level-%d entry %v at %v: frame number beyond %d physical-address bits: %w",
			op, va, level, e, pa, l.g.PABits, vm.ErrReservedBit)
	}
	if level > 1 && e.Has(vm.PTEHuge) && !l.hugeAllowed(level) {
		return fmt.Errorf("pagetable: %s %v: level-%d entry %v at %v: PS is reserved at this level: %w",
			op, va, level, e, pa, vm.ErrReservedBit)
	}
	return nil
}

// canon sign-extends v from bit VABits-1 for a sign-extended geometry.
func (l *layout) canon(v uint64) vm.VAddr {
	n := uint(l.g.VABits)
	if !l.g.SignExtended || n >= 64 {
		return vm.VAddr(v)
	}
	v &= 1<<n - 1
	if v>>(n-1)&1 == 1 {
		v |= ^uint64(0) << n
	}
	return vm.VAddr(v)
}

// truncate keeps the bits of e that an entry of the geometry stores: all 64
// for 8-byte entries, the low 32 (no NX) for 4-byte ones.
func (l *layout) truncate(e vm.PTE) vm.PTE {
	if l.g.EntryBytes == 4 {
		return e & 0xffff_ffff
	}
	return e
}

// leafFlags returns the P, R/W, U/S and NX bits of a leaf granting perm.
// A present x86 entry always allows reads, so a perm without read (PROT_NONE
// included) is refused with vm.ErrBadPermission: the kernel expresses "no
// access" by not mapping the page. With 4-byte entries there is no NX bit:
// every page is executable, as on x86-32 without PAE.
func (l *layout) leafFlags(op string, va vm.VAddr, perm vm.Perm) (vm.PTE, error) {
	if !perm.Has(vm.PermRead) {
		return 0, fmt.Errorf("pagetable: %s %v: permission %v without read cannot be expressed in a present entry: %w",
			op, va, perm, vm.ErrBadPermission)
	}
	f, err := vm.PermFlags(perm)
	if err != nil {
		return 0, fmt.Errorf("pagetable: %s %v: %w", op, va, err)
	}
	return l.truncate(vm.PTEPresent | f), nil
}

// checkMapping validates everything about m that does not depend on the
// table's contents and returns the leaf level and the leaf entry to store
// (without A and D).
func (l *layout) checkMapping(m vm.Mapping) (int, vm.PTE, error) {
	level, err := l.leafLevel("map", m.VA, m.Size)
	if err != nil {
		return 0, 0, err
	}
	if err := l.checkVA("map", m.VA); err != nil {
		return 0, 0, err
	}
	if uint64(m.VA)%uint64(m.Size) != 0 {
		return 0, 0, fmt.Errorf("pagetable: map %v: address is not a multiple of the %v page size: %w", m.VA, m.Size, vm.ErrNotAligned)
	}
	frames := uint64(m.Size / l.pageSize)
	if uint64(m.PFN)%frames != 0 {
		return 0, 0, fmt.Errorf("pagetable: map %v: %v is not a multiple of %d frames (a %v page): %w", m.VA, m.PFN, frames, m.Size, vm.ErrNotAligned)
	}
	if uint64(m.PFN) >= l.maxPFN || l.maxPFN-uint64(m.PFN) < frames {
		return 0, 0, fmt.Errorf("pagetable: map %v: %v beyond %d-bit physical addresses: %w", m.VA, m.PFN, l.g.PABits, vm.ErrOutOfRange)
	}
	f, err := l.leafFlags("map", m.VA, m.Perm)
	if err != nil {
		return 0, 0, err
	}
	if level > 1 {
		f |= vm.PTEHuge
	}
	if m.Global {
		f |= vm.PTEGlobal
	}
	return level, vm.MakePTE(m.PFN, f), nil
}

// mappingOf rebuilds the Mapping a present leaf e at level describes for
// the page containing va.
func (l *layout) mappingOf(va vm.VAddr, level int, e vm.PTE) vm.Mapping {
	size := l.span(level)
	return vm.Mapping{
		VA:     va &^ vm.VAddr(size-1),
		PFN:    e.PFN(),
		Size:   size,
		Perm:   e.Perm(),
		Global: e.Has(vm.PTEGlobal),
	}
}

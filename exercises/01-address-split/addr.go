//go:build !solution

// Package addr is exercise 01: cutting a virtual address into the pieces
// translation uses: the virtual page number (VPN) and the page offset, the
// index into each level of a multi-level page table, and the canonical form
// of an x86-64 address.
//
// Read README.md first. Run the specs with:
//
//	go test ./exercises/01-address-split/
//
// A vm.Geometry describes the machine: OffsetBits low bits of offset, then
// LevelBits[Levels-1] bits of index into the last table (level 1), …, up to
// LevelBits[0] bits of index into the root (level Levels); VABits in all.
// Levels are numbered as on x86: root = Levels (PML4 = 4), last table = 1.
// Every geometry the specs pass is valid (vm.X86_32, vm.X86_64,
// vm.X86_64_5Level, vm.Textbook, and custom ones that obey the invariant
// documented on vm.Geometry, up to 64-bit addresses).
//
// Each rule of the contract below starts with its id in brackets; the
// specs labelled with that id check it.
package addr

import "github.com/vmkata/vmkata/vm"

// Split cuts va into its virtual page number and its offset within the
// base page.
//
// [rule:01.split] Split returns vpn = (va mod 2^VABits) >> OffsetBits and
// offset = va mod 2^OffsetBits.
// [rule:01.split-non-canonical] In a sign-extended geometry va must be
// canonical, else the error wraps vm.ErrNonCanonical.
// [rule:01.split-out-of-range] In any other geometry the bits above VABits
// must be zero, else the error wraps vm.ErrOutOfRange.
func Split(g vm.Geometry, va vm.VAddr) (vm.VPN, uint64, error) {
	panic("addr.Split not implemented")
}

// Join is the inverse of Split.
//
// [rule:01.join] Join puts vpn and offset back together and returns the
// canonical address (sign-extended from bit VABits-1 in a sign-extended
// geometry).
// [rule:01.join-range] vpn must be below 2^(VABits-OffsetBits) and offset
// below the page size; otherwise the error wraps vm.ErrOutOfRange.
func Join(g vm.Geometry, vpn vm.VPN, offset uint64) (vm.VAddr, error) {
	panic("addr.Join not implemented")
}

// Index returns va's index into the page-table node at the given level.
//
// [rule:01.index] The index at level L (root = g.Levels, last table = 1) is
// the LevelBits of level L, taken from just above the offset and the bits
// of the levels below L.
// [rule:01.index-level-range] A level outside 1..g.Levels wraps
// vm.ErrOutOfRange.
// [rule:01.index-checks-address] Index refuses the addresses Split refuses,
// with the same sentinel.
func Index(g vm.Geometry, va vm.VAddr, level int) (int, error) {
	panic("addr.Index not implemented")
}

// IsCanonical reports whether Split accepts va in g.
//
// [rule:01.is-canonical] In a sign-extended geometry va is canonical when
// bits VABits-1 … 63 are all equal; otherwise when the bits above VABits
// are all zero.
// [rule:01.full-width] Every address is canonical when VABits is 64: Split,
// Index and Canonical then use all 64 bits.
func IsCanonical(g vm.Geometry, va vm.VAddr) bool {
	panic("addr.IsCanonical not implemented")
}

// Canonical returns the canonical form of va.
//
// [rule:01.canonical] In a sign-extended geometry bit VABits-1 is copied
// into every bit above it (0x0000_8000_0000_0000 becomes
// 0xffff_8000_0000_0000 on x86-64); otherwise the bits above VABits are
// cleared.
// [rule:01.canonical-idempotent] Canonical(Canonical(va)) == Canonical(va),
// and IsCanonical accepts it.
func Canonical(g vm.Geometry, va vm.VAddr) vm.VAddr {
	panic("addr.Canonical not implemented")
}

// LevelSpan returns how many bytes one entry at the given level maps.
//
// [rule:01.level-span] The span is the base page size at level 1, and
// 2^(index bits of the levels below) times that above: on x86-64 level 1 =
// 4K, 2 = 2M, 3 = 1G, 4 = 512G.
// [rule:01.span-level-range] A level outside 1..g.Levels wraps
// vm.ErrOutOfRange.
func LevelSpan(g vm.Geometry, level int) (vm.PageSize, error) {
	panic("addr.LevelSpan not implemented")
}

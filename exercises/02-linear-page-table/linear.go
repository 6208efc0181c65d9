//go:build !solution

// Package pagetable is exercise 02: the single-level (linear) page table of
// the textbook — one page-table entry (PTE) per virtual page, in one flat
// array indexed by the virtual page number.
//
// Read README.md first. Run the specs with:
//
//	go test ./exercises/02-linear-page-table/
//
// Entries are vm.PTEs in the x86 layout: build them with vm.MakePTE and
// vm.PermFlags, read them with PTE.Present, PTE.PFN and PTE.Perm.
// [rule:02.no-nx] A geometry with 4-byte entries (x86-32, the textbook one)
// stores the low 32 bits of an entry and has no NX bit: every present page
// there is executable, so a page mapped rw-u walks as rwxu.
//
// Each rule of the contract starts with its id in brackets; the specs
// labelled with that id check it.
package pagetable

import "github.com/vmkata/vmkata/vm"

// Linear is a single-level page table: entries[vpn] for every virtual page
// of the geometry, used or not. Its size is 2^(VABits-OffsetBits) entries.
// The geometry's levels are ignored: only VABits, PABits, OffsetBits,
// EntryBytes and SignExtended matter.
//
// [rule:02.sign-extended-index] The entry of a sign-extended address is the
// one of its low VABits bits, shifted right by OffsetBits.
// [rule:02.bad-address] Every method refuses an address outside the
// geometry, changing nothing (Walk reads nothing: Steps 0): in a
// sign-extended geometry a non-canonical one (vm.ErrNonCanonical), in any
// other one with a bit set at or above VABits (vm.ErrOutOfRange).
type Linear struct {
	// TODO: your fields: the geometry and a []vm.PTE indexed by VPN.
}

// NewLinear returns an empty linear table for g.
//
// [rule:02.new-invalid] It returns an error wrapping vm.ErrInvalidConfig for
// an invalid geometry.
// [rule:02.new-too-big] It returns an error wrapping vm.ErrInvalidConfig for
// a geometry whose table would have more than 1<<24 entries, saying how many
// it would need (a 48-bit x86-64 table needs 2^36 entries).
func NewLinear(g vm.Geometry) (*Linear, error) {
	panic("pagetable.NewLinear not implemented")
}

// Map installs m, a base page.
//
// [rule:02.map-leaf] The entry becomes vm.MakePTE(m.PFN, P |
// vm.PermFlags(m.Perm) | G if m.Global), with A and D clear.
// [rule:02.map-base-only] A size other than g.PageSize() is refused with
// vm.ErrInvalidConfig.
// [rule:02.map-not-aligned] An m.VA that is not page-aligned is refused
// with vm.ErrNotAligned.
// [rule:02.map-frame-range] A frame at or beyond 2^(PABits-OffsetBits) is
// refused with vm.ErrOutOfRange.
// [rule:02.map-bad-permission] A permission without read (write-only,
// execute-only, user-only, none at all) is refused with
// vm.ErrBadPermission: a present x86 entry always allows reads, so "no
// access" is expressed by not mapping the page.
// [rule:02.map-already-mapped] Mapping a mapped page is refused with
// vm.ErrAlreadyMapped, keeping the first mapping.
// [rule:02.map-fails-cleanly] A failed Map changes nothing.
func (t *Linear) Map(m vm.Mapping) error {
	panic("Linear.Map not implemented")
}

// Unmap removes the page containing va.
//
// [rule:02.unmap] Unmap clears the entry and returns the mapping it held:
// VA page-aligned, the frame, the page size, Perm as a walk reports it, and
// Global from G.
// [rule:02.unmap-not-mapped] Unmap of an unmapped page returns an error
// wrapping vm.ErrNotMapped.
func (t *Linear) Unmap(va vm.VAddr) (vm.Mapping, error) {
	panic("Linear.Unmap not implemented")
}

// Protect changes the permissions of the page containing va.
//
// [rule:02.protect] Protect replaces the entry's permission bits, keeping
// its frame and its A, D and G bits.
// [rule:02.protect-not-mapped] Protect of an unmapped page returns an error
// wrapping vm.ErrNotMapped.
// [rule:02.protect-bad-permission] Protect refuses a permission without
// read with vm.ErrBadPermission, as Map does, and changes nothing.
func (t *Linear) Protect(va vm.VAddr, perm vm.Perm) error {
	panic("Linear.Protect not implemented")
}

// Walk reads the one entry for va.
//
// [rule:02.walk-one-read] Walk reads the entry at Root() + vpn*EntryBytes:
// Steps is 1, Reads[0] that address and Entries[0] the entry, present or
// not.
// [rule:02.walk-present] For a present entry Size is the page size and Perm
// the entry's permission.
// [rule:02.walk-missing] For a missing page Size and Perm are 0 and the
// error is nil.
func (t *Linear) Walk(va vm.VAddr) (vm.Walk, error) {
	panic("Linear.Walk not implemented")
}

// MarkAccessed does what the MMU does to the entry on each access.
//
// [rule:02.mark-accessed] MarkAccessed sets A in the entry for va and, only
// when write is true, D; it never clears D.
// [rule:02.mark-not-mapped] MarkAccessed of an unmapped page returns an
// error wrapping vm.ErrNotMapped.
func (t *Linear) MarkAccessed(va vm.VAddr, write bool) error {
	panic("Linear.MarkAccessed not implemented")
}

// Root returns the notional physical address of the array (it lives in Go
// memory, not in simulated frames).
//
// [rule:02.root] Root returns 0.
func (t *Linear) Root() vm.PAddr {
	panic("Linear.Root not implemented")
}

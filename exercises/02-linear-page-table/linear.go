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
// vm.PermFlags, read them with PTE.Present, PTE.PFN and PTE.Perm. A
// geometry with 4-byte entries (x86-32, the textbook one) has no NX bit:
// every present page there is executable, so a page mapped rw-u walks as
// rwxu.
package pagetable

import "github.com/vmkata/vmkata/vm"

// Linear is a single-level page table: entries[vpn] for every virtual page
// of the geometry, used or not. Its size is 2^(VABits-OffsetBits) entries.
// The geometry's levels are ignored: only VABits, PABits, OffsetBits,
// EntryBytes and SignExtended matter (the index of a sign-extended address
// is its low VABits bits, shifted right by OffsetBits).
type Linear struct {
	// TODO: your fields: the geometry and a []vm.PTE indexed by VPN.
}

// NewLinear returns an empty linear table for g. It returns an error
// wrapping vm.ErrInvalidConfig for an invalid geometry and for one whose
// table would have more than 1<<24 entries (say how many it would need:
// a 48-bit x86-64 table needs 2^36 entries).
func NewLinear(g vm.Geometry) (*Linear, error) {
	panic("pagetable.NewLinear not implemented")
}

// Map installs m, a base page (m.Size == g.PageSize()), as a present leaf
// entry vm.MakePTE(m.PFN, P | vm.PermFlags(m.Perm) | G if m.Global).
// Errors (a failed Map changes nothing): vm.ErrInvalidConfig for another
// size; vm.ErrNotAligned for an m.VA that is not page-aligned;
// vm.ErrOutOfRange for a frame beyond 2^(PABits-OffsetBits) or an address
// beyond VABits; vm.ErrNonCanonical; vm.ErrBadPermission (a permission
// without read: x86 cannot express it); vm.ErrAlreadyMapped if the page is
// mapped.
func (t *Linear) Map(m vm.Mapping) error {
	panic("Linear.Map not implemented")
}

// Unmap clears the entry of the page containing va and returns the
// mapping it held (VA page-aligned), or an error wrapping vm.ErrNotMapped.
func (t *Linear) Unmap(va vm.VAddr) (vm.Mapping, error) {
	panic("Linear.Unmap not implemented")
}

// Protect replaces the permissions of the page containing va, keeping its
// frame and its A, D and G bits. Errors: vm.ErrNotMapped,
// vm.ErrBadPermission.
func (t *Linear) Protect(va vm.VAddr, perm vm.Perm) error {
	panic("Linear.Protect not implemented")
}

// Walk reads the one entry for va, at Root() + vpn*EntryBytes: Steps is 1,
// Reads[0] that address and Entries[0] the entry, present or not. For a
// present entry Size is the page size and Perm the entry's permission; for
// a missing page Size is 0 and the error is nil. Errors: vm.ErrNonCanonical
// or vm.ErrOutOfRange for an address outside the geometry (nothing read).
func (t *Linear) Walk(va vm.VAddr) (vm.Walk, error) {
	panic("Linear.Walk not implemented")
}

// MarkAccessed sets A in the entry for va and, only when write is true, D:
// what the MMU does to the entry on each access. It returns an error
// wrapping vm.ErrNotMapped if va is not mapped.
func (t *Linear) MarkAccessed(va vm.VAddr, write bool) error {
	panic("Linear.MarkAccessed not implemented")
}

// Root returns 0, the notional physical address of the array (it lives in
// Go memory, not in simulated frames).
func (t *Linear) Root() vm.PAddr {
	panic("Linear.Root not implemented")
}

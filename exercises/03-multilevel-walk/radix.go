//go:build !solution

// Package pagetable is exercise 03: a multi-level (radix) page table whose
// tables live in simulated physical frames as little-endian x86 entries,
// and the page walk that reads it the way the MMU's hardware walker does.
//
// Read README.md first. Run the specs with:
//
//	go test ./exercises/03-multilevel-walk/
//
// Levels are numbered as on x86: the root is level g.Levels (PML4 = 4 on
// x86-64), the last table is level 1. A table is one frame of
// 2^LevelBits entries of g.EntryBytes bytes (8: a whole vm.PTE; 4: its low
// 32 bits, as on x86-32). The entry for va at a level sits at
// table + index(va, level) * EntryBytes.
package pagetable

import "github.com/vmkata/vmkata/vm"

// Radix is a multi-level page table stored in physical memory.
//
// Intermediate entries point at the next table with P, RW and US set and
// NX clear (permissions are enforced by the leaf; the effective permission
// of a walk is the intersection over every entry on the path anyway). A
// leaf at level 1 maps a base page; a leaf at a higher level has PS set and
// maps a huge page of LevelSpan(level) bytes: only at level 2 (2M) or 3
// (1G), and only in geometries with 8-byte entries. A geometry with 4-byte
// entries has no NX bit: every present page there is executable.
type Radix struct {
	// TODO: your fields: the geometry, the memory and allocator, the root
	// table's physical address.
}

// NewRadix returns an empty table for g: it allocates one frame from
// frames for the root table and zeroes it in mem. Errors: vm.ErrInvalidConfig
// for an invalid geometry, vm.ErrOutOfMemory if no frame is free.
func NewRadix(g vm.Geometry, mem vm.PhysMem, frames vm.FrameAllocator) (*Radix, error) {
	panic("pagetable.NewRadix not implemented")
}

// Map installs m: it walks down from the root, allocating (and zeroing) any
// missing table on the way, and writes the leaf entry
// vm.MakePTE(m.PFN, P | vm.PermFlags(m.Perm) | G if m.Global | PS if huge).
// Errors: vm.ErrInvalidConfig for a size that is neither the base page nor
// a huge size allowed above; vm.ErrNotAligned for a VA or PFN not aligned to
// m.Size; vm.ErrOutOfRange for a frame beyond PABits; vm.ErrNonCanonical;
// vm.ErrBadPermission (a permission without read); vm.ErrAlreadyMapped if any part of the range is
// mapped; vm.ErrOutOfMemory if a table cannot be allocated. A failed Map
// leaves the table as it was: tables it allocated are freed again.
func (t *Radix) Map(m vm.Mapping) error {
	panic("Radix.Map not implemented")
}

// Unmap removes the mapping containing va and returns it, then frees every
// table page the removal left empty, bottom up, clearing the entry that
// pointed at it; the root is never freed. It returns an error wrapping
// vm.ErrNotMapped if no page contains va.
func (t *Radix) Unmap(va vm.VAddr) (vm.Mapping, error) {
	panic("Radix.Unmap not implemented")
}

// Protect replaces the permissions of the mapping containing va, keeping
// its frame and its A, D, G and PS bits. Errors: vm.ErrNotMapped,
// vm.ErrBadPermission.
func (t *Radix) Protect(va vm.VAddr, perm vm.Perm) error {
	panic("Radix.Protect not implemented")
}

// Walk looks va up the way the x86 page walker does, reading one entry per
// level from physical memory, and records each physical address read and
// the entry found there, root level first. It stops at the first
// non-present entry (intermediate or leaf) or at a leaf (level 1, or PS
// set). Size is the leaf's page size and Perm the intersection of the
// permissions of every entry on the path; both are 0 when no page is
// mapped, which is not an error. Errors: vm.ErrNonCanonical (nothing
// read), vm.ErrReservedBit (an entry's frame beyond PABits, or PS at the
// root level) with the partial walk up to the offending entry.
func (t *Radix) Walk(va vm.VAddr) (vm.Walk, error) {
	panic("Radix.Walk not implemented")
}

// MarkAccessed does what the hardware walker does to memory on a TLB miss:
// it sets A in every entry on the path to va and, only when write is true,
// D in the leaf. It returns an error wrapping vm.ErrNotMapped if va is not
// mapped.
func (t *Radix) MarkAccessed(va vm.VAddr, write bool) error {
	panic("Radix.MarkAccessed not implemented")
}

// Root returns the physical address of the root table: what the CPU loads
// into CR3 to use this table.
func (t *Radix) Root() vm.PAddr {
	panic("Radix.Root not implemented")
}

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
// 2^LevelBits entries.
// [rule:03.entry-address] The entry for va at a level sits at table +
// index(va, level) * EntryBytes, the table being the frame of the root (at
// the root level) or the frame the entry one level up points at.
// [rule:03.little-endian] An entry is stored little-endian in g.EntryBytes
// bytes: 8, a whole vm.PTE; 4, its low 32 bits, as on x86-32.
// [rule:03.no-nx] A geometry with 4-byte entries has no NX bit: every
// present page there is executable.
//
// Each rule of the contract starts with its id in brackets; the specs
// labelled with that id check it.
package pagetable

import "github.com/vmkata/vmkata/vm"

// Radix is a multi-level page table stored in physical memory.
//
// [rule:03.intermediate-entry] An intermediate entry points at the next
// table with P, RW and US set and every other flag clear (NX included):
// permissions are enforced by the leaf.
// [rule:03.huge-leaf] A leaf at level 1 maps a base page; a leaf at a
// higher level has PS set and maps a huge page of LevelSpan(level) bytes,
// only at level 2 (2M) or 3 (1G) below the root, and only in geometries
// with 8-byte entries.
// [rule:03.bad-address] Every method refuses an address outside the
// geometry, changing nothing: in a sign-extended geometry a non-canonical
// one (vm.ErrNonCanonical, and Walk reads nothing), in any other one with a
// bit set at or above VABits (vm.ErrOutOfRange).
type Radix struct {
	// TODO: your fields: the geometry, the memory and allocator, the root
	// table's physical address.
}

// NewRadix returns an empty table for g, whose tables live in mem and come
// from frames.
//
// [rule:03.new-root] NewRadix allocates one frame from frames for the root
// table and zeroes it in mem: frames come back with whatever they last held.
// [rule:03.new-invalid] An invalid geometry is refused with
// vm.ErrInvalidConfig.
// [rule:03.new-out-of-memory] If no frame is free, NewRadix returns an
// error wrapping vm.ErrOutOfMemory.
func NewRadix(g vm.Geometry, mem vm.PhysMem, frames vm.FrameAllocator) (*Radix, error) {
	panic("pagetable.NewRadix not implemented")
}

// Map installs m, walking down from the root.
//
// [rule:03.map-tables] Map allocates any missing table on the way down,
// zeroes it, and links it with an intermediate entry.
// [rule:03.map-leaf] The leaf entry is vm.MakePTE(m.PFN, P |
// vm.PermFlags(m.Perm) | G if m.Global | PS if huge), with A and D clear.
// [rule:03.map-size] A size that is neither the base page nor a huge size
// the geometry allows (see Radix) is refused with vm.ErrInvalidConfig.
// [rule:03.map-not-aligned] A VA or a PFN not aligned to m.Size is refused
// with vm.ErrNotAligned.
// [rule:03.map-frame-range] A frame beyond PABits is refused with
// vm.ErrOutOfRange.
// [rule:03.map-bad-permission] A permission without read (write-only,
// execute-only, user-only, none at all) is refused with vm.ErrBadPermission.
// [rule:03.map-already-mapped] If any part of m's range is mapped (a huge
// page above it, or anything below a huge m), Map returns an error wrapping
// vm.ErrAlreadyMapped and keeps what was mapped.
// [rule:03.map-out-of-memory] If a table cannot be allocated, Map returns
// an error wrapping vm.ErrOutOfMemory after freeing the tables it allocated
// and clearing the entry it linked them from.
// [rule:03.map-fails-cleanly] A failed Map leaves the table, its memory and
// the allocator's free frames as they were.
func (t *Radix) Map(m vm.Mapping) error {
	panic("Radix.Map not implemented")
}

// Unmap removes the mapping containing va and returns it.
//
// [rule:03.unmap] Unmap clears the leaf and returns the mapping it held: VA
// aligned to the page size, the first frame, the page size, Perm as a walk
// reports it, and Global from G.
// [rule:03.unmap-frees-tables] Unmap then frees every table page the
// removal left empty, bottom up, clearing the entry that pointed at it; the
// root is never freed.
// [rule:03.unmap-not-mapped] Unmap of an address no page contains returns
// an error wrapping vm.ErrNotMapped.
func (t *Radix) Unmap(va vm.VAddr) (vm.Mapping, error) {
	panic("Radix.Unmap not implemented")
}

// Protect changes the permissions of the mapping containing va.
//
// [rule:03.protect] Protect replaces the leaf's permission bits, keeping
// its frame and its A, D, G and PS bits.
// [rule:03.protect-not-mapped] Protect of an unmapped address returns an
// error wrapping vm.ErrNotMapped.
// [rule:03.protect-bad-permission] Protect refuses a permission without
// read with vm.ErrBadPermission, as Map does, and changes nothing.
func (t *Radix) Protect(va vm.VAddr, perm vm.Perm) error {
	panic("Radix.Protect not implemented")
}

// Walk looks va up the way the x86 page walker does, reading one entry per
// level from physical memory.
//
// [rule:03.walk-reads] Walk records each physical address read and the
// entry found there, root level first.
// [rule:03.walk-stops] Walk stops at the first non-present entry
// (intermediate or leaf) or at a leaf (level 1, or PS set).
// [rule:03.walk-perm] For a present page Size is the leaf's page size and
// Perm the intersection of the permissions of every entry on the path.
// [rule:03.walk-missing] When no page is mapped Size and Perm are 0, which
// is not an error.
// [rule:03.walk-reserved-bit] A present entry whose frame lies beyond
// PABits, or with PS set above level 1 at a level that cannot hold a huge
// leaf, stops the walk with an error wrapping vm.ErrReservedBit and the walk
// up to and including that entry (bit 7 of a level-1 entry is PAT, not PS,
// and is no reason to stop).
func (t *Radix) Walk(va vm.VAddr) (vm.Walk, error) {
	panic("Radix.Walk not implemented")
}

// MarkAccessed does what the hardware walker does to memory on a TLB miss.
//
// [rule:03.mark-accessed] MarkAccessed sets A in every entry on the path to
// va and, only when write is true, D in the leaf; it never clears D.
// [rule:03.mark-not-mapped] MarkAccessed of an unmapped address returns an
// error wrapping vm.ErrNotMapped.
func (t *Radix) MarkAccessed(va vm.VAddr, write bool) error {
	panic("Radix.MarkAccessed not implemented")
}

// Root returns the physical address of the root table: what the CPU loads
// into CR3 to use this table.
//
// [rule:03.root] Root is the address of the frame NewRadix allocated, and
// stays the same for the life of the table.
func (t *Radix) Root() vm.PAddr {
	panic("Radix.Root not implemented")
}

//go:build !solution

// Package vma is exercise 11: the set of virtual memory areas (VMAs) of one
// address space, with the semantics of Linux's mmap(2), munmap(2) and
// mprotect(2) on the VMA list: splitting a VMA where a call cuts it, and
// merging neighbours that have become alike. Two more calls change a VMA's
// size: Resize moves the end of the heap (brk) and Grow extends the stack
// down on a fault just below it.
//
// Read README.md first. Run the specs with:
//
//	go test ./exercises/11-mmap-vmas/
//
// Your Set implements vm.VMASet; the comments below are its contract, and
// the specs hold you to every sentence of it.
//
// # Invariants
//
// After every call, successful or not, the VMAs:
//   - are sorted by address and do not overlap (ranges are half-open);
//   - are non-empty, page-aligned and inside the set's limit;
//   - carry only read, write and execute permission bits;
//   - are merged: no two adjacent VMAs (one's End is the other's Start) are
//     compatible. Two VMAs are compatible when they agree on Perm, Shared,
//     Backing, File, Role and GrowsDown and, for file-backed VMAs, the
//     second continues the first in the file (its Offset is the first's
//     Offset plus the first's length).
//
// So a set is canonical: it holds the fewest VMAs that describe its pages.
//
// A failing call changes nothing. Argument errors (alignment, empty or
// out-of-limit ranges, bad permissions or attributes) come before errors
// about the set's contents (vm.ErrNotMapped, vm.ErrOutOfMemory,
// vm.ErrAlreadyMapped). Errors wrap the vm sentinels, for errors.Is.
package vma

import (
	"iter"

	"github.com/vmkata/vmkata/vm"
)

// Set is the VMAs of one address space. Build it with NewSet.
type Set struct {
	// TODO: your fields. The page size, the limit, and a slice of vm.VMA
	// kept sorted by start address are enough; binary-search it to find
	// the VMA of an address.
}

// NewSet returns an empty set of VMAs with pages of pageSize, whose VMAs
// must lie inside limit (the user part of the address space).
//
// It returns an error wrapping vm.ErrInvalidConfig if pageSize is not a
// power of two or limit is empty or inverted, and vm.ErrNotAligned if
// limit's ends are not multiples of pageSize.
func NewSet(pageSize vm.PageSize, limit vm.AddrRange) (*Set, error) {
	panic("vma.NewSet not implemented")
}

// Map inserts v into the set (mmap) and returns the range v now covers.
//
// With fixed (MAP_FIXED), v goes exactly at v.Range, and whatever was
// mapped there is unmapped first: VMAs overlapping it are cut back or
// split around it.
//
// Without fixed, v.Range gives the length (End-Start) and a hint (Start, 0
// for none): v goes at the lowest free range of that length at or above
// the hint, else at the lowest free range anywhere in the limit. A free
// hint is used as is.
//
// Afterwards v merges with its neighbours if they are compatible, so the
// returned range may be part of a larger VMA.
//
// Errors (the set is unchanged):
//   - vm.ErrNotAligned: v.Range's Start or End, or a file Offset, is not a
//     multiple of the page size.
//   - vm.ErrOutOfRange: v.Range is empty or inverted, or (with fixed) not
//     inside the limit.
//   - vm.ErrOutOfMemory: (without fixed) no free range is long enough.
//   - vm.ErrBadPermission: v.Perm has bits other than read, write, execute
//     (PermUser included: every VMA is user memory).
//   - vm.ErrInvalidConfig: an unknown Backing or Role, a file VMA with no
//     File, an anonymous one with a non-zero Offset.
func (s *Set) Map(v vm.VMA, fixed bool) (vm.AddrRange, error) {
	panic("Set.Map not implemented")
}

// Unmap removes the addresses of r from every VMA that has any (munmap). A
// VMA inside r goes; a VMA straddling one end of r is cut back; a VMA
// containing r is split in two. It returns the removed pieces in address
// order, each with its attributes (a file piece's Offset is where the
// piece starts in the file). Unmapping a hole is not an error; it returns
// nothing.
//
// Errors (the set is unchanged): vm.ErrNotAligned if r's ends are not
// multiples of the page size, vm.ErrOutOfRange if r is empty, inverted or
// not inside the limit.
func (s *Set) Unmap(r vm.AddrRange) ([]vm.VMA, error) {
	panic("Set.Unmap not implemented")
}

// Protect sets the permission of every page of r to perm (mprotect). VMAs
// straddling r's ends are split at them; afterwards the pieces merge with
// any compatible neighbours, so protecting a range back to what it was
// restores the VMAs there were. It returns the pieces whose permission
// changed, clipped to r, in address order and with the new permission;
// pieces that already had perm are left out.
//
// Errors (the set is unchanged): vm.ErrNotMapped if any page of r lies in
// no VMA, vm.ErrBadPermission if perm has bits other than read, write and
// execute, and the range errors of Unmap.
func (s *Set) Protect(r vm.AddrRange, perm vm.Perm) ([]vm.VMA, error) {
	panic("Set.Protect not implemented")
}

// Find returns the VMA containing va, or false if va lies in a hole.
func (s *Set) Find(va vm.VAddr) (vm.VMA, bool) {
	panic("Set.Find not implemented")
}

// FindNext returns the first VMA that ends above va: the one containing va,
// else the nearest one above it; false if there is none (Linux's
// find_vma).
func (s *Set) FindNext(va vm.VAddr) (vm.VMA, bool) {
	panic("Set.FindNext not implemented")
}

// Grow extends the stack down so that it covers va, and returns the VMA
// that covers va afterwards.
//
// The VMA to grow is the first one ending above va (FindNext). If it
// already contains va, Grow returns it unchanged. Otherwise it must be
// GrowsDown, and its start moves down to va's page, provided that the
// grown VMA is at most maxSize bytes long and at least guardGap bytes stay
// free between the VMA below and the new start. A file-backed VMA's Offset
// moves down with its start.
//
// Errors (the set is unchanged), in this order: vm.ErrNotMapped if no VMA
// lies above va or the one above does not grow down; vm.ErrOutOfRange if
// va's page lies below the limit; vm.ErrOutOfMemory if the growth would
// break maxSize or the guard gap; vm.ErrOutOfRange if a file-backed VMA
// would grow below offset 0 of its file.
func (s *Set) Grow(va vm.VAddr, maxSize, guardGap uint64) (vm.VMA, error) {
	panic("Set.Grow not implemented")
}

// Resize moves the end of the VMA that starts at start to newEnd, growing
// or shrinking it in place (brk). Growing merges the VMA with a compatible
// one it comes to touch.
//
// Errors (the set is unchanged), the argument checks first:
// vm.ErrNotAligned if newEnd is not a multiple of the page size;
// vm.ErrOutOfRange if newEnd <= start or newEnd lies beyond the limit;
// vm.ErrNotMapped if no VMA starts at start; vm.ErrAlreadyMapped if
// growing would overlap the next VMA.
func (s *Set) Resize(start, newEnd vm.VAddr) error {
	panic("Set.Resize not implemented")
}

// All yields the VMAs in address order.
func (s *Set) All() iter.Seq[vm.VMA] {
	panic("Set.All not implemented")
}

// Len returns the number of VMAs.
func (s *Set) Len() int {
	panic("Set.Len not implemented")
}

// TotalBytes returns the number of bytes all VMAs cover.
func (s *Set) TotalBytes() uint64 {
	panic("Set.TotalBytes not implemented")
}

// Clone returns an independent copy of s (what fork does to the VMA list):
// changing one afterwards does not change the other.
func (s *Set) Clone() *Set {
	panic("Set.Clone not implemented")
}

// Check returns an error describing the first broken invariant (see the
// package comment), or nil.
func (s *Set) Check() error {
	panic("Set.Check not implemented")
}

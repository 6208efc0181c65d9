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
// Your Set implements vm.VMASet; the comments below are its contract. Each
// rule starts with its id in square brackets, and the specs labelled with
// that id check it.
//
// # Invariants
//
// After every call, successful or not:
//   - [rule:11.sorted] the VMAs are sorted by address and do not overlap
//     (ranges are half-open);
//   - [rule:11.well-formed] every VMA is non-empty, page-aligned and inside
//     the set's limit, and carries only read, write and execute permission
//     bits;
//   - [rule:11.merged] no two adjacent VMAs (one's End is the other's Start)
//     are compatible. Two VMAs are compatible when they agree on Perm,
//     Shared, Backing, File, Role and GrowsDown and, for file-backed VMAs,
//     the second continues the first in the file (its Offset is the first's
//     Offset plus the first's length).
//
// So a set is canonical: it holds the fewest VMAs that describe its pages.
//
// [rule:11.failure-changes-nothing] A failing call changes nothing.
// [rule:11.argument-errors-first] Argument errors (alignment, empty,
// inverted or out-of-limit ranges, bad permissions or attributes) come
// before errors about the set's contents (vm.ErrNotMapped,
// vm.ErrOutOfMemory, vm.ErrAlreadyMapped); Grow's doc gives its own order.
// Errors wrap the vm sentinels, for errors.Is.
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
// [rule:11.newset] It returns an error wrapping vm.ErrInvalidConfig if
// pageSize is not a power of two or limit is empty or inverted, and
// vm.ErrNotAligned if limit's ends are not multiples of pageSize; else an
// empty set (Len 0, TotalBytes 0, All yields nothing).
func NewSet(pageSize vm.PageSize, limit vm.AddrRange) (*Set, error) {
	panic("vma.NewSet not implemented")
}

// Map inserts v into the set (mmap) and returns the range v now covers.
//
// [rule:11.map-fixed-replaces] With fixed (MAP_FIXED), v goes exactly at
// v.Range, and whatever was mapped there is unmapped first: VMAs
// overlapping it are cut back or split around it (the pieces left keep
// their attributes, a file piece's Offset moved to its new start).
//
// [rule:11.map-placement] Without fixed, v.Range gives the length
// (End-Start) and a hint (Start, 0 for none): v goes at the lowest free
// range of that length that starts at or above the hint, else at the
// lowest free range anywhere in the limit. A free hint is used as is.
//
// [rule:11.map-merges] Afterwards v merges with its neighbours if they are
// compatible; Map still returns the range v covers, which may be part of a
// larger VMA.
//
// Errors (the set is unchanged):
//   - [rule:11.map-not-aligned] vm.ErrNotAligned: v.Range's Start or End,
//     or a file Offset, is not a multiple of the page size.
//   - [rule:11.map-out-of-range] vm.ErrOutOfRange: v.Range is empty or
//     inverted, or (with fixed) not inside the limit.
//   - [rule:11.map-out-of-memory] vm.ErrOutOfMemory: (without fixed) no
//     free range is long enough.
//   - [rule:11.map-bad-permission] vm.ErrBadPermission: v.Perm has bits
//     other than read, write, execute (PermUser included: every VMA is user
//     memory).
//   - [rule:11.map-invalid-config] vm.ErrInvalidConfig: an unknown Backing
//     or Role, a file VMA with no File, an anonymous one with a non-zero
//     Offset.
func (s *Set) Map(v vm.VMA, fixed bool) (vm.AddrRange, error) {
	panic("Set.Map not implemented")
}

// Unmap removes the addresses of r from every VMA that has any (munmap).
//
// [rule:11.unmap-splits] A VMA inside r goes; a VMA straddling one end of r
// is cut back; a VMA containing r is split in two.
// [rule:11.unmap-returns-pieces] It returns the removed pieces, one per
// VMA r overlapped, clipped to r, in address order, each with its
// attributes (a file piece's Offset is where the piece starts in the
// file). [rule:11.unmap-hole] Unmapping a hole is not an error; it returns
// nothing.
//
// [rule:11.unmap-range-errors] Errors (the set is unchanged):
// vm.ErrNotAligned if r's ends are not multiples of the page size,
// vm.ErrOutOfRange if r is empty, inverted or not inside the limit.
func (s *Set) Unmap(r vm.AddrRange) ([]vm.VMA, error) {
	panic("Set.Unmap not implemented")
}

// Protect sets the permission of every page of r to perm (mprotect).
//
// [rule:11.protect-splits-merges] VMAs straddling r's ends are split at
// them; afterwards the pieces merge with any compatible neighbours, so
// protecting a range back to what it was restores the VMAs there were.
// [rule:11.protect-returns-changed] It returns, for each VMA r overlaps
// whose Perm is not perm, the piece of it inside r, with perm as its Perm
// (a file piece's Offset moved to its start), in address order: the pieces
// as they were before any merge. Pieces that already had perm are left
// out, so protecting to the same permission returns nothing.
//
// Errors (the set is unchanged):
//   - [rule:11.protect-holes] vm.ErrNotMapped if any page of r lies in no
//     VMA, wherever the hole is (at the start, in the middle, at the end);
//   - [rule:11.protect-bad-permission] vm.ErrBadPermission if perm has
//     bits other than read, write and execute;
//   - [rule:11.protect-range-errors] the range errors of Unmap.
func (s *Set) Protect(r vm.AddrRange, perm vm.Perm) ([]vm.VMA, error) {
	panic("Set.Protect not implemented")
}

// Find looks an address up.
//
// [rule:11.find] Find returns the VMA containing va, or false if va lies in
// a hole.
func (s *Set) Find(va vm.VAddr) (vm.VMA, bool) {
	panic("Set.Find not implemented")
}

// FindNext looks up the VMA at or above an address (Linux's find_vma).
//
// [rule:11.find-next] FindNext returns the first VMA that ends above va:
// the one containing va, else the nearest one above it; false if there is
// none.
func (s *Set) FindNext(va vm.VAddr) (vm.VMA, bool) {
	panic("Set.FindNext not implemented")
}

// Grow extends the stack down so that it covers va, and returns the VMA
// that covers va afterwards.
//
// [rule:11.grow-contains] The VMA to grow is the first one ending above va
// (FindNext); if it already contains va, Grow returns it unchanged.
// [rule:11.grow-to-page] Otherwise, if it is GrowsDown, its start moves
// down to va's page (va rounded down to a multiple of the page size), and
// Grow returns the grown VMA (merged with the VMA below if they have come
// to touch and are compatible).
// [rule:11.grow-max-size] The grown VMA may be at most maxSize bytes long:
// exactly maxSize is allowed, one page more is not.
// [rule:11.grow-guard-gap] At least guardGap bytes must stay free between
// the end of the VMA below (if any) and the new start: exactly guardGap is
// allowed, one page less is not.
// [rule:11.grow-file-offset] A file-backed VMA's Offset moves down with its
// start; it may not go below 0.
//
// [rule:11.grow-errors] Errors (the set is unchanged), in this order:
// vm.ErrNotMapped if no VMA lies above va or the one above does not grow
// down; vm.ErrOutOfRange if va's page lies below the limit;
// vm.ErrOutOfMemory if the growth would break maxSize or the guard gap;
// vm.ErrOutOfRange if a file-backed VMA would grow below offset 0 of its
// file.
func (s *Set) Grow(va vm.VAddr, maxSize, guardGap uint64) (vm.VMA, error) {
	panic("Set.Grow not implemented")
}

// Resize moves the end of the VMA that starts at start to newEnd (brk).
//
// [rule:11.resize-moves-end] The VMA grows or shrinks in place: only its
// End changes. Growing merges it with a compatible VMA it comes to touch;
// growing right up to the next VMA (newEnd equal to its Start) is allowed.
//
// [rule:11.resize-errors] Errors (the set is unchanged), the argument
// checks first: vm.ErrNotAligned if newEnd is not a multiple of the page
// size; vm.ErrOutOfRange if newEnd <= start or newEnd lies beyond the
// limit; then vm.ErrNotMapped if no VMA starts at start, and
// vm.ErrAlreadyMapped if growing would overlap the next VMA.
func (s *Set) Resize(start, newEnd vm.VAddr) error {
	panic("Set.Resize not implemented")
}

// All lists the VMAs.
//
// [rule:11.all-len-total] All yields the VMAs in address order; Len
// returns their number and TotalBytes the number of bytes they cover.
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

// Clone returns a copy of s (what fork does to the VMA list).
//
// [rule:11.clone-independent] Clone returns a set with the same VMAs;
// changing one afterwards does not change the other.
func (s *Set) Clone() *Set {
	panic("Set.Clone not implemented")
}

// Check returns an error describing the first broken invariant (see the
// package comment), or nil.
//
// [rule:11.check-nil] Check returns nil after every call, successful or
// not: the calls above keep the invariants.
func (s *Set) Check() error {
	panic("Set.Check not implemented")
}

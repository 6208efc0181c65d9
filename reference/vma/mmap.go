package vma

import (
	"fmt"
	"slices"

	"github.com/vmkata/vmkata/vm"
)

// Map inserts v into the set: the semantics of Linux's mmap(2) on the VMA
// list. It returns the range v now covers.
//
// With fixed (MAP_FIXED), v goes exactly at v.Range, and whatever was
// mapped there is unmapped first: VMAs overlapping it are cut back or
// split around it. A kernel that holds pages for the replaced parts calls
// Unmap(v.Range) first to learn them, as Linux's mmap_region does.
//
// Without fixed, v.Range gives the length (End-Start) and a hint
// (Start, 0 for none): v goes at the lowest free range of that length at
// or above the hint, else at the lowest free range anywhere in the limit
// (see Placement in the package comment). A free hint is used as is.
//
// Afterwards v merges with its neighbours if they are compatible (see the
// package comment), so the returned range may be part of a larger VMA.
//
// Errors (the set is unchanged):
//   - vm.ErrNotAligned: v.Range's Start or End, or a file Offset, is not a
//     multiple of the page size.
//   - vm.ErrOutOfRange: v.Range is empty or inverted, or (with fixed) not
//     inside the limit.
//   - vm.ErrOutOfMemory: (without fixed) no free range is long enough
//     (ENOMEM).
//   - vm.ErrBadPermission: v.Perm has bits other than read, write, execute
//     (PermUser included: every VMA is user memory).
//   - vm.ErrInvalidConfig: an unknown Backing or Role, a file VMA with no
//     File, an anonymous one with a non-zero Offset.
func (s *Set) Map(v vm.VMA, fixed bool) (vm.AddrRange, error) {
	if err := s.checkRange("map", v.Range); err != nil {
		return vm.AddrRange{}, err
	}
	if err := s.checkAttrs(v); err != nil {
		return vm.AddrRange{}, err
	}
	if fixed {
		if err := s.checkInLimit("map", v.Range); err != nil {
			return vm.AddrRange{}, err
		}
		s.carve(v.Range)
	} else {
		length := v.Range.Len()
		start, ok := s.freeRange(v.Range.Start, length)
		if !ok {
			start, ok = s.freeRange(s.limit.Start, length)
		}
		if !ok {
			return vm.AddrRange{}, fmt.Errorf("vma: map %v: no free range of %#x bytes in %v: %w", v, length, s.limit, vm.ErrOutOfMemory)
		}
		v.Range = vm.AddrRange{Start: start, End: start + vm.VAddr(length)}
	}
	i := s.search(v.Range.Start)
	s.vmas = slices.Insert(s.vmas, i, v)
	s.mergeSpan(i-1, i+1)
	return v.Range, nil
}

// freeRange returns the lowest start >= from (and >= the limit's start) of
// a hole of at least length bytes inside the limit: a first-fit scan of the
// gaps between VMAs, O(n).
func (s *Set) freeRange(from vm.VAddr, length uint64) (vm.VAddr, bool) {
	cur := max(from, s.limit.Start)
	if cur >= s.limit.End {
		return 0, false
	}
	for _, v := range s.vmas[s.search(cur):] {
		if v.Range.Start >= cur && uint64(v.Range.Start-cur) >= length {
			return cur, true
		}
		cur = max(cur, v.Range.End)
	}
	if uint64(s.limit.End-cur) >= length {
		return cur, true
	}
	return 0, false
}

// Unmap removes the addresses of r from every VMA that has any: the
// semantics of Linux's munmap(2) on the VMA list. A VMA inside r goes; a VMA
// straddling one end of r is cut back; a VMA containing r is split in two.
// It returns the removed pieces in address order, each with its
// attributes (a file piece's Offset is where the piece starts in the
// file), so that a kernel can free their pages and flush their
// translations. Unmapping a hole is not an error; it returns nothing.
//
// Errors (the set is unchanged): vm.ErrNotAligned if r's ends are not
// multiples of the page size, vm.ErrOutOfRange if r is empty, inverted or
// not inside the limit (Linux's EINVAL).
func (s *Set) Unmap(r vm.AddrRange) ([]vm.VMA, error) {
	if err := s.checkRange("unmap", r); err != nil {
		return nil, err
	}
	if err := s.checkInLimit("unmap", r); err != nil {
		return nil, err
	}
	removed, _ := s.carve(r)
	return removed, nil
}

// Protect sets the permission of every page of r to perm: the semantics of
// Linux's mprotect(2) on the VMA list. VMAs straddling r's ends are split
// at them; afterwards the pieces merge with any compatible neighbours, so
// protecting a range back to what it was restores the VMAs there were.
// It returns the pieces whose permission changed, clipped to r, in address
// order and with the new permission, so that a kernel can update their
// page-table entries and flush their translations; pieces that already
// had perm are left out.
//
// Errors (the set is unchanged): vm.ErrNotMapped if any page of r lies in
// no VMA (Linux's ENOMEM; Linux changes the VMAs before the first hole and
// then fails, the model checks first so that a failed call changes
// nothing), vm.ErrBadPermission if perm has bits other than read, write
// and execute, and the range errors of Unmap.
func (s *Set) Protect(r vm.AddrRange, perm vm.Perm) ([]vm.VMA, error) {
	if err := s.checkRange("protect", r); err != nil {
		return nil, err
	}
	if err := s.checkInLimit("protect", r); err != nil {
		return nil, err
	}
	if perm&^vm.PermRWX != 0 {
		return nil, fmt.Errorf("vma: protect %v: permission %v has bits other than rwx: %w", r, perm, vm.ErrBadPermission)
	}
	cur := r.Start
	for _, v := range s.vmas[s.search(r.Start):] {
		if v.Range.Start > cur || cur >= r.End {
			break
		}
		cur = v.Range.End
	}
	if cur < r.End {
		return nil, fmt.Errorf("vma: protect %v: %v is not mapped: %w", r, cur, vm.ErrNotMapped)
	}
	pieces, i := s.carve(r)
	var changed []vm.VMA
	for k := range pieces {
		if pieces[k].Perm != perm {
			pieces[k].Perm = perm
			changed = append(changed, pieces[k])
		}
	}
	s.vmas = slices.Insert(s.vmas, i, pieces...)
	s.mergeSpan(i-1, i+len(pieces))
	return changed, nil
}

// carve removes the addresses of r from the set, splitting the VMAs that
// straddle r's ends, and returns the removed pieces and the index at which
// they were (where VMAs covering r would be inserted back).
//
// Preconditions: r is non-empty and page-aligned.
func (s *Set) carve(r vm.AddrRange) (removed []vm.VMA, at int) {
	i := s.search(r.Start)
	j := i
	for j < len(s.vmas) && s.vmas[j].Range.Start < r.End {
		j++
	}
	if i == j {
		return nil, i
	}
	var keep []vm.VMA // the parts of vmas[i] and vmas[j-1] outside r
	for k := i; k < j; k++ {
		v := s.vmas[k]
		if v.Range.Start < r.Start {
			keep = append(keep, clip(v, vm.AddrRange{Start: v.Range.Start, End: r.Start}))
		}
		removed = append(removed, clip(v, vm.AddrRange{Start: max(v.Range.Start, r.Start), End: min(v.Range.End, r.End)}))
		if v.Range.End > r.End {
			keep = append(keep, clip(v, vm.AddrRange{Start: r.End, End: v.Range.End}))
		}
	}
	s.vmas = slices.Replace(s.vmas, i, j, keep...)
	at = i
	if len(keep) > 0 && keep[0].Range.Start < r.Start {
		at++ // after the left remainder
	}
	return removed, at
}

// clip returns the part of v inside r (r lies inside v.Range), its file
// offset moved along with its start.
func clip(v vm.VMA, r vm.AddrRange) vm.VMA {
	if v.Backing == vm.BackingFile {
		v.Offset += uint64(r.Start - v.Range.Start)
	}
	v.Range = r
	return v
}

// mergeSpan merges every compatible adjacent pair among s.vmas[lo..hi]
// (indices clamped to the slice), the neighbourhood an operation touched.
func (s *Set) mergeSpan(lo, hi int) {
	lo = max(lo, 0)
	hi = min(hi, len(s.vmas)-1)
	for k := hi; k > lo; k-- {
		a, b := s.vmas[k-1], s.vmas[k]
		if a.Range.End == b.Range.Start && compatible(a, b) {
			s.vmas[k-1].Range.End = b.Range.End
			s.vmas = slices.Delete(s.vmas, k, k+1)
		}
	}
}

// checkRange rejects an empty, inverted or unaligned range.
func (s *Set) checkRange(op string, r vm.AddrRange) error {
	if r.End <= r.Start {
		return fmt.Errorf("vma: %s %v: empty range: %w", op, r, vm.ErrOutOfRange)
	}
	if !aligned(r.Start, s.ps) || !aligned(r.End, s.ps) {
		return fmt.Errorf("vma: %s %v: not a multiple of the %v page size: %w", op, r, s.ps, vm.ErrNotAligned)
	}
	return nil
}

// checkInLimit rejects a range reaching outside the limit.
func (s *Set) checkInLimit(op string, r vm.AddrRange) error {
	if r.Start < s.limit.Start || r.End > s.limit.End {
		return fmt.Errorf("vma: %s %v: outside the user range %v: %w", op, r, s.limit, vm.ErrOutOfRange)
	}
	return nil
}

// checkAttrs rejects a VMA whose attributes cannot be stored.
func (s *Set) checkAttrs(v vm.VMA) error {
	switch {
	case v.Perm&^vm.PermRWX != 0:
		return fmt.Errorf("vma: map %v: permission %v has bits other than rwx: %w", v.Range, v.Perm, vm.ErrBadPermission)
	case v.Backing != vm.BackingAnon && v.Backing != vm.BackingFile:
		return fmt.Errorf("vma: map %v: unknown backing %v: %w", v.Range, v.Backing, vm.ErrInvalidConfig)
	case v.Role > vm.RoleMmap:
		return fmt.Errorf("vma: map %v: unknown role %v: %w", v.Range, v.Role, vm.ErrInvalidConfig)
	case v.Backing == vm.BackingFile && v.File == "":
		return fmt.Errorf("vma: map %v: a file mapping needs a File: %w", v.Range, vm.ErrInvalidConfig)
	case v.Backing == vm.BackingAnon && v.Offset != 0:
		return fmt.Errorf("vma: map %v: anonymous memory with file offset %#x: %w", v.Range, v.Offset, vm.ErrInvalidConfig)
	case v.Offset%uint64(s.ps) != 0:
		return fmt.Errorf("vma: map %v: file offset %#x is not a multiple of the %v page size: %w", v.Range, v.Offset, s.ps, vm.ErrNotAligned)
	}
	return nil
}

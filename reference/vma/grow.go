package vma

import (
	"fmt"

	"github.com/vmkata/vmkata/vm"
)

// Grow extends the stack down so that it covers va: what Linux's fault
// handler does (expand_stack) when an access faults just below a VMA
// marked GrowsDown. It returns the VMA that covers va afterwards.
//
// The VMA to grow is the first one ending above va (FindNext). If it
// already contains va, Grow returns it unchanged. Otherwise it must be
// GrowsDown, and its start moves down to va's page, provided that
//   - the grown VMA is at most maxSize bytes long (the stack rlimit,
//     RLIMIT_STACK), and
//   - at least guardGap bytes stay free between the VMA below and the new
//     start (Linux's stack_guard_gap, 256 pages by default: a stack that
//     grows into another mapping would silently corrupt it).
//
// Errors (the set is unchanged), in this order: vm.ErrNotMapped if no VMA
// lies above va or the one above does not grow down (the access is a plain
// SIGSEGV, MAPERR); vm.ErrOutOfRange if va's page lies below the limit;
// vm.ErrOutOfMemory if the growth would break maxSize or the guard gap
// (stack overflow: Linux's ENOMEM, then SIGSEGV); vm.ErrOutOfRange if a
// file-backed VMA would grow below offset 0 of its file.
func (s *Set) Grow(va vm.VAddr, maxSize, guardGap uint64) (vm.VMA, error) {
	i := s.search(va)
	if i == len(s.vmas) {
		return vm.VMA{}, fmt.Errorf("vma: grow to %v: no VMA above: %w", va, vm.ErrNotMapped)
	}
	v := s.vmas[i]
	if v.Range.Start <= va {
		return v, nil
	}
	if !v.GrowsDown {
		return vm.VMA{}, fmt.Errorf("vma: grow to %v: the VMA above, %v, does not grow down: %w", va, v, vm.ErrNotMapped)
	}
	start := va &^ vm.VAddr(s.ps-1)
	if start < s.limit.Start {
		return vm.VMA{}, fmt.Errorf("vma: grow %v to %v: below the user range %v: %w", v, va, s.limit, vm.ErrOutOfRange)
	}
	if size := uint64(v.Range.End - start); size > maxSize {
		return vm.VMA{}, fmt.Errorf("vma: grow %v to %v: %#x bytes exceeds the limit of %#x: %w", v, va, size, maxSize, vm.ErrOutOfMemory)
	}
	if i > 0 {
		// The VMA below ends at or before va (it is not the first ending
		// above va), and page-aligned, so at or before start.
		if below := s.vmas[i-1]; uint64(start-below.Range.End) < guardGap {
			return vm.VMA{}, fmt.Errorf("vma: grow %v to %v: only %#x bytes left above %v, want a guard gap of %#x: %w",
				v, va, uint64(start-below.Range.End), below, guardGap, vm.ErrOutOfMemory)
		}
	}
	grow := uint64(v.Range.Start - start)
	if v.Backing == vm.BackingFile {
		if v.Offset < grow {
			return vm.VMA{}, fmt.Errorf("vma: grow %v to %v: below the start of %s: %w", v, va, v.File, vm.ErrOutOfRange)
		}
		s.vmas[i].Offset -= grow
	}
	s.vmas[i].Range.Start = start
	s.mergeSpan(i-1, i)
	got, _ := s.Find(va)
	return got, nil
}

// Resize moves the end of the VMA that starts at start to newEnd, growing
// or shrinking it in place: what brk(2) does to the heap. Growing merges
// the VMA with a compatible one it comes to touch. Shrinking drops the
// addresses [newEnd, old end); a kernel frees their pages (or calls Unmap
// on that range instead, which returns the piece). To remove the VMA
// entirely, Unmap it.
//
// Errors (the set is unchanged), the argument checks first:
// vm.ErrNotAligned if newEnd is not a multiple of the page size;
// vm.ErrOutOfRange if newEnd <= start or newEnd lies beyond the limit;
// vm.ErrNotMapped if no VMA starts at start; vm.ErrAlreadyMapped if
// growing would overlap the next VMA (Linux's brk then fails and leaves
// the break where it was).
func (s *Set) Resize(start, newEnd vm.VAddr) error {
	switch {
	case !aligned(newEnd, s.ps):
		return fmt.Errorf("vma: resize the VMA at %v to end at %v: not a multiple of the %v page size: %w", start, newEnd, s.ps, vm.ErrNotAligned)
	case newEnd <= start:
		return fmt.Errorf("vma: resize the VMA at %v to end at %v: it would be empty: %w", start, newEnd, vm.ErrOutOfRange)
	case newEnd > s.limit.End:
		return fmt.Errorf("vma: resize the VMA at %v to end at %v: beyond the user range %v: %w", start, newEnd, s.limit, vm.ErrOutOfRange)
	}
	i := s.search(start)
	if i == len(s.vmas) || s.vmas[i].Range.Start != start {
		return fmt.Errorf("vma: resize %v: no VMA starts there: %w", start, vm.ErrNotMapped)
	}
	if i+1 < len(s.vmas) && newEnd > s.vmas[i+1].Range.Start {
		return fmt.Errorf("vma: resize %v to end at %v: would overlap %v: %w", s.vmas[i], newEnd, s.vmas[i+1], vm.ErrAlreadyMapped)
	}
	s.vmas[i].Range.End = newEnd
	s.mergeSpan(i, i+1)
	return nil
}

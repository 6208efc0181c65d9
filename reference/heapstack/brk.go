package heapstack

import (
	"fmt"

	"github.com/vmkata/vmkata/vm"
)

// Brk implements the semantics of Linux's brk(2) (SYSCALL_DEFINE1(brk) in
// mm/mmap.c) on the VMA set s, whose pages are ps bytes: it moves the
// program break of heap h to req and returns the heap afterwards and the
// range of pages the heap gave back (empty unless it shrank by at least a
// page). The caller owns the frames of the released pages and must drop
// them (unmap their PTEs, free or put their frames and swap slots).
//
// The rules, in Linux's order:
//   - req below h.Start (brk(0) in particular) changes nothing and is no
//     error: Brk returns h as it is. This is how a program, and malloc,
//     asks where the break is.
//   - The heap may hold at most h.Limit bytes (RLIMIT_DATA): if req-h.Start
//     > h.Limit, Brk fails, even for a request that shrinks the heap
//     (Linux checks the limit first).
//   - The break is byte-granular, the heap VMA covers whole pages: it is
//     [h.Start, pageUp(h.Brk)), and it exists only while h.Brk > h.Start.
//     If req lies in the same page as the old break (pageUp(req) ==
//     pageUp(h.Brk)), only the break moves; the VMAs stay as they are.
//   - Growing maps the new pages [pageUp(h.Brk), pageUp(req)) with
//     MAP_FIXED as private anonymous rw- memory with Role vm.RoleHeap; the
//     set merges them into the heap VMA below (Linux's do_brk_flags extends
//     the brk VMA), so the first growth creates the heap VMA and later ones
//     extend it. Nothing enters the page table: the pages arrive on first
//     touch (demand paging). Growing fails if any VMA overlaps the new
//     pages (Linux: "Check against existing mmap mappings"); it never
//     replaces a mapping.
//   - Shrinking unmaps [pageUp(req), pageUp(h.Brk)) and returns that range
//     (Linux: "Always allow shrinking brk"). A break back at h.Start
//     removes the heap VMA.
//
// When Brk fails, it returns h unchanged, an empty range and the error,
// and s is unchanged: Linux's brk returns the old break, and glibc's brk()
// turns that into ENOMEM.
//
// Errors: first, about the arguments, vm.ErrInvalidConfig if ps is not a
// power of two, h.Brk < h.Start or pageUp(h.Brk) overflows, and
// vm.ErrNotAligned if h.Start is not a multiple of ps; then, after the
// query rule, vm.ErrOutOfMemory if the limit is exceeded, pageUp(req)
// overflows, the new pages overlap a VMA, or the set refuses the change
// (the error then wraps the set's error too, e.g. vm.ErrOutOfRange past
// its limit).
//
// Simplifications: Linux also keeps a page free above the heap and stays
// out of a stack's guard gap; its RLIMIT_DATA counts the data segment too.
func Brk(s vm.VMASet, ps vm.PageSize, h vm.Heap, req vm.VAddr) (vm.Heap, vm.AddrRange, error) {
	switch {
	case ps == 0 || ps&(ps-1) != 0:
		return h, vm.AddrRange{}, fmt.Errorf("heapstack: brk(%v): page size %d is not a power of two: %w", req, uint64(ps), vm.ErrInvalidConfig)
	case uint64(h.Start)%uint64(ps) != 0:
		return h, vm.AddrRange{}, fmt.Errorf("heapstack: brk(%v): %v starts off a %v page boundary: %w", req, h, ps, vm.ErrNotAligned)
	case h.Brk < h.Start:
		return h, vm.AddrRange{}, fmt.Errorf("heapstack: brk(%v): %v has its break below its start: %w", req, h, vm.ErrInvalidConfig)
	}
	oldEnd, ok := pageUp(h.Brk, ps)
	if !ok {
		return h, vm.AddrRange{}, fmt.Errorf("heapstack: brk(%v): %v has its break in the last page of the address space: %w", req, h, vm.ErrInvalidConfig)
	}
	if req < h.Start {
		return h, vm.AddrRange{}, nil
	}
	if size := uint64(req - h.Start); size > h.Limit {
		return h, vm.AddrRange{}, fmt.Errorf("heapstack: brk(%v): a heap of %#x bytes exceeds the data limit of %#x: %w", req, size, h.Limit, vm.ErrOutOfMemory)
	}
	newEnd, ok := pageUp(req, ps)
	if !ok {
		return h, vm.AddrRange{}, fmt.Errorf("heapstack: brk(%v): the page above the break overflows the address space: %w", req, vm.ErrOutOfMemory)
	}
	next := h
	next.Brk = req
	switch {
	case newEnd > oldEnd:
		grown := vm.AddrRange{Start: oldEnd, End: newEnd}
		if v, ok := s.FindNext(oldEnd); ok && v.Range.Start < newEnd {
			return h, vm.AddrRange{}, fmt.Errorf("heapstack: brk(%v): the heap would grow over %v: %w", req, v, vm.ErrOutOfMemory)
		}
		heap := vm.VMA{Range: grown, Perm: vm.PermRW, Backing: vm.BackingAnon, Role: vm.RoleHeap}
		if _, err := s.Map(heap, true); err != nil {
			return h, vm.AddrRange{}, fmt.Errorf("heapstack: brk(%v): mapping %v: %w: %w", req, grown, vm.ErrOutOfMemory, err)
		}
		return next, vm.AddrRange{}, nil
	case newEnd < oldEnd:
		released := vm.AddrRange{Start: newEnd, End: oldEnd}
		if _, err := s.Unmap(released); err != nil {
			return h, vm.AddrRange{}, fmt.Errorf("heapstack: brk(%v): unmapping %v: %w: %w", req, released, vm.ErrOutOfMemory, err)
		}
		return next, released, nil
	}
	return next, vm.AddrRange{}, nil
}

// pageUp rounds va up to a multiple of ps, or reports false if that
// overflows.
func pageUp(va vm.VAddr, ps vm.PageSize) (vm.VAddr, bool) {
	up := va + vm.VAddr(ps-1)
	if up < va {
		return 0, false
	}
	return up &^ vm.VAddr(ps-1), true
}

// Package vma is the set of virtual memory areas (VMAs) of one address
// space: which ranges a process may touch, with which permissions, and
// what backs them. It implements the semantics of Linux's mmap(2),
// munmap(2) and mprotect(2) on the VMA list, plus the two ways a VMA
// changes size on its own: brk(2) moving the end of the heap (Resize) and
// the stack growing down on a fault just below it (Grow).
//
// The usage idiom:
//
//	s, err := vma.NewSet(vm.Size4K, vm.AddrRange{Start: 0x10000, End: 0x7fff_ffff_f000})
//	if err != nil { … }
//	text := vm.VMA{Range: vm.AddrRange{Start: 0x400000, End: 0x401000}, Perm: vm.PermRX,
//		Backing: vm.BackingFile, File: "/bin/app", Role: vm.RoleText}
//	_, err = s.Map(text, true)                    // MAP_FIXED at 0x400000
//	r, err := s.Map(vm.VMA{Range: vm.AddrRange{End: 0x3000}, Perm: vm.PermRW}, false)
//	removed, err := s.Unmap(r)                    // drop their pages, flush the TLB
//	changed, err := s.Protect(text.Range, vm.PermRead)
//
// # Invariants
//
// After every call, successful or not, the VMAs (Set.Check verifies it):
//   - are sorted by address and do not overlap (ranges are half-open);
//   - are non-empty, page-aligned and inside the set's limit;
//   - carry only read, write and execute permission bits;
//   - are merged: no two adjacent VMAs (one's End is the other's Start) are
//     compatible. Two VMAs are compatible when they agree on Perm, Shared,
//     Backing, File, Role and GrowsDown and, for file-backed VMAs, the
//     second continues the first in the file (its Offset is the first's
//     Offset plus the first's length).
//
// Because of the last rule a set is canonical: it holds the fewest VMAs
// that describe its pages, so two sets that give every page the same
// attributes hold the same VMAs. Linux merges the same way (vma_merge),
// except that it also requires the same anon_vma and never merges two
// separate MAP_SHARED|MAP_ANONYMOUS mappings (each has its own shmem
// object); the model keeps the Role apart, so a heap never merges into a
// neighbouring mmap.
//
// # Placement
//
// Map without MAP_FIXED chooses the lowest free range of the requested
// length at or above the hint (v.Range.Start, where 0 means the bottom of
// the limit), else the lowest free range anywhere in the limit: Linux's
// bottom-up ("legacy") mmap layout of arch_get_unmapped_area, which a
// kernel steers by passing its mmap base as the hint. A free hint is used
// as is. (Linux's default layout searches top-down from below the stack;
// bottom-up is simpler to follow and to predict in a test.)
//
// # Data structure
//
// The VMAs live in a slice sorted by start address; lookups binary-search
// it (O(log n)), and Map, Unmap and Protect shift the tail (O(n) copies of
// small structs). A process has tens to a few thousand VMAs (Linux caps
// them at vm.max_map_count, 65530 by default), so the slice is fast and
// plain to read. Linux keeps them in a maple tree (a B-tree variant, since
// 6.1; a red-black tree plus a linked list before), for O(log n) updates
// under RCU-safe lookups.
//
// Bad input returns errors wrapping the vm sentinels and changes nothing.
// A Set is not safe for concurrent use.
package vma

//go:build !solution

// Package heapstack is exercise 12: the decisions a kernel makes about a
// process's heap and stack, with Linux's semantics.
//
//   - Brk moves the program break (brk(2)): the heap grows up from the end
//     of bss, a page at a time underneath a byte-granular break, and
//     shrinks when the break comes back down.
//   - ClassifyFault is step 1 of the page-fault handler: is the faulting
//     address valid (demand paging), just below the stack (grow it), in
//     no VMA (SIGSEGV, SEGV_MAPERR, stack overflow included) or in a VMA
//     that does not allow the access (SIGSEGV, SEGV_ACCERR)?
//
// Read README.md first. Run the specs with:
//
//	go test ./exercises/12-heap-stack/
//
// Both functions work on a vm.VMASet (exercise 11's contract; the specs
// hand you the reference set). Change it only through its methods: Map,
// Unmap, Find and FindNext are all you need. The types vm.Heap, vm.Stack
// and vm.Verdict are given; the comments below are your contract, and the
// specs hold you to every sentence of it.
//
// The classic picture of a process's address space:
//
//	high  +--------------+
//	      | stack        |  grows down on a fault just below it, up to
//	      |      v       |  RLIMIT_STACK (Stack.Limit)
//	      +--------------+
//	      | guard gap    |  stack_guard_gap (Stack.GuardGap): kept free
//	      +--------------+
//	      | mmap area    |  libraries, big malloc blocks (mmap)
//	      |      ^       |
//	      | heap         |  grows up when brk moves the program break,
//	      +--------------+  up to RLIMIT_DATA (Heap.Limit)
//	      | bss, data    |
//	      | text         |
//	low   +--------------+
package heapstack

import "github.com/vmkata/vmkata/vm"

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
// Errors: vm.ErrInvalidConfig if ps is not a power of two, h.Brk <
// h.Start or pageUp(h.Brk) overflows; vm.ErrNotAligned if h.Start is not
// a multiple of ps; vm.ErrOutOfMemory if the limit is exceeded, the new
// pages overlap a VMA, pageUp(req) overflows, or the set refuses the
// change (the error then wraps the set's error too, e.g. vm.ErrOutOfRange
// past its limit).
func Brk(s vm.VMASet, ps vm.PageSize, h vm.Heap, req vm.VAddr) (vm.Heap, vm.AddrRange, error) {
	panic("heapstack.Brk not implemented")
}

// ClassifyFault is step 1 of the page-fault handler, the validation of
// the faulting address (Linux's lock_mm_and_find_vma, expand_stack and
// access_error): it decides what a fault at va for access a means in the
// address space whose VMAs are s, with pages of ps bytes and stack rules
// st. It changes nothing: a kernel asks it once per fault and hands the
// verdict to its page-fault handler (vm.FaultHandler), which acts on it.
//
// The rules, in order (page(va) is va rounded down to its page):
//  1. A VMA holds va (s.Find): vm.VerdictLazy if its Perm has what a
//     needs (a read needs vm.PermRead, a write vm.PermWrite, an execute
//     vm.PermExec; user and supervisor accesses alike), else
//     vm.VerdictAccErr (SEGV_ACCERR). VMA is that VMA.
//  2. Otherwise the first VMA above va (s.FindNext) must grow down (the
//     stack); if there is none, or it does not grow down,
//     vm.VerdictMapErr (SEGV_MAPERR: a stray pointer) with the zero VMA.
//  3. The stack would grow down to page(va), to cover its End-page(va)
//     bytes; more than st.Limit (RLIMIT_STACK) is a stack overflow:
//     vm.VerdictMapErr with the stack as VMA.
//  4. At least st.GuardGap bytes must stay free between page(va) and the
//     end of the nearest VMA below it, if any (Linux's stack_guard_gap, 256
//     pages by default): a stack that came closer could silently run into
//     the heap or a library. Closer is a stack overflow too:
//     vm.VerdictMapErr with the stack as VMA.
//  5. If the stack's Perm does not allow a, vm.VerdictAccErr with the
//     stack as VMA (Linux grows the stack first, then refuses the access;
//     the process dies either way).
//  6. Otherwise vm.VerdictGrowStack, with the stack as VMA, as it is now,
//     and NewStart = page(va). The kernel grows it (vm.VMASet.Grow with
//     st.Limit and st.GuardGap, whose rules are the same) and goes on as
//     for vm.VerdictLazy.
//
// A SIGSEGV verdict carries a Reason in a few words; the others carry "".
// NewStart is 0 unless the verdict is vm.VerdictGrowStack.
//
// Preconditions: ps is a power of two.
func ClassifyFault(s vm.VMASet, ps vm.PageSize, va vm.VAddr, a vm.Access, st vm.Stack) vm.Verdict {
	panic("heapstack.ClassifyFault not implemented")
}

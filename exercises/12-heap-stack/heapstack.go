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
// and vm.Verdict are given; the comments below are your contract. Each
// rule starts with its id in square brackets, and the specs labelled with
// that id check it.
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
// range of pages the heap gave back. The caller owns the frames of the
// released pages and must drop them (unmap their PTEs, free or put their
// frames and swap slots).
//
// The break is byte-granular, the heap VMA covers whole pages: it is
// [h.Start, pageUp(h.Brk)), private anonymous rw- memory with Role
// vm.RoleHeap, and it exists only while h.Brk > h.Start (pageUp rounds up
// to a multiple of ps). The rules, in this order (Linux's):
//   - [rule:12.brk-invalid-heap] vm.ErrInvalidConfig if ps is not a power
//     of two, h.Brk < h.Start, or pageUp(h.Brk) overflows the address
//     space; vm.ErrNotAligned if h.Start is not a multiple of ps.
//   - [rule:12.brk-query] req below h.Start (brk(0) in particular) changes
//     nothing and is no error: Brk returns h as it is and an empty range.
//     This is how a program, and malloc, asks where the break is.
//   - [rule:12.brk-limit] The heap may hold at most h.Limit bytes
//     (RLIMIT_DATA), counted to the byte: req-h.Start == h.Limit is
//     allowed, one byte more fails with vm.ErrOutOfMemory.
//     [rule:12.brk-limit-first] The limit is checked before the heap's
//     pages are looked at, so a request that shrinks the heap fails too
//     while it stays above the limit (a limit lowered under the heap).
//   - [rule:12.brk-overflow] A req whose pageUp overflows the address
//     space fails with vm.ErrOutOfMemory.
//   - [rule:12.brk-same-page] If pageUp(req) == pageUp(h.Brk), only the
//     break moves: the VMAs stay as they are and nothing is released.
//   - [rule:12.brk-grow] Growing (pageUp(req) > pageUp(h.Brk)) maps the new
//     pages [pageUp(h.Brk), pageUp(req)) with MAP_FIXED as private
//     anonymous rw- memory with Role vm.RoleHeap; the set merges them into
//     the heap VMA below (Linux's do_brk_flags extends the brk VMA), so the
//     first growth creates the heap VMA and later ones extend it. Nothing
//     enters the page table: the pages arrive on first touch (demand
//     paging).
//   - [rule:12.brk-no-overlap] Growing fails with vm.ErrOutOfMemory if any
//     VMA overlaps the new pages (Linux: "Check against existing mmap
//     mappings"); it never replaces a mapping. Growing right up to the
//     next VMA is allowed.
//   - [rule:12.brk-shrink] Shrinking (pageUp(req) < pageUp(h.Brk)) unmaps
//     [pageUp(req), pageUp(h.Brk)) and returns that range, the whole pages
//     above the new break (Linux: "Always allow shrinking brk"). A break
//     back at h.Start removes the heap VMA.
//   - [rule:12.brk-result] On success Brk returns h with Brk = req (Start
//     and Limit as they were) and the range released, empty unless the
//     heap shrank by at least a page.
//
// [rule:12.brk-failure-unchanged] When Brk fails, it returns h unchanged,
// an empty range and the error, and s is unchanged: Linux's brk returns
// the old break, and glibc's brk() turns that into ENOMEM.
// [rule:12.brk-set-refuses] If s refuses the change Brk asks of it (its Map
// or Unmap returns an error), Brk fails with an error wrapping both
// vm.ErrOutOfMemory and the set's error (e.g. vm.ErrOutOfRange past the
// set's limit).
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
// An access is allowed by a VMA whose Perm has what it needs: a read needs
// vm.PermRead, a write vm.PermWrite, an execute vm.PermExec, for user and
// supervisor accesses alike. page(va) is va rounded down to its page. The
// rules, in order:
//  1. [rule:12.classify-lazy] A VMA holds va (s.Find) and allows a:
//     vm.VerdictLazy about that VMA.
//     [rule:12.classify-accerr] A VMA holds va and does not allow a:
//     vm.VerdictAccErr (SEGV_ACCERR) about that VMA, whatever lies around
//     it.
//  2. [rule:12.classify-hole] Otherwise the first VMA above va (s.FindNext)
//     must grow down (the stack); if there is none, or it does not grow
//     down, vm.VerdictMapErr (SEGV_MAPERR: a stray pointer) with the zero
//     VMA.
//  3. [rule:12.classify-stack-limit] The stack would grow down to page(va),
//     to cover its End-page(va) bytes; more than st.Limit (RLIMIT_STACK) is
//     a stack overflow: vm.VerdictMapErr about the stack. Exactly st.Limit
//     is allowed.
//  4. [rule:12.classify-guard-gap] At least st.GuardGap bytes must stay
//     free between the end of the nearest VMA below page(va), if any, and
//     page(va) (Linux's stack_guard_gap, 256 pages by default): a stack
//     that came closer could silently run into the heap or a library.
//     Closer is a stack overflow too: vm.VerdictMapErr about the stack.
//     Exactly st.GuardGap is allowed.
//  5. [rule:12.classify-stack-accerr] If the stack does not allow a,
//     vm.VerdictAccErr about the stack (Linux grows the stack first, then
//     refuses the access; the process dies either way). Rules 3 and 4 come
//     first: a forbidden access the stack may not grow to is MapErr.
//  6. [rule:12.classify-grow] Otherwise vm.VerdictGrowStack about the
//     stack, as it is now, with NewStart = page(va): a fault several pages
//     below the stack grows it by all of them at once. The kernel grows it
//     (vm.VMASet.Grow with st.Limit and st.GuardGap, whose rules are the
//     same) and goes on as for vm.VerdictLazy.
//
// [rule:12.classify-reason] A SIGSEGV verdict (MapErr, AccErr) carries a
// Reason in a few words; the others carry "". NewStart is 0 unless the
// verdict is vm.VerdictGrowStack.
// [rule:12.classify-changes-nothing] ClassifyFault changes nothing: it
// calls none of the set's methods that change it.
//
// Preconditions: ps is a power of two.
func ClassifyFault(s vm.VMASet, ps vm.PageSize, va vm.VAddr, a vm.Access, st vm.Stack) vm.Verdict {
	panic("heapstack.ClassifyFault not implemented")
}

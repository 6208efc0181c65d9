// Package heapstack holds the decisions a kernel makes about a process's
// heap and stack, as small functions over its set of VMAs (a vm.VMASet),
// with Linux's semantics:
//
//   - Brk moves the program break (brk(2)): the heap grows up from the
//     end of bss, a page at a time underneath a byte-granular break, and
//     shrinks when the break comes back down;
//   - ClassifyFault is step 1 of the page-fault handler: is the faulting
//     address valid (demand paging), just below the stack (grow it), in no
//     VMA (SIGSEGV, SEGV_MAPERR, stack overflow included) or in a VMA that
//     does not allow the access (SIGSEGV, SEGV_ACCERR)?
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
//	      |              |
//	      |      ^       |
//	      | heap         |  grows up when brk moves the program break,
//	      +--------------+  up to RLIMIT_DATA (Heap.Limit)
//	      | bss, data    |
//	      | text         |
//	low   +--------------+
//
// The functions change the VMA set only through the vm.VMASet contract
// (Map, Unmap, Find, FindNext), so that they run on any correct set;
// ClassifyFault changes nothing: a kernel that gets VerdictGrowStack grows
// the stack with the set's Grow, whose rules are the same.
//
// The usage idiom, in a kernel's brk and fault handler:
//
//	h, released, err := heapstack.Brk(p.vmas, ps, p.heap, addr)
//	// drop the frames of released, keep h (on error h is the old heap)
//
//	switch v := heapstack.ClassifyFault(p.vmas, ps, f.Addr, f.Access, rules); v.Kind {
//	case vm.VerdictGrowStack: // p.vmas.Grow(f.Addr, rules.Limit, rules.GuardGap), then as Lazy
//	case vm.VerdictLazy:      // find a frame, load the page, map it, restart
//	case vm.VerdictMapErr, vm.VerdictAccErr: // SIGSEGV, v.Reason
//	}
//
// Heap, Stack and Verdict are vm's types, so that a learner's package
// (exercise 12) exports the same API.
package heapstack

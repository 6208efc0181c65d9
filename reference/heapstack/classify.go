package heapstack

import "github.com/vmkata/vmkata/vm"

// Reasons a verdict gives for a SIGSEGV. They are constants, so that
// classifying a fault allocates nothing.
const (
	reasonNoVMA      = "no VMA contains the address"
	reasonStackLimit = "stack overflow: the stack would grow past its size limit"
	reasonGuardGap   = "stack overflow: the stack would grow into the guard gap above the mapping below it"
	reasonNoRead     = "the VMA does not allow reading"
	reasonNoWrite    = "the VMA does not allow writing"
	reasonNoExec     = "the VMA does not allow executing"
)

// ClassifyFault is step 1 of the page-fault handler, the validation of
// the faulting address (Linux's lock_mm_and_find_vma, expand_stack and
// access_error): it decides what a fault at va for access a means in the
// address space whose VMAs are s, with pages of ps bytes and stack rules
// st. It changes nothing: a kernel asks it once per fault and hands the
// verdict to its page-fault handler (vm.FaultHandler), which acts on it.
//
// The rules, in order (page(va) is va rounded down to its page):
//  1. A VMA holds va (s.Find): VerdictLazy if its Perm has what a needs (a
//     read needs vm.PermRead, a write vm.PermWrite, an execute
//     vm.PermExec; user and supervisor accesses alike), else VerdictAccErr
//     (SEGV_ACCERR). VMA is that VMA.
//  2. Otherwise the first VMA above va (s.FindNext) must grow down (the
//     stack); if there is none, or it does not grow down, VerdictMapErr
//     (SEGV_MAPERR: a stray pointer) with the zero VMA.
//  3. The stack would grow down to page(va), to cover its End-page(va)
//     bytes; more than st.Limit (RLIMIT_STACK) is a stack overflow:
//     VerdictMapErr with the stack as VMA.
//  4. At least st.GuardGap bytes must stay free between page(va) and the
//     end of the nearest VMA below it, if any (Linux's stack_guard_gap, 256
//     pages by default): a stack that came closer could silently run into
//     the heap or a library. Closer is a stack overflow too: VerdictMapErr
//     with the stack as VMA.
//  5. If the stack's Perm does not allow a, VerdictAccErr with the stack
//     as VMA (Linux grows the stack first, then refuses the access; the
//     process dies either way).
//  6. Otherwise VerdictGrowStack, with the stack as VMA, as it is now, and
//     NewStart = page(va). The kernel grows it (vm.VMASet.Grow with
//     st.Limit and st.GuardGap, whose rules are the same) and goes on as
//     for VerdictLazy.
//
// A SIGSEGV verdict carries a Reason in a few words; the others carry "".
// NewStart is 0 unless the verdict is VerdictGrowStack.
//
// Preconditions: ps is a power of two.
//
// Simplifications: Linux exempts a PROT_NONE mapping or another stack
// below from the guard gap; older kernels also refused a stack access far
// below the stack pointer.
func ClassifyFault(s vm.VMASet, ps vm.PageSize, va vm.VAddr, a vm.Access, st vm.Stack) vm.Verdict {
	if v, ok := s.Find(va); ok {
		return checkAccess(v, a, vm.Verdict{Kind: vm.VerdictLazy, VMA: v})
	}
	stack, ok := s.FindNext(va)
	if !ok || !stack.GrowsDown {
		return vm.Verdict{Kind: vm.VerdictMapErr, Reason: reasonNoVMA}
	}
	start := va &^ vm.VAddr(ps-1)
	if size := uint64(stack.Range.End - start); size > st.Limit {
		reason := reasonStackLimit
		if size-st.Limit > uint64(ps) {
			// Far below the stack: more likely a stray pointer than a
			// stack that ran one page too deep.
			reason = reasonNoVMA
		}
		return vm.Verdict{Kind: vm.VerdictMapErr, VMA: stack, Reason: reason}
	}
	// The nearest VMA below ends at or before start (the stack is the first
	// VMA ending above va, and VMAs are page-aligned). It is too close if
	// it ends above start-GuardGap: then it is the first VMA ending above
	// that address, not the stack.
	var lo vm.VAddr
	if uint64(start) > st.GuardGap {
		lo = start - vm.VAddr(st.GuardGap)
	}
	if below, ok := s.FindNext(lo); ok && below.Range.Start < stack.Range.Start {
		return vm.Verdict{Kind: vm.VerdictMapErr, VMA: stack, Reason: reasonGuardGap}
	}
	return checkAccess(stack, a, vm.Verdict{Kind: vm.VerdictGrowStack, VMA: stack, NewStart: start})
}

// checkAccess returns ok if v's permission allows a, else an AccErr
// verdict about v.
func checkAccess(v vm.VMA, a vm.Access, ok vm.Verdict) vm.Verdict {
	need := a.Needs() &^ vm.PermUser
	if v.Perm.Has(need) {
		return ok
	}
	reason := reasonNoRead
	switch a.Kind {
	case vm.Write:
		reason = reasonNoWrite
	case vm.Execute:
		reason = reasonNoExec
	}
	return vm.Verdict{Kind: vm.VerdictAccErr, VMA: v, Reason: reason}
}

package vm

import "fmt"

// Heap is a process's heap as brk(2) sees it: where it starts, where the
// program break is now, and how far RLIMIT_DATA lets the break go.
//
// The break is byte-granular; the heap VMA ([Start, Brk rounded up to a
// page), Role RoleHeap) covers whole pages and exists only while Brk >
// Start.
//
// Invariant: Start is page-aligned (the page after bss, Linux's
// start_brk), Start <= Brk, and the heap VMA's end pageUp(Brk) fits in
// the address space. Brk-Start may exceed Limit when the limit was lowered
// under the heap (setrlimit): then only a request within the limit
// succeeds. Exercise 12's Brk states the rules.
type Heap struct {
	Start VAddr  // start_brk: the first byte of the heap
	Brk   VAddr  // the program break: the first byte past the heap
	Limit uint64 // RLIMIT_DATA: the most bytes Brk-Start may reach
}

// String prints e.g. "heap [0x601000, brk 0x601010) limit 0x800000".
func (h Heap) String() string {
	return fmt.Sprintf("heap [%v, brk %v) limit %#x", h.Start, h.Brk, h.Limit)
}

// Stack is the rule a stack grows by: a fault just below a grows-down VMA
// extends it down to the faulting page, as long as the stack stays within
// Limit bytes and at least GuardGap bytes stay free below it.
type Stack struct {
	Limit    uint64 // RLIMIT_STACK: the most bytes a stack VMA may cover
	GuardGap uint64 // Linux's stack_guard_gap: bytes kept free between the stack and the VMA below
}

// String prints e.g. "stack limit 0x800000 guard gap 0x100000".
func (s Stack) String() string {
	return fmt.Sprintf("stack limit %#x guard gap %#x", s.Limit, s.GuardGap)
}

// VerdictKind is what step 1 of the page-fault handler (validate the
// address; see FaultHandler) decides about a fault.
type VerdictKind uint8

// Verdict kinds.
const (
	// VerdictLazy: the address lies in a VMA that allows the access, so the
	// fault is the kernel's to service (the page is valid but not present,
	// or present without a permission the VMA grants: demand paging,
	// swap-in, copy-on-write). The access restarts afterwards.
	VerdictLazy VerdictKind = iota
	// VerdictGrowStack: the address lies in no VMA, just below a grows-down
	// VMA (the stack) that may grow down to it within the stack limit and
	// the guard gap. The stack grows, then the fault is serviced.
	VerdictGrowStack
	// VerdictMapErr: no VMA holds the address and no stack may grow to it
	// (a stray pointer, or a stack overflow): SIGSEGV with SEGV_MAPERR.
	VerdictMapErr
	// VerdictAccErr: a VMA holds the address but does not allow the
	// access (a write to text, an exec of the heap, any access to
	// PROT_NONE), or the stack could grow to the address but does not
	// allow the access: SIGSEGV with SEGV_ACCERR.
	VerdictAccErr
)

// String prints lazy, grow-stack, maperr or accerr.
func (k VerdictKind) String() string {
	switch k {
	case VerdictLazy:
		return "lazy"
	case VerdictGrowStack:
		return "grow-stack"
	case VerdictMapErr:
		return "maperr"
	case VerdictAccErr:
		return "accerr"
	}
	return fmt.Sprintf("verdict(%d)", uint8(k))
}

// Verdict is the outcome of step 1 of the page-fault handler for one
// faulting address and access: decided once by the kernel, handed to
// FaultHandler.HandleFault, and passed back to FaultContext.GrowStack or
// FaultContext.Segv.
type Verdict struct {
	Kind VerdictKind
	// VMA is the VMA the verdict is about: the one holding the address
	// (Lazy, AccErr); else the grows-down VMA above it, as it was before
	// growing (GrowStack; MapErr when that stack may not grow so far;
	// AccErr when it could but does not allow the access); the zero VMA
	// when no stack lies above (MapErr).
	VMA VMA
	// NewStart is the stack's start after growing: the faulting address's
	// page (GrowStack only; 0 otherwise).
	NewStart VAddr
	// Reason says why, in a few words, for a SIGSEGV message (MapErr,
	// AccErr; "" otherwise).
	Reason string
}

// String prints the verdict for a reader, e.g.
//
//	lazy in 00601000-00602000 rw-p 00000000 heap
//	grow-stack to 0x7ffde000: 7ffdf000-7ffff000 rw-p 00000000 stack growsdown
//	maperr: no VMA contains the address
//	accerr: the VMA does not allow the access: 00400000-00401000 r-xp 00000000 /bin/app text
func (v Verdict) String() string {
	switch v.Kind {
	case VerdictLazy:
		return "lazy in " + v.VMA.String()
	case VerdictGrowStack:
		return fmt.Sprintf("grow-stack to %v: %v", v.NewStart, v.VMA)
	case VerdictAccErr:
		return fmt.Sprintf("accerr: %s: %v", v.Reason, v.VMA)
	}
	if v.VMA.Range.Len() == 0 {
		return fmt.Sprintf("%v: %s", v.Kind, v.Reason)
	}
	return fmt.Sprintf("%v: %s: %v", v.Kind, v.Reason, v.VMA)
}

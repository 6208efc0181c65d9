package vm

import "fmt"

// FaultHandler is the operating system's page-fault handler: the seam
// through which a kernel takes its fault handling, so that a learner's
// handler can run inside the reference kernel (exercises 09 and 10).
//
// The kernel calls HandleFault when the MMU raises a Fault for a user
// access of the process ctx describes (a non-canonical address never gets
// here: it is a #GP). It has already validated the address, once: verdict
// is what its fault classification (reference/heapstack.ClassifyFault,
// exercise 12) decided about f.Addr and f.Access against the process's
// VMAs. The handler acts on the verdict; it never checks permissions or
// looks for the VMA again.
//
// The five steps of demand paging (the textbook's page-fault service
// routine; every other doc comment of the fault path refers here):
//
//  1. Validate: act on verdict. VerdictMapErr and VerdictAccErr: return
//     ctx.Segv(f, verdict), which kills the process with SIGSEGV
//     (SEGV_MAPERR or SEGV_ACCERR). VerdictGrowStack: ctx.GrowStack(verdict)
//     grows the stack, and the VMA it returns is the page's. VerdictLazy:
//     the page's VMA is verdict.VMA. A file page past the end of its file
//     is found at step 2: ctx.FilePage's error wraps ErrOutOfRange, and the
//     handler returns ctx.Bus(f, reason) (SIGBUS).
//  2. Find a frame: ctx.NewPage (a free frame, or one freed by evicting the
//     replacement policy's victim), or one that already holds the page
//     (ctx.ZeroPage, ctx.FilePage).
//  3. Load it: ctx.ZeroFrame, ctx.CopyFrame, ctx.SwapIn, or ctx.FilePage
//     (which reads the file into the page cache).
//  4. Map it: ctx.MapPage installs the PTE (replacing any old one) and
//     invalidates stale TLB entries on every CPU; ctx.ProtectPage changes
//     only the permission of a present PTE.
//  5. Return nil: the kernel restarts the access.
//
// When a ctx service returns an error, the handler stops and returns it
// (or an error wrapping it), mapping nothing it has not finished loading:
// ctx.Segv and ctx.Bus have killed the process; any other error (out of
// memory, a refused change) leaves the process alive and reaches the
// caller of the access. A frame from ctx.NewPage that is not mapped when
// HandleFault returns goes back to the free list, and a page SwapIn read
// into it goes back to swap: a handler never frees a frame.
//
// Returning nil without making the access possible makes the kernel
// restart, fault again, and give up after a few tries with an error.
type FaultHandler interface {
	HandleFault(ctx FaultContext, f *Fault, verdict Verdict) error
}

// PageState says what a process holds for one virtual page.
type PageState uint8

// Page states.
const (
	PageNone    PageState = iota // nothing: never touched, or dropped (demand-zero or file page to load)
	PagePresent                  // a present PTE maps a frame
	PageSwapped                  // a swap entry: the page's bytes are in a swap slot
)

// String prints none, present or swapped.
func (s PageState) String() string {
	switch s {
	case PageNone:
		return "none"
	case PagePresent:
		return "present"
	case PageSwapped:
		return "swapped"
	}
	return fmt.Sprintf("pagestate(%d)", uint8(s))
}

// PageInfo is what FaultContext.Lookup reports for a page.
type PageInfo struct {
	State PageState
	PTE   PTE // the leaf entry when State == PagePresent
	// Refs is the frame's reference count when present: the mappings that
	// share it, plus one if it is a page-cache page or the zero page. A
	// private anonymous page with Refs == 1 is the faulting process's alone.
	Refs int
	// Anon reports that the present frame holds an anonymous page (not a
	// page-cache page, not the zero page).
	Anon bool
}

// FaultContext is what a kernel lends its FaultHandler for one fault: the
// services of one process's address space and of the machine, and nothing
// else (the steps they serve are FaultHandler's). Every method that
// changes state keeps the kernel's invariants (reference counts, reverse
// maps, TLB coherence, counters, events).
type FaultContext interface {
	// GrowStack grows the stack as verdict says (a VerdictGrowStack this
	// fault received: the grows-down verdict.VMA extended down to
	// verdict.NewStart, counted as a stack growth) and returns the grown
	// VMA. Any other verdict returns an error wrapping ErrNotMapped and
	// changes nothing.
	GrowStack(verdict Verdict) (VMA, error)
	// Segv kills the process with SIGSEGV for fault f, with the code
	// verdict names (VerdictMapErr: SEGV_MAPERR, VerdictAccErr:
	// SEGV_ACCERR) and verdict.Reason, and returns the error HandleFault
	// must return. Any other verdict is a handler's mistake: the process is
	// killed with SEGV_ACCERR all the same, the reason saying so.
	Segv(f *Fault, verdict Verdict) error
	// Bus kills the process with SIGBUS (BUS_ADRERR) for fault f and
	// returns the error HandleFault must return.
	Bus(f *Fault, reason string) error

	// Lookup reports what the process holds for the page containing va.
	Lookup(va VAddr) PageInfo
	// ZeroPage returns the frame of the shared zero page (map it read-only).
	ZeroPage() PFN
	// NewPage returns a frame for a new private anonymous page, evicting a
	// victim through the replacement policy if memory is full (the OOM
	// killer runs if nothing can be evicted; the error then says whether
	// this process died). The frame holds whatever bytes it last held (a
	// recycled frame: garbage) until ZeroFrame, CopyFrame or SwapIn fills
	// it.
	NewPage() (PFN, error)
	// ZeroFrame clears frame pfn, a frame from NewPage.
	ZeroFrame(pfn PFN)
	// CopyFrame copies frame src into frame dst, a frame from NewPage.
	CopyFrame(dst, src PFN)
	// SwapIn reads the swapped-out page at va into frame pfn (from NewPage)
	// and drops the swap entry (a major fault). An error means the frame
	// was not filled.
	SwapIn(va VAddr, pfn PFN) error
	// FilePage returns the page-cache frame holding the file page VMA v
	// maps at va, reading it from the file on a miss (a major fault). An
	// error wrapping ErrOutOfRange means the page lies past the end of the
	// file (or the file is gone): SIGBUS, and the error's text is the
	// reason to give ctx.Bus. Any other error (ErrOutOfMemory: no frame
	// for the page cache) is not the process's fault: return it.
	FilePage(v VMA, va VAddr) (PFN, error)
	// MapPage makes the PTE for va point at pfn with perm (PermUser is
	// added), replacing any present PTE (its frame loses a reference) and
	// invalidating va's TLB entries on every CPU. An error (ErrOutOfMemory:
	// no frame for a page table) changes nothing.
	MapPage(va VAddr, pfn PFN, perm Perm) error
	// ProtectPage changes the permission of va's present PTE and
	// invalidates its TLB entries on every CPU. An error changes nothing.
	ProtectPage(va VAddr, perm Perm) error
}

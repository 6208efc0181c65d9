package vm

import "fmt"

// FaultHandler is the operating system's page-fault handler: the seam
// through which a kernel takes its fault handling, so that a learner's
// handler can run inside the reference kernel (exercise 09).
//
// The kernel calls HandleFault when the MMU raises a Fault for a user
// access of the process ctx describes (a non-canonical address never gets
// here: it is a #GP). The handler follows the five steps of demand paging:
//
//  1. Validate f.Addr against the VMAs (FindVMA; GrowStack for an address
//     just below a grows-down VMA). No VMA: return ctx.Segv(f, true, …)
//     (SEGV_MAPERR). A VMA that does not allow f.Access: ctx.Segv(f,
//     false, …) (SEGV_ACCERR). A file page past the end of its file:
//     ctx.Bus(f, …).
//  2. Find a frame: NewPage (a free frame, or one freed by evicting the
//     replacement policy's victim), or an existing one (ZeroPage, FilePage).
//  3. Load it: ZeroFrame, CopyFrame, SwapIn, or FilePage (which reads the
//     file into the page cache).
//  4. Map it: MapPage installs the PTE (replacing any old one) and
//     invalidates stale TLB entries on every CPU; ProtectPage changes only
//     the permission.
//  5. Return nil: the kernel restarts the access.
//
// Returning nil without making the access possible makes the kernel
// restart, fault again, and give up after a few tries with an error.
type FaultHandler interface {
	HandleFault(ctx FaultContext, f *Fault) error
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
// else. Every method that changes state keeps the kernel's invariants
// (reference counts, reverse maps, TLB coherence, counters, events).
type FaultContext interface {
	// FindVMA returns the VMA containing va.
	FindVMA(va VAddr) (VMA, bool)
	// GrowStack extends the grows-down VMA just above va down to va's page,
	// within the stack limit and the guard gap, and returns it; an error
	// means va is not a legal stack address (SEGV_MAPERR).
	GrowStack(va VAddr) (VMA, error)
	// Segv kills the process with SIGSEGV (SEGV_MAPERR if mapErr, else
	// SEGV_ACCERR) and returns the error HandleFault must return.
	Segv(f *Fault, mapErr bool, reason string) error
	// Bus kills the process with SIGBUS and returns the error to return.
	Bus(f *Fault, reason string) error

	// Lookup reports what the process holds for the page containing va.
	Lookup(va VAddr) PageInfo
	// ZeroPage returns the frame of the shared zero page (map it read-only).
	ZeroPage() PFN
	// NewPage returns a frame for a new private anonymous page, evicting a
	// victim through the replacement policy if memory is full (the OOM
	// killer runs if nothing can be evicted; the error then says whether
	// this process died). The frame's bytes are undefined until ZeroFrame
	// or CopyFrame; map it with MapPage before returning.
	NewPage() (PFN, error)
	// ZeroFrame clears frame pfn.
	ZeroFrame(pfn PFN)
	// CopyFrame copies frame src into frame dst (copy-on-write).
	CopyFrame(dst, src PFN)
	// SwapIn reads the swapped-out page at va into frame pfn (from NewPage)
	// and drops the swap entry (a major fault).
	SwapIn(va VAddr, pfn PFN) error
	// FilePage returns the page-cache frame holding the file page VMA v
	// maps at va, reading it from the file on a miss (a major fault). An
	// error wrapping ErrOutOfRange means the page lies past the end of the
	// file (SIGBUS).
	FilePage(v VMA, va VAddr) (PFN, error)
	// MapPage makes the PTE for va point at pfn with perm (PermUser is
	// added), replacing any present PTE (its frame loses a reference) and
	// invalidating va's TLB entries on every CPU.
	MapPage(va VAddr, pfn PFN, perm Perm) error
	// ProtectPage changes the permission of va's present PTE and
	// invalidates its TLB entries on every CPU.
	ProtectPage(va VAddr, perm Perm) error
}

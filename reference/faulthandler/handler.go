// Package faulthandler is the reference page-fault handler: the operating
// system's half of demand paging and copy-on-write, written against the
// vm.FaultHandler seam alone, so that it runs inside the reference kernel
// (reference/kernel) and a learner's handler can take its place
// (exercises 09 and 10).
//
// The kernel does the rest: the MMU raises a *vm.Fault, the kernel calls
// HandleFault with the fault, its verdict (step 1, decided by the kernel)
// and a vm.FaultContext (the services of the faulting
// process's address space and of the machine), and when HandleFault returns
// nil the kernel restarts the access. The handler decides; the context
// keeps the books (reference counts, reverse maps, TLB coherence, counters,
// events).
//
// The usage idiom:
//
//	k, err := kernel.New(kernel.Config{Frames: 64, SwapSlots: 128,
//		FaultHandler: faulthandler.New()})
//
// (the reference kernel's default: a nil Config.FaultHandler means this one).
//
// The handler follows the five steps of demand paging, as
// vm.FaultHandler states them; step 1 is the kernel's verdict, acted on.
//
// Copy-on-write (exercise 10) is the write fault on a present, read-only
// page of a VMA that allows writes: the page is shared (after fork, or the
// zero page, or a page-cache page under MAP_PRIVATE), so the writer gets a
// private copy; unless no one else maps it any more, in which case it is
// simply made writable.
package faulthandler

import "github.com/vmkata/vmkata/vm"

// Handler is the reference page-fault handler. It keeps no state of its
// own: everything it needs is in the fault and the context. Build it with
// New.
type Handler struct{}

// New returns a page-fault handler, ready to plug into a kernel's
// Config.FaultHandler.
func New() *Handler { return &Handler{} }

var _ vm.FaultHandler = (*Handler)(nil)

// HandleFault services page fault f of the process ctx describes, on the
// kernel's verdict, in the five steps of vm.FaultHandler, and returns nil
// for the kernel to restart the access, or the error a ctx service
// returned.
//
// What it does, by the page's state (ctx.Lookup):
//   - none (never touched, or dropped): an anonymous page is read as the
//     shared zero page, mapped read-only, and written into a fresh frame
//     cleared to zeroes; a file page comes from the page cache: mapped
//     as is for MAP_SHARED (writable if the VMA is) and for a read of
//     MAP_PRIVATE (read-only), copied into a fresh frame for a write to
//     MAP_PRIVATE;
//   - swapped: a fresh frame, read back from swap (a major fault), mapped
//     with the VMA's permission;
//   - present: the PTE lacks a permission the VMA grants. For a write it
//     is copy-on-write (see copyOnWrite); otherwise the permission is
//     added.
//
// Every mapping gets the VMA's permission plus read (x86 cannot express a
// present page that is not readable), minus write where the page must stay
// shared.
func (h *Handler) HandleFault(ctx vm.FaultContext, f *vm.Fault, verdict vm.Verdict) error {
	v, err := h.validate(ctx, f, verdict)
	if err != nil {
		return err
	}
	info := ctx.Lookup(f.Addr)
	switch info.State {
	case vm.PagePresent:
		if f.Access.Kind == vm.Write {
			return h.copyOnWrite(ctx, v, f, info)
		}
		// A stale PTE: the VMA allows the access and the page is there.
		return ctx.ProtectPage(f.Addr, info.PTE.Perm()|f.Access.Needs())
	case vm.PageSwapped:
		return h.swapIn(ctx, v, f)
	}
	if v.Backing == vm.BackingFile {
		return h.filePage(ctx, v, f)
	}
	return h.anonPage(ctx, v, f)
}

// validate is step 1, acting on the kernel's verdict: the VMA holding
// f.Addr (grown down to it, for a stack), or the process is killed with
// SIGSEGV, the code the verdict names.
func (h *Handler) validate(ctx vm.FaultContext, f *vm.Fault, verdict vm.Verdict) (vm.VMA, error) {
	switch verdict.Kind {
	case vm.VerdictLazy:
		return verdict.VMA, nil
	case vm.VerdictGrowStack:
		return ctx.GrowStack(verdict)
	}
	return vm.VMA{}, ctx.Segv(f, verdict)
}

// mapPerm is the permission a page of VMA v is mapped with when it is the
// process's own: the VMA's, plus read.
func mapPerm(v vm.VMA) vm.Perm { return v.Perm | vm.PermRead }

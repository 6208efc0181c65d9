//go:build !solution

// Package faulthandler is exercise 09: the operating system's page-fault
// handler, the heart of demand paging. Your handler runs inside the
// reference kernel (reference/kernel): the MMU raises a *vm.Fault, the
// kernel calls your HandleFault with a vm.FaultContext (the services of
// the faulting process's address space and of the machine), and when you
// return nil it restarts the access. You decide; the context keeps the
// books (reference counts, TLB coherence, counters, events).
//
// Read README.md first, and the contract of vm.FaultHandler and
// vm.FaultContext in vm/fault_handler.go. Run the specs with:
//
//	go test ./exercises/09-demand-paging/
//
// Your handler follows the five steps of the textbook's page-fault service
// routine:
//
//  1. Validate the address: which VMA holds it (ctx.FindVMA; for an address
//     just below the stack, ctx.GrowStack), and does the VMA allow the
//     access? No VMA is SIGSEGV with SEGV_MAPERR (return ctx.Segv(f, true,
//     …)); a VMA that does not allow the access is SIGSEGV with
//     SEGV_ACCERR (ctx.Segv(f, false, …)); a file page past the end of its
//     file is SIGBUS (ctx.Bus).
//  2. Find a frame: a new one (ctx.NewPage, which evicts a victim through
//     the replacement policy if memory is full), or one that already holds
//     the page (ctx.ZeroPage, ctx.FilePage).
//  3. Load it: ctx.ZeroFrame, ctx.CopyFrame, ctx.SwapIn, or ctx.FilePage
//     (which reads the file into the page cache).
//  4. Update the page table: ctx.MapPage (or ctx.ProtectPage to change only
//     the permission).
//  5. Restart: return nil.
//
// A write to a present, read-only page (the zero page, a page-cache page
// under MAP_PRIVATE) is copy-on-write: the writer gets a private copy.
// Exercise 10 completes that path for pages shared by fork.
package faulthandler

import "github.com/vmkata/vmkata/vm"

// Handler is your page-fault handler. Build it with New.
type Handler struct {
	// TODO: your fields, if any. Everything the handler needs is in the
	// fault and the context: an empty struct is enough.
}

// New returns a page-fault handler, ready to plug into a kernel's
// Config.FaultHandler.
func New() *Handler {
	panic("faulthandler.New not implemented")
}

// HandleFault services page fault f of the process ctx describes, in the
// five steps of demand paging, and returns nil for the kernel to restart
// the access, or the error a ctx service returned (ctx.Segv and ctx.Bus
// kill the process and return the error to pass on).
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
//     is copy-on-write: a MAP_SHARED page is just made writable, an
//     anonymous page no one else maps (Refs == 1) too, and any other page
//     is copied into a fresh frame; otherwise the permission is added.
//
// Every mapping gets the VMA's permission plus read (x86 cannot express a
// present page that is not readable), minus write where the page must stay
// shared.
func (h *Handler) HandleFault(ctx vm.FaultContext, f *vm.Fault) error {
	panic("Handler.HandleFault not implemented")
}

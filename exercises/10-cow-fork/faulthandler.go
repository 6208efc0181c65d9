//go:build !solution

// Package faulthandler is exercise 10: copy-on-write fork, the other half
// of the page-fault handler. Start from your handler of exercise 09 (copy
// its file here): it runs inside the reference kernel, whose Fork shares
// every page of the parent with the child, write-protected in both, and
// counts each frame's sharers. Add the copy-on-write path.
//
// Read README.md first, and the contract of vm.FaultHandler and
// vm.FaultContext in vm/fault_handler.go. Run the specs with:
//
//	go test ./exercises/10-cow-fork/
//
// Copy-on-write is the write fault on a present, read-only page of a VMA
// that allows writes (ctx.Lookup reports State == vm.PagePresent):
//
//   - in a MAP_SHARED VMA the page is meant to be shared: make it writable
//     (ctx.ProtectPage);
//   - an anonymous page no one else maps any more (PageInfo.Anon and
//     PageInfo.Refs == 1: the other side of the fork exited, or copied
//     already) is made writable in place, without a copy;
//   - any other page (shared after fork, the zero page, a page-cache page
//     under MAP_PRIVATE) is copied: a fresh frame (ctx.NewPage), the old
//     bytes copied into it (ctx.CopyFrame), and the PTE pointed at it,
//     writable (ctx.MapPage, which drops the old frame's reference).
//
// Everything else is exercise 09's five steps: validate (SIGSEGV with
// SEGV_MAPERR or SEGV_ACCERR, SIGBUS, stack growth), find a frame, load it
// (zero page, zero-fill, page cache, swap-in), map it, restart.
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

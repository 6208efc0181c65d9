//go:build !solution

// Package faulthandler is exercise 10: copy-on-write fork, the other half
// of the page-fault handler. Start from your handler of exercise 09 (copy
// its file here): it runs inside the reference kernel, whose Fork shares
// every page of the parent with the child, write-protected in both, and
// counts each frame's sharers. Add the copy-on-write path.
//
// Read README.md first, and the five steps of demand paging in the
// contract of vm.FaultHandler and vm.FaultContext (vm/fault_handler.go).
// Run the specs with:
//
//	go test ./exercises/10-cow-fork/
//
// Everything but the copy-on-write path is exercise 09's contract: act on
// the verdict (SIGSEGV with SEGV_MAPERR or SEGV_ACCERR, stack growth), find
// a frame, load it (zero page, zero-fill, page cache, swap-in), map it,
// restart.
package faulthandler

import "github.com/vmkata/vmkata/vm"

// Handler is your page-fault handler. Build it with New.
type Handler struct {
	// TODO: your fields, if any. Everything the handler needs is in the
	// fault, the verdict and the context: an empty struct is enough.
}

// New returns a page-fault handler, ready to plug into a kernel's
// Config.FaultHandler.
func New() *Handler {
	panic("faulthandler.New not implemented")
}

// HandleFault services page fault f of the process ctx describes, on the
// kernel's verdict, in the five steps of vm.FaultHandler, and returns nil
// for the kernel to restart the access, or the error to pass on.
//
// Copy-on-write is a write fault, on a lazy verdict (the VMA allows the
// write), to a present page whose PTE is read-only (ctx.Lookup reports
// State == vm.PagePresent, with the frame's Refs and whether it is Anon):
//   - [rule:10.cow-copy] A page others map too (after fork: PageInfo.Refs >
//     1) is copied: a fresh frame (ctx.NewPage), the old bytes copied in
//     (ctx.CopyFrame), mapped with the VMA's permission plus read
//     (ctx.MapPage, which drops the old frame's reference). Only the
//     faulting page is copied; the other sharers keep the old frame and its
//     bytes.
//   - [rule:10.cow-reuse] An anonymous page no one else maps any more
//     (PageInfo.Anon and Refs == 1: the other side of the fork exited, or
//     copied already) is made writable in place (ctx.ProtectPage): no copy,
//     no frame.
//   - [rule:10.cow-shared-vma] In a MAP_SHARED VMA the page is meant to be
//     shared: it is made writable in place (ctx.ProtectPage), never copied,
//     so a write reaches every process mapping it, across fork too.
//   - [rule:10.cow-zero-page] The zero page (not Anon) is never made
//     writable: a write to it, before or after fork, maps a private frame
//     of zeroes; every other process still reads zeroes.
//   - [rule:10.cow-file-page] A page-cache page under MAP_PRIVATE (not Anon)
//     is never made writable, whatever its Refs: it is copied, and the file
//     keeps its bytes.
//   - [rule:10.swap-private] A page swapped out while fork shared it comes
//     back, for each process that faults on it, into a fresh frame of its
//     own (exercise 09's swap-in), so a write after it stays private.
//   - [rule:10.cow-errors] When ctx.NewPage, ctx.MapPage or ctx.ProtectPage
//     fails, HandleFault returns that error (or one wrapping it): the
//     process stays alive and still maps the shared, read-only page with its
//     old bytes.
func (h *Handler) HandleFault(ctx vm.FaultContext, f *vm.Fault, verdict vm.Verdict) error {
	panic("Handler.HandleFault not implemented")
}

//go:build !solution

// Package faulthandler is exercise 09: the operating system's page-fault
// handler, the heart of demand paging. Your handler runs inside the
// reference kernel (reference/kernel): the MMU raises a *vm.Fault, the
// kernel decides whether the address is valid (the verdict) and calls your
// HandleFault with the fault, the verdict and a vm.FaultContext (the
// services of the faulting process's address space and of the machine),
// and when you return nil it restarts the access. You decide how to
// service the fault; the context keeps the books (reference counts, TLB
// coherence, counters, events).
//
// Read README.md first, and the five steps of demand paging in the
// contract of vm.FaultHandler and vm.FaultContext (vm/fault_handler.go).
// Run the specs with:
//
//	go test ./exercises/09-demand-paging/
//
// A write to a present, read-only page (the zero page, a page-cache page
// under MAP_PRIVATE) is copy-on-write: the writer gets a private copy.
// Exercise 10 completes that path for pages shared by fork.
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
// Step 1, the verdict:
//   - [rule:09.segv-maperr] A VerdictMapErr (no VMA holds the address, and
//     no stack may grow to it: a stray pointer, a stack overflow, the
//     guard gap) returns ctx.Segv(f, verdict): SIGSEGV with SEGV_MAPERR.
//   - [rule:09.segv-accerr] A VerdictAccErr (the VMA does not allow the
//     access: a write to text or to read-only memory, present or not, a
//     fetch from the heap, any access to PROT_NONE) returns ctx.Segv(f,
//     verdict): SIGSEGV with SEGV_ACCERR, and maps nothing.
//   - [rule:09.grow-stack] A VerdictGrowStack grows the stack with
//     ctx.GrowStack(verdict), then services the fault in the grown VMA as
//     any untouched anonymous page.
//   - A VerdictLazy services the fault in verdict.VMA.
//
// Then by the page's state (ctx.Lookup):
//   - [rule:09.zero-page-read] A read of an untouched anonymous page maps
//     the shared zero page (ctx.ZeroPage) read-only: no frame is taken.
//   - [rule:09.zero-fill-write] A write to an untouched anonymous page maps
//     a fresh frame (ctx.NewPage), cleared with ctx.ZeroFrame (a recycled
//     frame holds another page's bytes), writable.
//   - [rule:09.zero-page-write] A write to a page mapped to the zero page
//     maps a private frame of zeroes in its place; the zero page itself
//     stays zero for every other reader.
//   - [rule:09.file-shared] An untouched page of a MAP_SHARED file mapping
//     maps the page-cache frame ctx.FilePage returns, with the VMA's
//     permission: every process mapping the file sees one frame, and writes
//     reach the file.
//   - [rule:09.file-private-read] A read of an untouched page of a
//     MAP_PRIVATE file mapping maps the page-cache frame read-only, shared
//     with every other reader of the file page.
//   - [rule:09.file-private-write] A write to a page of a MAP_PRIVATE file
//     mapping (untouched, or mapped read-only by a read) maps a private
//     copy: a fresh frame, the page-cache bytes copied in (ctx.CopyFrame),
//     writable; the file and the other processes keep the old bytes.
//   - [rule:09.file-past-eof] A ctx.FilePage error wrapping vm.ErrOutOfRange
//     (the page lies wholly past the end of the file) returns ctx.Bus(f,
//     err.Error()): SIGBUS.
//   - [rule:09.file-oom] Any other ctx.FilePage error (no frame for the page
//     cache) is returned as is: it is not SIGBUS, and the process lives.
//   - [rule:09.swap-in] A swapped-out page comes back into a fresh frame
//     (ctx.NewPage, filled by ctx.SwapIn) with its bytes, mapped with the
//     VMA's permission: a write after the swap-in does not fault again.
//   - [rule:09.map-perm] Every page is mapped with its VMA's permission plus
//     read (an x86 PTE cannot allow write or execute without read), minus
//     write where the page stays shared (the zero page, a page-cache page
//     under MAP_PRIVATE): an access the VMA allows faults at most once per
//     page, and a write to a shared page faults.
//
// Errors:
//   - [rule:09.pass-errors] When ctx.NewPage, ctx.SwapIn, ctx.FilePage (other
//     than past the end of the file), ctx.MapPage or ctx.ProtectPage fails,
//     HandleFault stops and returns that error, or one wrapping it: the
//     process stays alive, and the access fails with that error.
//   - [rule:09.no-half-built] A page whose loading failed is never mapped: a
//     frame SwapIn did not fill holds garbage. (Such a frame goes back to
//     the kernel by itself when HandleFault returns.)
func (h *Handler) HandleFault(ctx vm.FaultContext, f *vm.Fault, verdict vm.Verdict) error {
	panic("Handler.HandleFault not implemented")
}

package faulthandler

import (
	"errors"

	"github.com/vmkata/vmkata/vm"
)

// anonPage loads an untouched page of anonymous memory (demand zero).
//
// A read maps the shared zero page read-only: no frame is used, and the
// first write will fault again and take a private frame (copyOnWrite).
// A write takes a fresh frame (step 2), clears it (step 3: a frame is
// recycled memory, and a process must never see another's bytes) and maps
// it writable (step 4).
func (h *Handler) anonPage(ctx vm.FaultContext, v vm.VMA, f *vm.Fault) error {
	if f.Access.Kind != vm.Write {
		return ctx.MapPage(f.Addr, ctx.ZeroPage(), mapPerm(v)&^vm.PermWrite)
	}
	pfn, err := ctx.NewPage()
	if err != nil {
		return err
	}
	ctx.ZeroFrame(pfn)
	return ctx.MapPage(f.Addr, pfn, mapPerm(v))
}

// filePage loads a page of a file mapping through the page cache (steps 2
// and 3 are ctx.FilePage: the cached frame, read from the file on a miss).
// A page past the end of the file is SIGBUS; running out of memory is
// not, and its error is passed on.
//
//   - MAP_SHARED maps the page-cache frame itself, with the VMA's
//     permission: every process mapping the file sees the same bytes, and
//     writes reach the file.
//   - MAP_PRIVATE, read: the page-cache frame, read-only, so that the first
//     write faults and copies.
//   - MAP_PRIVATE, write: a private copy at once.
func (h *Handler) filePage(ctx vm.FaultContext, v vm.VMA, f *vm.Fault) error {
	cached, err := ctx.FilePage(v, f.Addr)
	if errors.Is(err, vm.ErrOutOfRange) {
		return ctx.Bus(f, err.Error())
	}
	if err != nil { // out of memory: the OOM killer may have killed the process
		return err
	}
	switch {
	case v.Shared:
		return ctx.MapPage(f.Addr, cached, mapPerm(v))
	case f.Access.Kind != vm.Write:
		return ctx.MapPage(f.Addr, cached, mapPerm(v)&^vm.PermWrite)
	}
	return h.copyInto(ctx, v, f, cached)
}

// swapIn brings a swapped-out page back (a major fault): a fresh frame
// (step 2), the slot's bytes read into it and the swap entry dropped (step
// 3, ctx.SwapIn), mapped with the VMA's permission (step 4). The page is the
// process's own now.
func (h *Handler) swapIn(ctx vm.FaultContext, v vm.VMA, f *vm.Fault) error {
	pfn, err := ctx.NewPage()
	if err != nil {
		return err
	}
	if err := ctx.SwapIn(f.Addr, pfn); err != nil {
		return err
	}
	return ctx.MapPage(f.Addr, pfn, mapPerm(v))
}

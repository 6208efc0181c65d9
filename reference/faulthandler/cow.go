package faulthandler

import "github.com/vmkata/vmkata/vm"

// copyOnWrite handles a write to a present page whose PTE is read-only in
// a VMA that allows writes (the verdict said so): Linux's do_wp_page.
//
//   - MAP_SHARED: the page is meant to be shared; the PTE just had not
//     followed the VMA's permission. Make it writable.
//   - An anonymous page no one else maps (Refs == 1: fork's other side
//     exited, or copied already): make it writable in place, no copy (a
//     COW reuse).
//   - Otherwise the page is shared: a page fork left in both processes
//     (Refs > 1), the zero page, a page-cache page under MAP_PRIVATE. The
//     writer gets a private copy (copyInto); the other sharers keep theirs.
func (h *Handler) copyOnWrite(ctx vm.FaultContext, v vm.VMA, f *vm.Fault, info vm.PageInfo) error {
	if v.Shared || (info.Anon && info.Refs == 1) {
		return ctx.ProtectPage(f.Addr, mapPerm(v))
	}
	return h.copyInto(ctx, v, f, info.PTE.PFN())
}

// copyInto gives the process a private, writable copy of frame src at
// f.Addr: a fresh frame (step 2), src's bytes copied into it (step 3), and
// the PTE pointed at it (step 4; MapPage drops the old PTE's reference to
// src).
func (h *Handler) copyInto(ctx vm.FaultContext, v vm.VMA, f *vm.Fault, src vm.PFN) error {
	pfn, err := ctx.NewPage()
	if err != nil {
		return err
	}
	ctx.CopyFrame(pfn, src)
	return ctx.MapPage(f.Addr, pfn, mapPerm(v))
}

package kernel

import (
	"fmt"

	"github.com/vmkata/vmkata/vm"
)

// leaf returns the physical address and value of the present leaf PTE
// mapping va in p, or ok == false.
func (k *Kernel) leaf(p *Process, va vm.VAddr) (addr vm.PAddr, e vm.PTE, ok bool) {
	w, err := p.pt.Walk(va)
	if err != nil || !w.Present() {
		return 0, 0, false
	}
	return w.Reads[w.Steps-1], w.Entries[w.Steps-1], true
}

// setLeaf rewrites a leaf entry in place, as a kernel edits its page tables
// in memory (clearing A or D bits).
func (k *Kernel) setLeaf(addr vm.PAddr, e vm.PTE) {
	var err error
	if k.geo.EntryBytes == 4 {
		err = k.mem.WriteUint32(addr, uint32(e))
	} else {
		err = k.mem.WriteUint64(addr, uint64(e))
	}
	if err != nil {
		panic(fmt.Sprintf("kernel: writing the PTE at %v: %v", addr, err))
	}
}

// ptePerm is the permission a PTE gets in VMA v: the VMA's, plus read
// (a present x86 entry always allows reads) and user.
func ptePerm(v vm.VMA) vm.Perm {
	return v.Perm | vm.PermRead | vm.PermUser
}

// mapPTE installs p's PTE for the page at va -> pfn with perm and records
// the mapping (reference count, rmap, RSS): step 4 of the fault handler.
// A radix table that cannot get a page-table frame returns an error
// wrapping vm.ErrOutOfMemory, and nothing changes.
func (k *Kernel) mapPTE(p *Process, va vm.VAddr, pfn vm.PFN, perm vm.Perm) error {
	if err := p.pt.Map(vm.Mapping{VA: va, PFN: pfn, Size: vm.PageSize(k.pageSize), Perm: perm}); err != nil {
		return fmt.Errorf("kernel: pid %d: map %v: %w", p.pid, va, err)
	}
	k.addMapping(pfn, p, va)
	if k.observing() {
		e := ev(EvMapPage, p.pid, va)
		e.PFN = int64(pfn)
		e.Detail = fmt.Sprintf("PTE -> pfn %#x %v", uint64(pfn), perm)
		k.emit(e)
	} else {
		k.seq++
	}
	return nil
}

// unmapPTE removes p's present PTE for va: the D bit goes into the frame's
// dirty flag, the TLB entry is invalidated on every CPU that may cache it,
// and, when drop is set, the mapping is dropped (which frees a frame whose
// count reaches 0). It returns the frame. Precondition: va is mapped.
func (k *Kernel) unmapPTE(p *Process, va vm.VAddr, drop bool) vm.PFN {
	_, e, ok := k.leaf(p, va)
	if !ok {
		panic(fmt.Sprintf("kernel: pid %d: unmap %v: not mapped", p.pid, va))
	}
	pfn := e.PFN()
	if e.Has(vm.PTEDirty) && pfn != zeroPFN {
		k.frames[pfn].dirty = true
	}
	if _, err := p.pt.Unmap(va); err != nil {
		panic(fmt.Sprintf("kernel: pid %d: unmap %v: %v", p.pid, va, err))
	}
	if k.observing() {
		ev := ev(EvUnmapPage, p.pid, va)
		ev.PFN = int64(pfn)
		ev.Detail = fmt.Sprintf("PTE %v removed", e)
		k.emit(ev)
	} else {
		k.seq++
	}
	k.flushPage(p, va)
	if drop {
		k.dropMapping(pfn, p, va)
	}
	return pfn
}

// protectPTE changes the permission of p's present PTE for va (keeping A
// and D) and invalidates its TLB entries everywhere.
func (k *Kernel) protectPTE(p *Process, va vm.VAddr, perm vm.Perm) {
	if err := p.pt.Protect(va, perm); err != nil {
		panic(fmt.Sprintf("kernel: pid %d: protect %v: %v", p.pid, va, err))
	}
	k.flushPage(p, va)
}

// dropHidden drops a PROT_NONE page of p.
func (k *Kernel) dropHidden(p *Process, vpn vm.VPN) {
	pfn := p.hidden[vpn]
	delete(p.hidden, vpn)
	k.dropMapping(pfn, p, k.vaOf(vpn))
}

// dropPage drops whatever p holds for the page at va: a present PTE, a
// hidden PROT_NONE page or a swap entry. It reports whether there was one.
func (k *Kernel) dropPage(p *Process, va vm.VAddr) bool {
	vpn := k.vpnOf(va)
	if _, _, ok := k.leaf(p, va); ok {
		k.unmapPTE(p, va, true)
		return true
	}
	if _, ok := p.hidden[vpn]; ok {
		k.dropHidden(p, vpn)
		return true
	}
	if slot, ok := p.swap[vpn]; ok {
		delete(p.swap, vpn)
		k.swap.put(slot)
		return true
	}
	return false
}

func (k *Kernel) vpnOf(va vm.VAddr) vm.VPN { return vm.VPN(uint64(va) >> k.geo.OffsetBits) }
func (k *Kernel) vaOf(vpn vm.VPN) vm.VAddr { return vm.VAddr(uint64(vpn) << k.geo.OffsetBits) }

// pageDirty reports whether frame pfn's contents differ from its backing
// store: its dirty flag or the D bit of any PTE mapping it.
func (k *Kernel) pageDirty(pfn vm.PFN) bool {
	f := &k.frames[pfn]
	if f.dirty {
		return true
	}
	for _, r := range f.rmap {
		if _, e, ok := k.leaf(r.p, r.va); ok && e.Has(vm.PTEDirty) {
			return true
		}
	}
	return false
}

// clearDirtyBits clears D in every PTE mapping pfn and invalidates those
// TLB entries, so that the next write walks again and sets D.
func (k *Kernel) clearDirtyBits(pfn vm.PFN) {
	for _, r := range k.frames[pfn].rmap {
		if addr, e, ok := k.leaf(r.p, r.va); ok && e.Has(vm.PTEDirty) {
			k.setLeaf(addr, e&^vm.PTEDirty)
			k.flushPage(r.p, r.va)
		}
	}
}

// refBits lends the replacement policy the PTEs' accessed and dirty bits
// (vm.RefBits), by page identity: a page is referenced if any PTE mapping
// it has A set (Linux's page_referenced walks the rmap the same way).
type refBits struct{ k *Kernel }

func (b refBits) Referenced(id vm.PageID) bool {
	pfn, ok := b.k.byID[id]
	if !ok {
		return false
	}
	for _, r := range b.k.frames[pfn].rmap {
		if _, e, ok := b.k.leaf(r.p, r.va); ok && e.Has(vm.PTEAccessed) {
			return true
		}
	}
	return false
}

// ClearReferenced clears A in every PTE mapping the page and invalidates
// their TLB entries (otherwise a TLB hit would never set A again).
func (b refBits) ClearReferenced(id vm.PageID) {
	pfn, ok := b.k.byID[id]
	if !ok {
		return
	}
	for _, r := range b.k.frames[pfn].rmap {
		if addr, e, ok := b.k.leaf(r.p, r.va); ok && e.Has(vm.PTEAccessed) {
			b.k.setLeaf(addr, e&^vm.PTEAccessed)
			b.k.flushPage(r.p, r.va)
		}
	}
}

func (b refBits) Dirty(id vm.PageID) bool {
	pfn, ok := b.k.byID[id]
	return ok && b.k.pageDirty(pfn)
}

// ClearDirty cleans the page now: a file page is written back to its file;
// an anonymous page is written to a swap slot it keeps (the swap cache), if
// a slot is free, so that evicting it later needs no I/O.
func (b refBits) ClearDirty(id vm.PageID) {
	pfn, ok := b.k.byID[id]
	if !ok {
		return
	}
	switch b.k.frames[pfn].kind {
	case pageFile:
		b.k.cleanFilePage(pfn)
	case pageAnon:
		if !b.k.pageDirty(pfn) {
			return
		}
		if _, ok := b.k.swapOut(pfn); ok {
			b.k.clearDirtyBits(pfn)
		}
	}
}

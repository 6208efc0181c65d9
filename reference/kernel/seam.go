package kernel

import (
	"fmt"

	"github.com/vmkata/vmkata/vm"
)

// faultContext is what the kernel lends a Config.FaultHandler for one fault
// of process p: it implements vm.FaultContext on top of the same steps the
// built-in handler uses, so that every invariant Check verifies still
// holds whatever a correct handler does.
type faultContext struct {
	k     *Kernel
	p     *Process
	f     *vm.Fault
	major bool // a swap-in or file read happened: a major fault
}

var _ vm.FaultContext = (*faultContext)(nil)

func (c *faultContext) FindVMA(va vm.VAddr) (vm.VMA, bool) { return c.p.vmas.Find(va) }

// GrowStack grows the stack if heapstack.ClassifyFault says it may: a
// verdict of GrowStack, or AccErr below the stack (Linux grows it, then
// the handler refuses the access).
func (c *faultContext) GrowStack(va vm.VAddr) (vm.VMA, error) {
	verdict := c.k.classify(c.p, va, c.f.Access)
	switch {
	case verdict.Kind == vm.VerdictMapErr:
		return vm.VMA{}, fmt.Errorf("kernel: grow stack to %v: %s: %w", va, verdict.Reason, vm.ErrNotMapped)
	case verdict.VMA.Range.Contains(va):
		return verdict.VMA, nil
	}
	return c.k.growStack(c.p, va)
}

func (c *faultContext) Segv(f *vm.Fault, mapErr bool, reason string) error {
	code := SegvAccErr
	if mapErr {
		code = SegvMapErr
	}
	return c.k.signal(c.p, SIGSEGV, code, f, reason)
}

func (c *faultContext) Bus(f *vm.Fault, reason string) error {
	return c.k.signal(c.p, SIGBUS, BusAdrErr, f, reason)
}

func (c *faultContext) Lookup(va vm.VAddr) vm.PageInfo {
	va = c.k.pageAlign(va)
	if _, e, ok := c.k.leaf(c.p, va); ok {
		n, _ := c.k.refs.Get(e.PFN())
		return vm.PageInfo{State: vm.PagePresent, PTE: e, Refs: n, Anon: c.k.frames[e.PFN()].kind == pageAnon}
	}
	if _, ok := c.p.swap[c.k.vpnOf(va)]; ok {
		return vm.PageInfo{State: vm.PageSwapped}
	}
	return vm.PageInfo{}
}

func (c *faultContext) ZeroPage() vm.PFN { return zeroPFN }

func (c *faultContext) NewPage() (vm.PFN, error) {
	// The page the fault hit stays pinned: a copy-on-write needs it as the source.
	if _, e, ok := c.k.leaf(c.p, c.k.pageAlign(c.f.Addr)); ok {
		c.k.frames[e.PFN()].pinned++
		defer func() { c.k.frames[e.PFN()].pinned-- }()
	}
	return c.k.newAnonPage(c.p, c.f.Access.Kind == vm.Write)
}

func (c *faultContext) userFrame(op string, pfn vm.PFN) error {
	if pfn < c.k.userBase || int(pfn-c.k.userBase) >= c.k.cfg.Frames || c.k.frames[pfn].kind == pageFree {
		return fmt.Errorf("kernel: %s %v: not an allocated user frame: %w", op, pfn, vm.ErrInvalidFrame)
	}
	return nil
}

func (c *faultContext) ZeroFrame(pfn vm.PFN) {
	if c.userFrame("zero", pfn) != nil || c.k.frames[pfn].kind != pageAnon {
		return
	}
	clear(c.k.pageBytes(pfn))
	c.k.stats.ZeroFills++
	if c.k.observing() {
		e := ev(EvZeroFill, c.p.pid, c.k.pageAlign(c.f.Addr))
		e.PFN = int64(pfn)
		e.Detail = "a fresh frame cleared to zeroes"
		c.k.emit(e)
	}
}

func (c *faultContext) CopyFrame(dst, src vm.PFN) {
	if c.userFrame("copy", dst) != nil || c.k.frames[dst].kind != pageAnon || int(src) >= len(c.k.frames) {
		return
	}
	copy(c.k.pageBytes(dst), c.k.pageBytes(src))
	c.k.stats.COWCopies++
	if c.k.observing() {
		e := ev(EvCOWCopy, c.p.pid, c.k.pageAlign(c.f.Addr))
		e.PFN = int64(dst)
		e.Detail = fmt.Sprintf("pfn %#x copied into pfn %#x", uint64(src), uint64(dst))
		c.k.emit(e)
	}
}

func (c *faultContext) SwapIn(va vm.VAddr, pfn vm.PFN) error {
	va = c.k.pageAlign(va)
	slot, ok := c.p.swap[c.k.vpnOf(va)]
	if !ok {
		return fmt.Errorf("kernel: swap in %v: no swap entry: %w", va, vm.ErrNotMapped)
	}
	if err := c.userFrame("swap in", pfn); err != nil || c.k.frames[pfn].kind != pageAnon {
		return fmt.Errorf("kernel: swap in %v into %v: want a frame from NewPage: %w", va, pfn, vm.ErrInvalidFrame)
	}
	copy(c.k.pageBytes(pfn), c.k.swap.bytes(slot))
	f := &c.k.frames[pfn]
	if f.slot >= 0 {
		c.k.swap.put(f.slot)
	}
	f.slot, f.dirty = slot, false // the entry's reference becomes the swap cache's hold
	delete(c.p.swap, c.k.vpnOf(va))
	c.major = true
	c.k.stats.SwapIns++
	if c.k.observing() {
		e := ev(EvSwapIn, c.p.pid, va)
		e.PFN, e.Slot = int64(pfn), slot
		e.Detail = "page read back from swap (major fault)"
		c.k.emit(e)
	}
	return nil
}

func (c *faultContext) FilePage(v vm.VMA, va vm.VAddr) (vm.PFN, error) {
	file, ok := c.k.lookupFile(v.File)
	if !ok || v.Backing != vm.BackingFile || !v.Range.Contains(va) {
		return 0, fmt.Errorf("kernel: file page of %v at %v: no such file page: %w", v, va, vm.ErrOutOfRange)
	}
	off := v.Offset + uint64(c.k.pageAlign(va)-v.Range.Start)
	if off >= uint64(len(file.data)) && !file.shmem {
		return 0, fmt.Errorf("kernel: offset %#x is past the end of %s (%d bytes): %w", off, file.name, len(file.data), vm.ErrOutOfRange)
	}
	pfn, major, err := c.k.cachedPage(c.p, file, off/c.k.pageSize)
	if err != nil {
		return 0, err
	}
	if major {
		c.major = true
	} else {
		c.k.stats.CacheHits++
	}
	return pfn, nil
}

func (c *faultContext) MapPage(va vm.VAddr, pfn vm.PFN, perm vm.Perm) error {
	va = c.k.pageAlign(va)
	if int(pfn) >= len(c.k.frames) || (pfn != zeroPFN && c.k.frames[pfn].kind == pageFree) {
		return fmt.Errorf("kernel: map %v -> %v: not a frame holding a page: %w", va, pfn, vm.ErrInvalidFrame)
	}
	if _, ok := c.p.vmas.Find(va); !ok {
		return fmt.Errorf("kernel: map %v: outside every VMA: %w", va, vm.ErrNotMapped)
	}
	c.k.frames[pfn].pinned++
	if _, _, ok := c.k.leaf(c.p, va); ok {
		c.k.unmapPTE(c.p, va, true)
	}
	c.k.frames[pfn].pinned--
	if pfn == zeroPFN {
		c.k.stats.ZeroPageMaps++
	}
	if err := c.k.mapPTE(c.p, va, pfn, perm|vm.PermUser); err != nil {
		c.k.releaseUnmapped(pfn)
		return err
	}
	return nil
}

func (c *faultContext) ProtectPage(va vm.VAddr, perm vm.Perm) error {
	va = c.k.pageAlign(va)
	_, e, ok := c.k.leaf(c.p, va)
	if !ok {
		return fmt.Errorf("kernel: protect %v: %w", va, vm.ErrNotMapped)
	}
	if err := c.p.pt.Protect(va, perm|vm.PermUser); err != nil {
		return err
	}
	c.k.flushPage(c.p, va)
	if perm.Has(vm.PermWrite) && !e.Has(vm.PTEWritable) {
		c.k.stats.COWReuses++
	}
	return nil
}

// handleWith runs a pluggable handler for fault f of p. PROT_NONE pages
// made accessible again are restored by the kernel itself first (their
// bookkeeping is the kernel's, not the handler's).
func (k *Kernel) handleWith(h vm.FaultHandler, p *Process, f *vm.Fault) error {
	va := k.pageAlign(f.Addr)
	if pfn, ok := p.hidden[k.vpnOf(va)]; ok {
		if v, ok := p.vmas.Find(va); ok && v.Perm.Has(f.Access.Needs()&^vm.PermUser) {
			delete(p.hidden, k.vpnOf(va))
			k.dropMappingKeep(pfn, p, va)
			k.stats.MinorFaults++
			return k.mapPTE(p, va, pfn, k.sharePerm(v, pfn))
		}
	}
	c := &faultContext{k: k, p: p, f: f}
	if err := h.HandleFault(c, f); err != nil {
		return err
	}
	if c.major {
		k.stats.MajorFaults++
	} else {
		k.stats.MinorFaults++
	}
	return nil
}

package kernel

import (
	"fmt"

	"github.com/vmkata/vmkata/vm"
)

// faultContext is what the kernel lends its vm.FaultHandler for one fault
// of process p: the services of vm.FaultContext, each of which keeps the
// kernel's books. The handler decides what to do; the services do it and
// tell the story: every counter and event of a fault comes from here
// (zero_page, zero_fill, cow_copy, cow_reuse, file_read, cache_hit,
// swap_in, stack_grow, segv, sigbus), so that any correct handler is as
// observable as the reference one, and every invariant Check verifies
// still holds.
type faultContext struct {
	k       *Kernel
	p       *Process
	f       *vm.Fault
	verdict vm.Verdict // step 1, decided by handleFault before the handler runs
	major   bool       // a swap-in or file read happened: a major fault

	// fresh are the frames NewPage handed out (with the identity each got),
	// pinned until the fault ends; end frees those the handler did not map.
	fresh []freshFrame

	// held is the page-cache frame FilePage returned, pinned against
	// reclaim until the fault ends (Linux's reference on the page while
	// do_fault uses it): a copy for a MAP_PRIVATE write reads from it.
	held    vm.PFN
	holding bool

	// copyDst and copySrc are the frames of the last CopyFrame: the copy
	// becomes a copy-on-write (cow_copy) when MapPage installs copyDst.
	copyDst, copySrc vm.PFN
	copied           bool

	// swapPFN and swapSlot are the frame SwapIn filled and the slot it
	// came from: if the handler does not map the frame, the swap entry
	// comes back.
	swapPFN  vm.PFN
	swapVA   vm.VAddr
	swapSlot int
	swapped  bool
}

// freshFrame is a frame NewPage handed out, and the page identity it got:
// a frame freed during the fault (unmapped again) has lost it.
type freshFrame struct {
	pfn vm.PFN
	id  vm.PageID
}

var _ vm.FaultContext = (*faultContext)(nil)

// refusal is a service's "no" that a handler passes on to Segv or Bus as
// the reason: its text is the reason alone.
type refusal struct {
	reason string
	err    error
}

func (r refusal) Error() string { return r.reason }
func (r refusal) Unwrap() error { return r.err }

// GrowStack grows the stack as a VerdictGrowStack says, counted and told
// as stack_grow (see growStack).
func (c *faultContext) GrowStack(verdict vm.Verdict) (vm.VMA, error) {
	if verdict.Kind != vm.VerdictGrowStack {
		return vm.VMA{}, fmt.Errorf("kernel: grow stack on a %v verdict: only a grow-stack verdict grows the stack: %w", verdict.Kind, vm.ErrNotMapped)
	}
	return c.k.growStack(c.p, verdict.NewStart)
}

// Segv kills the process with SIGSEGV, with the code of verdict (see
// segvCode), counted and told as segv. A process already dead (the OOM
// killer chose it during this fault) is not killed twice: the error says
// how it died.
func (c *faultContext) Segv(f *vm.Fault, verdict vm.Verdict) error {
	if err, dead := c.k.dead[c.p.pid]; dead {
		return err
	}
	code, reason := segvCode(verdict)
	return c.k.signal(c.p, SIGSEGV, code, f, reason)
}

// Bus kills the process with SIGBUS, counted and told as sigbus (see Segv
// for a process already dead).
func (c *faultContext) Bus(f *vm.Fault, reason string) error {
	if err, dead := c.k.dead[c.p.pid]; dead {
		return err
	}
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

// NewPage allocates a frame for a new private anonymous page (step 2),
// pinned until the fault ends. The page the fault hit stays pinned meanwhile (a copy-on-write needs it
// as the source), and so does the page-cache page FilePage returned. A
// page coming back from swap keeps the identity the replacement policy
// knew it by, unless another copy of it is resident or other processes
// still share its slot.
func (c *faultContext) NewPage() (vm.PFN, error) {
	k := c.k
	va := k.pageAlign(c.f.Addr)
	if _, e, ok := k.leaf(c.p, va); ok {
		k.frames[e.PFN()].pinned++
		defer func() { k.frames[e.PFN()].pinned-- }()
	}
	var id vm.PageID
	if slot, ok := c.p.swap[k.vpnOf(va)]; ok {
		id = k.swap.ids[slot]
		if _, resident := k.byID[id]; resident || k.swap.refs[slot] > 1 {
			id = 0
		}
	}
	if id == 0 {
		id = k.newAnonID()
	}
	pfn, err := k.allocFrame(c.p, id, pageAnon, c.f.Access.Kind == vm.Write)
	if err != nil {
		return 0, err
	}
	k.frames[pfn].dirty = true // no copy anywhere: eviction must write it to swap
	k.frames[pfn].pinned++
	c.fresh = append(c.fresh, freshFrame{pfn, id})
	return pfn, nil
}

func (c *faultContext) userFrame(op string, pfn vm.PFN) error {
	if pfn < c.k.userBase || int(pfn-c.k.userBase) >= c.k.cfg.Frames || c.k.frames[pfn].kind == pageFree {
		return fmt.Errorf("kernel: %s %v: not an allocated user frame: %w", op, pfn, vm.ErrInvalidFrame)
	}
	return nil
}

// ZeroFrame clears a new anonymous frame: a zero fill, counted and told.
func (c *faultContext) ZeroFrame(pfn vm.PFN) {
	if c.userFrame("zero", pfn) != nil || c.k.frames[pfn].kind != pageAnon {
		return
	}
	clear(c.k.pageBytes(pfn))
	c.k.stats.ZeroFills++
	if c.k.observing() {
		e := ev(EvZeroFill, c.p.pid, c.k.pageAlign(c.f.Addr))
		e.PFN = int64(pfn)
		e.Detail = "first write to anonymous memory: a fresh frame cleared to zeroes"
		c.k.emit(e)
	}
}

// CopyFrame copies src into a new anonymous frame. It is counted and told
// as cow_copy when MapPage installs dst (after the old PTE is gone), as
// Linux's wp_page_copy replaces the PTE.
func (c *faultContext) CopyFrame(dst, src vm.PFN) {
	if c.userFrame("copy", dst) != nil || c.k.frames[dst].kind != pageAnon || int(src) >= len(c.k.frames) {
		return
	}
	copy(c.k.pageBytes(dst), c.k.pageBytes(src))
	c.copyDst, c.copySrc, c.copied = dst, src, true
}

// SwapIn reads the swap slot of va's page into a frame from NewPage: a
// major fault, counted and told as swap_in. The frame keeps a hold on the
// slot (the swap cache) while it stays clean.
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
	c.swapPFN, c.swapVA, c.swapSlot, c.swapped = pfn, va, slot, true
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

// FilePage finds the page in the page cache (cache_hit, a minor fault) or
// reads it from the file (file_read, a major fault), and keeps it pinned
// until the fault ends. A refusal's text is the reason for SIGBUS.
func (c *faultContext) FilePage(v vm.VMA, va vm.VAddr) (vm.PFN, error) {
	va = c.k.pageAlign(va)
	if v.Backing != vm.BackingFile || !v.Range.Contains(va) {
		return 0, fmt.Errorf("kernel: file page of %v at %v: not a page of a file mapping: %w", v, va, vm.ErrOutOfRange)
	}
	file, ok := c.k.lookupFile(v.File)
	if !ok {
		return 0, refusal{fmt.Sprintf("the file %s is gone", v.File), vm.ErrOutOfRange}
	}
	off := v.Offset + uint64(va-v.Range.Start)
	if off >= uint64(len(file.data)) && !file.shmem {
		return 0, refusal{fmt.Sprintf("offset %#x is past the end of %s (%d bytes)", off, file.name, len(file.data)), vm.ErrOutOfRange}
	}
	index := off / c.k.pageSize
	pfn, major, err := c.k.cachedPage(c.p, file, index)
	if err != nil {
		return 0, err
	}
	if c.holding {
		c.k.frames[c.held].pinned--
	}
	c.held, c.holding = pfn, true
	c.k.frames[pfn].pinned++
	if major {
		c.major = true
	} else {
		c.k.stats.CacheHits++
	}
	if c.k.observing() {
		e := ev(EvCacheHit, c.p.pid, va)
		e.Detail = fmt.Sprintf("page %d of %s found in the page cache (minor fault)", index, file.name)
		if major {
			e.Type = EvFileRead
			e.Detail = fmt.Sprintf("page %d of %s read into the page cache (major fault)", index, file.name)
		}
		e.PFN = int64(pfn)
		c.k.emit(e)
	}
	return pfn, nil
}

// MapPage installs the PTE (step 4), replacing any present one (the same
// frame, too). A permission without read is refused before anything
// changes; once the old PTE is gone the new one always fits (the table
// pages it needs are those the old one used). Mapping
// the zero page is counted and told as zero_page; installing the frame of
// the last CopyFrame as cow_copy, between the old PTE's removal and the
// new one's installation.
func (c *faultContext) MapPage(va vm.VAddr, pfn vm.PFN, perm vm.Perm) error {
	k := c.k
	va = k.pageAlign(va)
	if int(pfn) >= len(k.frames) || (pfn != zeroPFN && k.frames[pfn].kind == pageFree) {
		return fmt.Errorf("kernel: map %v -> %v: not a frame holding a page: %w", va, pfn, vm.ErrInvalidFrame)
	}
	if _, ok := c.p.vmas.Find(va); !ok {
		return fmt.Errorf("kernel: map %v: outside every VMA: %w", va, vm.ErrNotMapped)
	}
	if perm&vm.PermRead == 0 && perm&(vm.PermWrite|vm.PermExec) != 0 {
		return fmt.Errorf("kernel: map %v -> %v with %v: a present page is always readable: %w", va, pfn, perm, vm.ErrBadPermission)
	}
	var what string
	if c.copied && pfn == c.copyDst && k.observing() {
		what = c.copyStory(va)
	}
	// Mapping the frame va already maps: it keeps a reference of its own
	// while its old PTE goes, or it would be freed in between.
	var again bool
	if _, e, ok := k.leaf(c.p, va); ok {
		again = e.PFN() == pfn
		if again {
			_, _ = k.refs.Inc(pfn)
		}
		k.frames[pfn].pinned++
		k.unmapPTE(c.p, va, true)
		k.frames[pfn].pinned--
	}
	if again {
		defer func() {
			if n, _ := k.refs.Dec(pfn); n == 0 && pfn != zeroPFN {
				k.freeFrame(pfn)
			}
		}()
	}
	switch {
	case pfn == zeroPFN:
		k.stats.ZeroPageMaps++
		if k.observing() {
			e := ev(EvZeroPage, c.p.pid, va)
			e.PFN = int64(zeroPFN)
			e.Detail = "read of untouched anonymous memory: mapped the shared zero page read-only"
			k.emit(e)
		}
	case c.copied && pfn == c.copyDst:
		c.copied = false
		k.stats.COWCopies++
		if k.observing() {
			e := ev(EvCOWCopy, c.p.pid, va)
			e.PFN = int64(pfn)
			e.Detail = fmt.Sprintf("%s (pfn %#x -> pfn %#x)", what, uint64(c.copySrc), uint64(pfn))
			k.emit(e)
		}
	}
	return k.mapPTE(c.p, va, pfn, perm|vm.PermUser)
}

// copyStory says what the copy MapPage is about to install replaces.
func (c *faultContext) copyStory(va vm.VAddr) string {
	src := c.copySrc
	if src == zeroPFN {
		return "write to the shared zero page: a private zeroed frame replaces it"
	}
	if _, e, ok := c.k.leaf(c.p, va); ok && e.PFN() == src {
		n, _ := c.k.refs.Get(src)
		return fmt.Sprintf("write to a page shared by %d mappings: copied into a private frame", n)
	}
	if c.k.frames[src].kind == pageFile {
		return "write to a private file mapping: the page-cache page copied"
	}
	return "a private copy of another frame"
}

// ProtectPage changes a present PTE's permission and invalidates its TLB
// entries everywhere. Making writable a page of a MAP_SHARED mapping, or a
// private anonymous page no one else maps, is a copy-on-write reuse in
// place: counted and told as cow_reuse.
func (c *faultContext) ProtectPage(va vm.VAddr, perm vm.Perm) error {
	k := c.k
	va = k.pageAlign(va)
	_, e, ok := k.leaf(c.p, va)
	if !ok {
		return fmt.Errorf("kernel: protect %v: %w", va, vm.ErrNotMapped)
	}
	if err := c.p.pt.Protect(va, perm|vm.PermUser); err != nil {
		return err
	}
	k.flushPage(c.p, va)
	if !perm.Has(vm.PermWrite) || e.Has(vm.PTEWritable) {
		return nil
	}
	v, _ := c.p.vmas.Find(va)
	n, _ := k.refs.Get(e.PFN())
	if !v.Shared && (k.frames[e.PFN()].kind != pageAnon || n != 1) {
		return nil
	}
	k.stats.COWReuses++
	if k.observing() {
		ev := ev(EvCOWReuse, c.p.pid, va)
		ev.PFN = int64(e.PFN())
		ev.Detail = "write to a write-protected page no one else maps: made writable, no copy"
		k.emit(ev)
	}
	return nil
}

// end releases what the fault held: the page-cache pin, and the frames
// from NewPage. A fresh frame the handler did not map is freed; if SwapIn
// filled it, the page goes back to swap first (its slot is still the
// frame's swap cache), unless the process died during the fault.
func (c *faultContext) end() {
	k := c.k
	if c.holding {
		k.frames[c.held].pinned--
		c.holding = false
	}
	alive := k.procs[c.p.pid] == c.p
	for _, fr := range c.fresh {
		f := &k.frames[fr.pfn]
		if f.kind != pageAnon || f.id != fr.id {
			continue // freed during the fault (and perhaps handed out again)
		}
		f.pinned--
		if len(f.rmap) > 0 {
			continue
		}
		if c.swapped && fr.pfn == c.swapPFN && alive {
			c.p.swap[k.vpnOf(c.swapVA)] = c.swapSlot
			k.swap.hold(c.swapSlot)
		}
		k.freeFrame(fr.pfn)
	}
	c.fresh = c.fresh[:0]
}

package kernel

import (
	"fmt"

	"github.com/vmkata/vmkata/reference/heapstack"
	"github.com/vmkata/vmkata/vm"
)

// handleFault is the page-fault handler (Linux's do_page_fault and
// handle_mm_fault), in the seed's five steps:
//
//  1. Validate: find the VMA containing the address (growing the stack if
//     the address lies just below a grows-down VMA, within StackLimit and
//     keeping GuardGap to the VMA below); no VMA is SIGSEGV with
//     SEGV_MAPERR, a VMA that does not allow the access SIGSEGV with
//     SEGV_ACCERR, a file page wholly past the end of the file SIGBUS.
//  2. Find a frame: a free one, or one freed by evicting the victim the
//     replacement policy names (allocFrame, reclaim).
//  3. Load the page: zero-fill (a read of untouched anonymous memory maps
//     the shared zero page instead, read-only), read the file page into the
//     page cache (or find it there), or read the swap slot.
//  4. Update the page table (and invalidate stale TLB entries on every CPU
//     that may hold them).
//  5. Return nil: the caller restarts the access, which now translates.
//
// A write to a present read-only page of a private writable VMA is a
// copy-on-write fault (cow.go). It returns nil, or the *SignalError that
// killed the process, or an error wrapping ErrNoMemory if memory ran out
// with nothing left to kill.
func (k *Kernel) handleFault(p *Process, f *vm.Fault) error {
	k.stats.Faults++
	if k.observing() {
		e := ev(EvFault, p.pid, f.Addr)
		e.Detail = f.Error()
		k.emit(e)
	} else {
		k.seq++
	}
	if k.cfg.FaultHandler != nil {
		return k.handleWith(k.cfg.FaultHandler, p, f)
	}
	va := k.pageAlign(f.Addr)
	write := f.Access.Kind == vm.Write

	// Step 1: validate against the VMAs.
	v, err := k.validate(p, f)
	if err != nil {
		return err
	}

	// A present page: a protection fault the VMA allows.
	if _, e, ok := k.leaf(p, va); ok {
		if write && !e.Has(vm.PTEWritable) {
			return k.cowFault(p, v, va, e.PFN())
		}
		// Spurious: a stale TLB entry (the kernel flushes eagerly, so this
		// happens only after mprotect raised a permission); retry.
		k.flushPage(p, va)
		k.stats.MinorFaults++
		return nil
	}
	vpn := k.vpnOf(va)
	if pfn, ok := p.hidden[vpn]; ok { // a PROT_NONE page made accessible again
		delete(p.hidden, vpn)
		k.dropMappingKeep(pfn, p, va)
		k.stats.MinorFaults++
		return k.mapPTE(p, va, pfn, k.sharePerm(v, pfn))
	}
	if slot, ok := p.swap[vpn]; ok {
		return k.swapIn(p, v, va, slot, write)
	}
	if v.Backing == vm.BackingFile {
		return k.fileFault(p, v, f, va, write)
	}
	return k.anonFault(p, v, va, write)
}

// validate is step 1 of the fault handler: heapstack.ClassifyFault
// decides, with p's VMAs and the kernel's stack rules; the kernel grows the
// stack or delivers SIGSEGV, and returns the VMA holding the address.
func (k *Kernel) validate(p *Process, f *vm.Fault) (vm.VMA, error) {
	verdict := k.classify(p, f.Addr, f.Access)
	switch v := verdict.VMA; verdict.Kind {
	case vm.VerdictLazy:
		return v, nil
	case vm.VerdictGrowStack:
		v, err := k.growStack(p, f.Addr)
		if err != nil {
			return vm.VMA{}, k.signal(p, SIGSEGV, SegvMapErr, f, "no VMA contains the address")
		}
		return v, nil
	case vm.VerdictAccErr:
		return vm.VMA{}, k.signal(p, SIGSEGV, SegvAccErr, f, fmt.Sprintf("%s VMA %v does not allow %v", roleName(v), v.Perm, f.Access.Kind))
	}
	return vm.VMA{}, k.signal(p, SIGSEGV, SegvMapErr, f, verdict.Reason)
}

// classify is heapstack.ClassifyFault on p's VMAs with the kernel's page
// size and stack rules (Config.StackLimit and GuardGap).
func (k *Kernel) classify(p *Process, va vm.VAddr, a vm.Access) vm.Verdict {
	return heapstack.ClassifyFault(p.vmas, k.geo.PageSize(), va, a, vm.Stack{Limit: k.cfg.StackLimit, GuardGap: k.cfg.GuardGap})
}

// growStack grows the grows-down VMA above va down to va's page, once
// classify has found that it may, and counts the growth.
func (k *Kernel) growStack(p *Process, va vm.VAddr) (vm.VMA, error) {
	v, err := p.vmas.Grow(va, k.cfg.StackLimit, k.cfg.GuardGap)
	if err != nil {
		return vm.VMA{}, err
	}
	k.stats.StackGrowths++
	if k.observing() {
		e := ev(EvStackGrow, p.pid, k.pageAlign(va))
		e.Detail = fmt.Sprintf("stack grew down to %v (now %v)", k.pageAlign(va), v.Range)
		k.emit(e)
	}
	return v, nil
}

// anonFault loads an untouched anonymous page: a read maps the shared zero
// page read-only (no frame used); a write takes a frame and clears it.
func (k *Kernel) anonFault(p *Process, v vm.VMA, va vm.VAddr, write bool) error {
	if !write {
		k.stats.MinorFaults++
		k.stats.ZeroPageMaps++
		if k.observing() {
			e := ev(EvZeroPage, p.pid, va)
			e.PFN = int64(zeroPFN)
			e.Detail = "read of untouched anonymous memory: mapped the shared zero page read-only"
			k.emit(e)
		}
		return k.mapPTE(p, va, zeroPFN, ptePerm(v)&^vm.PermWrite)
	}
	pfn, err := k.newAnonPage(p, true)
	if err != nil {
		return err
	}
	clear(k.pageBytes(pfn))
	k.stats.MinorFaults++
	k.stats.ZeroFills++
	if k.observing() {
		e := ev(EvZeroFill, p.pid, va)
		e.PFN = int64(pfn)
		e.Detail = "first write to anonymous memory: a fresh frame cleared to zeroes"
		k.emit(e)
	}
	return k.mapFresh(p, v, va, pfn, true)
}

// newAnonPage allocates a frame for a new anonymous page (a fresh identity
// for the policy); its bytes are undefined.
func (k *Kernel) newAnonPage(p *Process, write bool) (vm.PFN, error) {
	pfn, err := k.allocFrame(p, k.newAnonID(), pageAnon, write)
	if err != nil {
		return 0, err
	}
	k.frames[pfn].dirty = true // no copy anywhere: eviction must write it to swap
	return pfn, nil
}

// mapFresh maps a frame p owns alone: writable if the VMA is.
func (k *Kernel) mapFresh(p *Process, v vm.VMA, va vm.VAddr, pfn vm.PFN, write bool) error {
	if err := k.mapPTE(p, va, pfn, ptePerm(v)); err != nil {
		k.releaseUnmapped(pfn)
		return err
	}
	return nil
}

// sharePerm is the permission for mapping an existing frame in VMA v: the
// VMA's for a shared mapping or for an anonymous page no one else maps;
// otherwise without write, so that a write faults and copies.
func (k *Kernel) sharePerm(v vm.VMA, pfn vm.PFN) vm.Perm {
	n, _ := k.refs.Get(pfn)
	if v.Shared || (k.frames[pfn].kind == pageAnon && n == 0) {
		return ptePerm(v)
	}
	return ptePerm(v) &^ vm.PermWrite
}

// releaseUnmapped frees a frame just allocated for a page that could not be
// mapped (no page-table frame left).
func (k *Kernel) releaseUnmapped(pfn vm.PFN) {
	if n, _ := k.refs.Get(pfn); n == 0 {
		k.freeFrame(pfn)
	}
}

// dropMappingKeep forgets a hidden mapping without freeing the frame (the
// caller maps it again at once).
func (k *Kernel) dropMappingKeep(pfn vm.PFN, p *Process, va vm.VAddr) {
	k.frames[pfn].pinned++
	_, _ = k.refs.Inc(pfn)
	k.dropMapping(pfn, p, va)
	_, _ = k.refs.Dec(pfn)
	k.frames[pfn].pinned--
}

// swapIn reads a swapped-out page back (a major fault): a frame, the slot's
// bytes copied in, the swap entry replaced by a PTE. The frame keeps a hold
// on the slot (the swap cache) while it stays clean. A page whose slot is
// shared (after fork) gets a private copy and a fresh identity; the other
// sharers keep their swap entries.
func (k *Kernel) swapIn(p *Process, v vm.VMA, va vm.VAddr, slot int, write bool) error {
	id := k.swap.ids[slot]
	if _, resident := k.byID[id]; resident || k.swap.refs[slot] > 1 || id == 0 {
		id = k.newAnonID()
	}
	pfn, err := k.allocFrame(p, id, pageAnon, write)
	if err != nil {
		return err
	}
	copy(k.pageBytes(pfn), k.swap.bytes(slot))
	f := &k.frames[pfn]
	f.slot = slot // the swap entry's reference becomes the swap cache's hold
	delete(p.swap, k.vpnOf(va))
	k.stats.MajorFaults++
	k.stats.SwapIns++
	if k.observing() {
		e := ev(EvSwapIn, p.pid, va)
		e.PFN, e.Slot = int64(pfn), slot
		e.Detail = "page read back from swap (major fault)"
		k.emit(e)
	}
	if err := k.mapPTE(p, va, pfn, ptePerm(v)); err != nil {
		p.swap[k.vpnOf(va)] = slot
		k.swap.hold(slot)
		k.releaseUnmapped(pfn)
		return err
	}
	return nil
}

// fileFault loads a page of a file mapping through the page cache: the
// cached page is found (minor) or read from the file (major). A MAP_SHARED
// mapping maps the cache page itself, writable if the VMA is: writes reach
// every process mapping the file and, on write-back, the file. A
// MAP_PRIVATE mapping maps it read-only; a write copies it into a private
// anonymous page at once (Linux's do_cow_fault). A page wholly past the end
// of the file is SIGBUS.
func (k *Kernel) fileFault(p *Process, v vm.VMA, f *vm.Fault, va vm.VAddr, write bool) error {
	file, ok := k.lookupFile(v.File)
	if !ok {
		return k.signal(p, SIGBUS, BusAdrErr, f, fmt.Sprintf("the file %s is gone", v.File))
	}
	off := v.Offset + uint64(va-v.Range.Start)
	if off >= uint64(len(file.data)) && !file.shmem {
		return k.signal(p, SIGBUS, BusAdrErr, f, fmt.Sprintf("offset %#x is past the end of %s (%d bytes)", off, file.name, len(file.data)))
	}
	index := off / k.pageSize
	pfn, major, err := k.cachedPage(p, file, index)
	if err != nil {
		return err
	}
	if major {
		k.stats.MajorFaults++
	} else {
		k.stats.MinorFaults++
		k.stats.CacheHits++
	}
	if k.observing() {
		e := ev(EvCacheHit, p.pid, va)
		e.Detail = fmt.Sprintf("page %d of %s found in the page cache (minor fault)", index, file.name)
		if major {
			e.Type = EvFileRead
			e.Detail = fmt.Sprintf("page %d of %s read into the page cache (major fault)", index, file.name)
		}
		e.PFN = int64(pfn)
		k.emit(e)
	}
	if v.Shared {
		return k.mapCached(p, va, pfn, ptePerm(v))
	}
	if !write {
		return k.mapCached(p, va, pfn, ptePerm(v)&^vm.PermWrite)
	}
	return k.copyInto(p, v, va, pfn, "write to a private file mapping: the page-cache page copied")
}

// mapCached maps a page-cache page; an unmapped page that cannot be mapped
// stays in the cache.
func (k *Kernel) mapCached(p *Process, va vm.VAddr, pfn vm.PFN, perm vm.Perm) error {
	return k.mapPTE(p, va, pfn, perm)
}

// signal delivers a fatal signal to p for fault f: the process is killed
// (its memory freed) and the error describing why is returned, and kept
// for every later call naming p.
func (k *Kernel) signal(p *Process, sig Signal, code SignalCode, f *vm.Fault, reason string) error {
	se := &SignalError{Pid: p.pid, Signal: sig, Code: code, Addr: f.Addr, Access: f.Access, Reason: reason}
	t := EvSegv
	if sig == SIGBUS {
		t = EvSigbus
		k.stats.Sigbus++
	} else {
		k.stats.Segv++
	}
	if k.observing() {
		e := ev(t, p.pid, f.Addr)
		e.Detail = fmt.Sprintf("%v (%v): %s; pid %d killed", sig, code, reason, p.pid)
		k.emit(e)
	}
	k.destroy(p, fmt.Errorf("kernel: pid %d died: %w", p.pid, se))
	return se
}

func roleName(v vm.VMA) string {
	if v.Role == vm.RoleNone {
		return "the"
	}
	return v.Role.String()
}

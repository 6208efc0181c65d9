package kernel

import (
	"fmt"

	"github.com/vmkata/vmkata/vm"
)

// cowFault handles a write to a present, read-only page of a VMA that
// allows writes (Linux's do_wp_page):
//   - in a MAP_SHARED mapping the page is simply made writable (mprotect
//     raised the VMA's permission and the PTE had not followed);
//   - an anonymous page no one else maps (fork's sharer exited or copied
//     already) is made writable in place: no copy (cow_reuse);
//   - otherwise (a page shared after fork, the zero page, a page-cache page
//     under MAP_PRIVATE) the page is copied into a new private frame and
//     the PTE repointed at it, writable; the old frame loses a reference.
func (k *Kernel) cowFault(p *Process, v vm.VMA, va vm.VAddr, old vm.PFN) error {
	n, _ := k.refs.Get(old)
	if v.Shared || (k.frames[old].kind == pageAnon && n == 1) {
		k.protectPTE(p, va, ptePerm(v))
		k.stats.MinorFaults++
		k.stats.COWReuses++
		if k.observing() {
			e := ev(EvCOWReuse, p.pid, va)
			e.PFN = int64(old)
			e.Detail = "write to a write-protected page no one else maps: made writable, no copy"
			k.emit(e)
		}
		return nil
	}
	what := fmt.Sprintf("write to a page shared by %d mappings: copied into a private frame", n)
	if old == zeroPFN {
		what = "write to the shared zero page: a private zeroed frame replaces it"
	}
	return k.copyInto(p, v, va, old, what)
}

// copyInto gives p a private writable copy of frame src at va (which may
// map src already, read-only, or nothing): the copy-on-write step.
func (k *Kernel) copyInto(p *Process, v vm.VMA, va vm.VAddr, src vm.PFN, what string) error {
	k.frames[src].pinned++ // reclaim must not take the source while a frame is found
	pfn, err := k.newAnonPage(p, true)
	k.frames[src].pinned--
	if err != nil {
		return err
	}
	if src == zeroPFN {
		clear(k.pageBytes(pfn))
	} else {
		copy(k.pageBytes(pfn), k.pageBytes(src))
	}
	if _, _, mapped := k.leaf(p, va); mapped {
		k.unmapPTE(p, va, true)
	}
	k.stats.MinorFaults++
	k.stats.COWCopies++
	if k.observing() {
		e := ev(EvCOWCopy, p.pid, va)
		e.PFN = int64(pfn)
		e.Detail = fmt.Sprintf("%s (pfn %#x -> pfn %#x)", what, uint64(src), uint64(pfn))
		k.emit(e)
	}
	return k.mapFresh(p, v, va, pfn, true)
}

// Fork implements the semantics of Linux's fork(2) on memory, with
// copy-on-write: the child gets a copy of the parent's VMAs and a new page
// table whose entries point at the parent's frames; no page is copied.
// Every page of a private writable VMA is write-protected in both tables
// (the parent's TLB entries are flushed on every CPU), and each shared
// frame's reference count goes up by one; the first write by either side
// faults and copies (cowFault). Shared mappings stay writable and shared.
// Swap entries are shared too (the slot's count goes up). It returns the
// child's pid.
func (k *Kernel) Fork(pid int) (int, error) {
	parent, err := k.process(pid)
	if err != nil {
		return 0, err
	}
	k.runOn(parent)
	child, err := k.newProcess(parent.name)
	if err != nil {
		return 0, err
	}
	child.vmas = parent.vmas.Clone()
	child.brkStart, child.brk = parent.brkStart, parent.brk
	child.lastCPU = parent.lastCPU
	if err := k.charge(child, 0); err != nil {
		_ = child.pt.Free()
		k.asids[child.asid] = false
		return 0, err
	}
	k.recount(child)
	var present []vm.Mapping
	for m := range parent.pt.Mappings() {
		present = append(present, m)
	}
	protected := false
	for _, m := range present {
		perm := m.Perm
		v, _ := parent.vmas.Find(m.VA)
		if !v.Shared && perm.Has(vm.PermWrite) {
			perm &^= vm.PermWrite
			if err := parent.pt.Protect(m.VA, perm); err != nil {
				panic(fmt.Sprintf("kernel: fork: write-protecting %v: %v", m.VA, err))
			}
			protected = true
		}
		if err := k.mapPTE(child, m.VA, m.PFN, perm); err != nil {
			// No page-table frame left: undo the child.
			k.destroy(child, err)
			delete(k.dead, child.pid)
			if protected {
				k.flushAll(parent)
			}
			return 0, fmt.Errorf("kernel: fork of pid %d: %w", pid, ErrNoMemory)
		}
	}
	if protected {
		k.flushAll(parent)
	}
	for vpn, pfn := range parent.hidden {
		child.hidden[vpn] = pfn
		k.addMapping(pfn, child, k.vaOf(vpn))
	}
	for vpn, slot := range parent.swap {
		child.swap[vpn] = slot
		k.swap.hold(slot)
	}
	k.procs[child.pid] = child
	k.stats.Forks++
	k.stats.TableBytesCopied += uint64(child.pt.TableBytes())
	if k.observing() {
		e := ev(EvSpawn, child.pid, 0)
		e.Detail = fmt.Sprintf("fork of pid %d: %d pages shared copy-on-write, %d bytes of page table built, no page copied",
			pid, len(present), child.pt.TableBytes())
		k.emit(e)
	}
	return child.pid, nil
}

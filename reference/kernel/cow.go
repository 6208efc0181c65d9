package kernel

import (
	"fmt"

	"github.com/vmkata/vmkata/vm"
)

// Fork implements the semantics of Linux's fork(2) on memory, with
// copy-on-write: the child gets a copy of the parent's VMAs and a new page
// table whose entries point at the parent's frames; no page is copied.
// Every page of a private writable VMA is write-protected in both tables
// (the parent's TLB entries are flushed on every CPU), and each shared
// frame's reference count goes up by one; the first write by either side
// faults and copies (reference/faulthandler's copy-on-write). Shared mappings stay writable and shared.
// Swap entries are shared too (the slot's count goes up). It returns the
// child's pid.
func (k *Kernel) Fork(pid int) (int, error) {
	parent, err := k.process(pid)
	if err != nil {
		return 0, err
	}
	if _, err := k.runOn(parent); err != nil {
		return 0, err
	}
	child, err := k.newProcess(parent.name)
	if err != nil {
		return 0, err
	}
	// Copy the VMA list the way vm.VMASet documents: every VMA of the
	// parent mapped into the child's new set with MAP_FIXED.
	for v := range parent.vmas.All() {
		if _, err := child.vmas.Map(v, true); err != nil {
			child.pt.Free()
			k.asids[child.asid] = false
			return 0, fmt.Errorf("kernel: fork: copying %v: %w", v, err)
		}
	}
	child.brkStart, child.brk = parent.brkStart, parent.brk
	child.lastCPU = parent.lastCPU
	if err := k.charge(child, 0); err != nil {
		child.pt.Free()
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

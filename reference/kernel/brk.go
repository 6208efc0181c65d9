package kernel

import (
	"fmt"

	"github.com/vmkata/vmkata/vm"
)

// Brk implements the semantics of Linux's brk(2): it moves pid's program
// break to addr and returns the new break; on failure (addr below the
// heap's start, the heap would run into another mapping, the overcommit
// policy refuses) it returns the old break and the reason. Brk(pid, 0)
// only reports the break.
//
// The heap VMA is [heap start, break rounded up to a page); it appears at
// the first growth. Growing maps nothing (pages come on first touch, like
// any anonymous memory); shrinking drops the pages above the new break and
// invalidates their TLB entries. The decisions are Config.Brk's (default
// heapstack.Brk), with the heap limited to end at MmapBase; the kernel
// adds the commit charge and drops the frames of the pages released.
func (k *Kernel) Brk(pid int, addr vm.VAddr) (vm.VAddr, error) {
	p, err := k.process(pid)
	if err != nil {
		return 0, err
	}
	old := p.brk
	if addr == 0 || addr == old {
		return old, nil
	}
	if addr < p.brkStart {
		return old, fmt.Errorf("kernel: brk(%v): below the heap's start %v: %w", addr, p.brkStart, ErrNoMemory)
	}
	if _, err := k.runOn(p); err != nil {
		return old, err
	}
	oldEnd := k.pageUp(old)
	if newEnd := k.pageUp(addr); newEnd > oldEnd {
		if err := k.charge(p, uint64(newEnd-oldEnd)/k.pageSize); err != nil {
			return old, err
		}
	}
	heap := vm.Heap{Start: p.brkStart, Brk: old, Limit: uint64(k.MmapBase() - p.brkStart)}
	heap, released, err := k.cfg.Brk(p.vmas, k.geo.PageSize(), heap, addr)
	if err != nil {
		return old, fmt.Errorf("kernel: %w: %w", err, ErrNoMemory)
	}
	k.batch()
	for va := released.Start; va < released.End; va += vm.VAddr(k.pageSize) {
		k.dropPage(p, va)
	}
	k.endBatch()
	k.recount(p)
	p.brk = heap.Brk
	if k.observing() {
		e := ev(EvBrk, pid, addr)
		e.Detail = fmt.Sprintf("program break %v -> %v, heap [%v, %v)", old, addr, p.brkStart, k.pageUp(addr))
		k.emit(e)
	}
	return addr, nil
}

// Sbrk implements sbrk(3): it moves the break by incr bytes (negative
// shrinks) and returns the old break, as malloc does to grow its arena.
func (k *Kernel) Sbrk(pid int, incr int64) (vm.VAddr, error) {
	p, err := k.process(pid)
	if err != nil {
		return 0, err
	}
	old := p.brk
	if incr == 0 {
		return old, nil
	}
	target := vm.VAddr(int64(old) + incr)
	if (incr > 0 && target < old) || (incr < 0 && target > old) {
		return old, fmt.Errorf("kernel: sbrk(%d): overflows: %w", incr, ErrNoMemory)
	}
	if _, err := k.Brk(pid, target); err != nil {
		return old, err
	}
	return old, nil
}

// HeapStart returns the start of pid's heap (the page after bss).
func (k *Kernel) HeapStart(pid int) (vm.VAddr, error) {
	p, err := k.process(pid)
	if err != nil {
		return 0, err
	}
	return p.brkStart, nil
}

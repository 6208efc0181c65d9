package mmu

import (
	"errors"
	"fmt"

	"github.com/vmkata/vmkata/vm"
)

// Translate implements address translation, vm.MMU's central operation: a
// canonical check, a TLB lookup tagged with the current PCID (0 when PCIDs
// are off), and on a miss a page walk through the table LoadCR3 installed
// (or, with a software-managed TLB, a call of the Refill handler).
//
// A TLB hit is checked against the entry's own permissions, without
// reading the page table; a write through an entry whose Dirty is false
// walks again, as x86 does, to set D in the leaf, and re-caches the entry
// as dirty. A walk that finds the page sets Accessed on every entry of the
// path (Dirty on the leaf for a write; bits already set are not rewritten)
// and caches the translation with Dirty = the leaf's D bit and Global = its
// G bit.
//
// A failure is a *vm.Fault (see vm.MMU for its fields and error code) and
// drops any TLB entry for va, as an x86 page fault invalidates the entries
// of the faulting page. Translate returns an error wrapping
// vm.ErrNoPageTable before LoadCR3, and wraps any error the page table,
// the TLB or the Refill handler returns that is not a fault.
//
// Translate allocates nothing unless it faults.
func (m *MMU) Translate(va vm.VAddr, a vm.Access) (vm.PAddr, error) {
	pa, _, err := m.translate(va, a)
	return pa, err
}

// physAddr is the frame of e's page plus va's offset in that page.
func (m *MMU) physAddr(e *vm.TLBEntry, va vm.VAddr) vm.PAddr {
	return vm.PAddr(uint64(e.PFN)<<m.g.OffsetBits + uint64(va-e.VA))
}

// canonical reports whether va is an address of the geometry: sign-extended
// from bit VABits-1 (x86-64), or zero above VABits.
func (m *MMU) canonical(va vm.VAddr) bool {
	high := va & m.highMask
	return high == 0 || (m.g.SignExtended && high == m.highMask)
}

// translate does the work of Translate and returns the physical address
// and the size of the page the access went through.
func (m *MMU) translate(va vm.VAddr, a vm.Access) (vm.PAddr, vm.PageSize, error) {
	m.stats.Translations++
	if !m.canonical(va) {
		m.stats.Faults++
		m.stats.Cycles += m.cost.FaultService
		return 0, 0, &vm.Fault{Addr: va, Access: a, Kind: vm.FaultNonCanonical}
	}
	if m.root == nil {
		return 0, 0, fmt.Errorf("mmu: translate %v (%v): %w", va, a, vm.ErrNoPageTable)
	}
	m.stats.Cycles += m.cost.TLBHit
	e, hit := m.tlb.Lookup(m.pcid, va)
	if hit {
		m.stats.TLBHits++
		if !e.Perm.Has(a.Needs()) {
			return 0, 0, m.fault(va, a, vm.FaultProtection, 0)
		}
		if a.Kind != vm.Write || e.Dirty {
			m.stats.Cycles += m.cost.MemRef
			return m.physAddr(&e, va), e.Size, nil
		}
		// A write through a clean entry: fall through to walk (or refill)
		// so that the leaf's D bit gets set.
	} else {
		m.stats.TLBMisses++
	}
	if m.soft {
		return m.refill(va, a)
	}
	return m.walk(va, a)
}

// walk is the hardware page walker (x86): it reads the current table from
// the root down, checks the effective permission, sets A (and D) in memory
// and fills the TLB.
func (m *MMU) walk(va vm.VAddr, a vm.Access) (vm.PAddr, vm.PageSize, error) {
	w, err := m.root.Walk(va)
	m.stats.Walks++
	m.stats.WalkReads += uint64(w.Steps)
	m.stats.Cycles += uint64(w.Steps) * m.cost.MemRef
	level := int(m.g.Levels) - w.Steps + 1 // the level of the last entry read
	switch {
	case err != nil && errors.Is(err, vm.ErrReservedBit):
		return 0, 0, m.fault(va, a, vm.FaultReservedBit, level)
	case err != nil:
		return 0, 0, fmt.Errorf("mmu: walking the table for %v: %w", va, err)
	case !w.Present():
		return 0, 0, m.fault(va, a, vm.FaultNotPresent, level)
	case !w.Perm.Has(a.Needs()):
		return 0, 0, m.fault(va, a, vm.FaultProtection, level)
	}
	leaf := w.Leaf()
	write := a.Kind == vm.Write
	if needsMarking(&w, write) {
		if err := m.root.MarkAccessed(va, write); err != nil {
			return 0, 0, fmt.Errorf("mmu: setting accessed/dirty bits for %v: %w", va, err)
		}
	}
	e := vm.TLBEntry{
		ASID:   m.pcid,
		VA:     va &^ vm.VAddr(w.Size-1),
		Size:   w.Size,
		PFN:    leaf.PFN(),
		Perm:   w.Perm,
		Global: leaf.Has(vm.PTEGlobal),
		Dirty:  write || leaf.Has(vm.PTEDirty),
	}
	if err := m.tlb.Insert(e); err != nil {
		return 0, 0, fmt.Errorf("mmu: caching %v: %w", e, err)
	}
	m.stats.Cycles += m.cost.MemRef
	return m.physAddr(&e, va), e.Size, nil
}

// needsMarking reports whether some entry of w lacks A, or, for a write,
// the leaf lacks D: whether the walker has to write to the table at all.
func needsMarking(w *vm.Walk, write bool) bool {
	for i := range w.Steps {
		if !w.Entries[i].Has(vm.PTEAccessed) {
			return true
		}
	}
	return write && !w.Leaf().Has(vm.PTEDirty)
}

// refill raises the software TLB-miss exception (MIPS): the operating
// system's handler fills the TLB, and the lookup is retried once.
func (m *MMU) refill(va vm.VAddr, a vm.Access) (vm.PAddr, vm.PageSize, error) {
	m.stats.Refills++
	m.stats.Cycles += m.cost.TLBRefill
	if err := m.refil(m.pcid, va, a); err != nil {
		var f *vm.Fault
		if errors.As(err, &f) {
			m.stats.Faults++
			m.stats.Cycles += m.cost.FaultService
			m.tlb.FlushPage(m.pcid, va)
			return 0, 0, err
		}
		return 0, 0, fmt.Errorf("mmu: TLB refill handler for %v (%v): %w", va, a, err)
	}
	e, hit := m.tlb.Lookup(m.pcid, va)
	switch {
	case !hit:
		return 0, 0, fmt.Errorf("mmu: after refilling %v (%v) the TLB still misses: %w", va, a, vm.ErrRefill)
	case !e.Perm.Has(a.Needs()):
		return 0, 0, m.fault(va, a, vm.FaultProtection, 0)
	case a.Kind == vm.Write && !e.Dirty:
		return 0, 0, fmt.Errorf("mmu: after refilling %v for a write the entry %v is still clean: %w", va, e, vm.ErrRefill)
	}
	m.stats.Cycles += m.cost.MemRef
	return m.physAddr(&e, va), e.Size, nil
}

// fault builds the page fault for a failed access: the x86 error code from
// the kind and the access, the level where the walk stopped. It counts the
// fault, charges its service and drops any TLB entry for va.
func (m *MMU) fault(va vm.VAddr, a vm.Access, kind vm.FaultKind, level int) error {
	var code vm.ErrorCode
	switch kind {
	case vm.FaultProtection:
		code |= vm.ErrCodeP
	case vm.FaultReservedBit:
		code |= vm.ErrCodeP | vm.ErrCodeRSVD
	}
	if a.Kind == vm.Write {
		code |= vm.ErrCodeW
	}
	if a.User {
		code |= vm.ErrCodeU
	}
	if a.Kind == vm.Execute && m.nxCode {
		code |= vm.ErrCodeI
	}
	m.stats.Faults++
	m.stats.Cycles += m.cost.FaultService
	m.tlb.FlushPage(m.pcid, va)
	return &vm.Fault{Addr: va, Access: a, Kind: kind, Code: code, Level: level}
}

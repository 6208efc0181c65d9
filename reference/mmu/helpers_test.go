package mmu_test

import (
	"testing"

	"github.com/vmkata/vmkata/reference/mmu"
	"github.com/vmkata/vmkata/reference/pagetable"
	"github.com/vmkata/vmkata/reference/phys"
	"github.com/vmkata/vmkata/reference/tlb"
	"github.com/vmkata/vmkata/vm"
)

// machine is an x86-64 MMU wired to reference parts, with pages user
// read-write pages mapped from 0x400000 on.
type machine struct {
	mem *phys.Memory
	pt  *pagetable.Radix
	tlb *tlb.TLB
	mmu *mmu.MMU
}

// newMachine maps pages pages and builds the MMU with a TLB of cfg.
func newMachine(tb testing.TB, pages int, cfg vm.TLBConfig) *machine {
	tb.Helper()
	mem, err := phys.NewMemory(1024+pages, vm.Size4K)
	if err != nil {
		tb.Fatal(err)
	}
	frames, err := phys.NewFreeList(1024)
	if err != nil {
		tb.Fatal(err)
	}
	pt, err := pagetable.NewRadix(vm.X86_64, mem, frames)
	if err != nil {
		tb.Fatal(err)
	}
	for i := range pages {
		m := vm.Mapping{VA: vm.VAddr(0x400000 + i<<12), PFN: vm.PFN(1024 + i), Size: vm.Size4K, Perm: vm.PermRW | vm.PermUser}
		if err := pt.Map(m); err != nil {
			tb.Fatalf("Map(%v) = %v", m, err)
		}
	}
	t, err := tlb.New(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	m, err := mmu.New(vm.MMUConfig{Geometry: vm.X86_64, TLB: t, Mem: mem, Cost: vm.DefaultCost})
	if err != nil {
		tb.Fatalf("New = %v", err)
	}
	m.LoadCR3(pt, 0, false)
	return &machine{mem: mem, pt: pt, tlb: t, mmu: m}
}

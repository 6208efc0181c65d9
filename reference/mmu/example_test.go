package mmu_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/vmkata/vmkata/reference/mmu"
	"github.com/vmkata/vmkata/reference/pagetable"
	"github.com/vmkata/vmkata/reference/phys"
	"github.com/vmkata/vmkata/reference/tlb"
	"github.com/vmkata/vmkata/vm"
)

// The classic textbook numbers: memory 200 ns, a page fault 8 ms.
func ExampleEAT() {
	for _, p := range []float64{0, 0.001, 0.01} {
		eat, _ := mmu.EAT(p, 200*time.Nanosecond, 8*time.Millisecond)
		fmt.Printf("p=%-5v EAT=%-8v %.0fx memory\n", p, eat, float64(eat)/200)
	}
	// Output:
	// p=0     EAT=200ns    1x memory
	// p=0.001 EAT=8.2µs    41x memory
	// p=0.01  EAT=80.198µs 401x memory
}

// Silberschatz's TLB example: 20 ns TLB, 100 ns memory, one-level table.
func ExampleEATWithTLB() {
	for _, h := range []float64{0.80, 0.98} {
		eat, _ := mmu.EATWithTLB(h, 20*time.Nanosecond, 100*time.Nanosecond, 1)
		fmt.Printf("hit ratio %.0f%%: %v\n", h*100, eat)
	}
	// Output:
	// hit ratio 80%: 140ns
	// hit ratio 98%: 122ns
}

func Example() {
	mem, _ := phys.NewMemory(1024, vm.Size4K)
	frames, _ := phys.NewFreeList(512) // frames 0..511 for page tables
	pt, _ := pagetable.NewRadix(vm.X86_64, mem, frames)
	_ = pt.Map(vm.Mapping{VA: 0x400000, PFN: 0x200, Size: vm.Size4K, Perm: vm.PermRead | vm.PermUser})
	t, _ := tlb.New(vm.TLBConfig{Entries: 64, Ways: 4})
	m, _ := mmu.New(vm.MMUConfig{Geometry: vm.X86_64, TLB: t, Mem: mem, Cost: vm.DefaultCost})
	m.LoadCR3(pt, 0, false)

	pa, _ := m.Translate(0x400123, vm.UserRead) // miss: a 4-level walk
	fmt.Println("pa", pa)
	pa, _ = m.Translate(0x400456, vm.UserRead) // hit
	fmt.Println("pa", pa)
	_, err := m.Translate(0x400000, vm.UserWrite) // the cached entry says r--u: no walk, level 0
	var f *vm.Fault
	if errors.As(err, &f) {
		fmt.Println(f, "->", f.Code)
	}
	fmt.Println(m.Stats()) // cycles: (1+4×100+100) + (1+100) + (1+8,000,000)
	// Output:
	// pa 0x200123
	// pa 0x200456
	// page fault at 0x400000: protection violation (user write, code P|W|U) -> P|W|U
	// translations=3 hits=2 misses=1 walks=1 walk-reads=4 refills=0 faults=1 cycles=8000603
}

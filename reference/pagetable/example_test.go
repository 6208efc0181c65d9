package pagetable_test

import (
	"fmt"

	"github.com/vmkata/vmkata/reference/pagetable"
	"github.com/vmkata/vmkata/reference/phys"
	"github.com/vmkata/vmkata/vm"
)

// sparseProcess returns the pages of a small process laid out as on Linux:
// 16 pages of code at 0x400000, 32 pages of heap at 0x600000 and 8 pages of
// stack just below stackTop.
func sparseProcess(stackTop vm.VAddr, perm vm.Perm) []vm.Mapping {
	var ms []vm.Mapping
	add := func(start vm.VAddr, n int) {
		for i := range n {
			ms = append(ms, vm.Mapping{VA: start + vm.VAddr(i)<<12, PFN: vm.PFN(len(ms) + 100), Size: vm.Size4K, Perm: perm})
		}
	}
	add(0x40_0000, 16)
	add(0x60_0000, 32)
	add(stackTop-8<<12, 8)
	return ms
}

// mustRadix maps ms into a fresh radix table for g and returns it.
func mustRadix(g vm.Geometry, ms []vm.Mapping) *pagetable.Radix {
	mem, err := phys.NewMemory(64, g.PageSize())
	if err != nil {
		panic(err)
	}
	frames, _ := phys.NewFreeList(mem.Frames())
	pt, err := pagetable.NewRadix(g, mem, frames)
	if err != nil {
		panic(err)
	}
	for _, m := range ms {
		if err := pt.Map(m); err != nil {
			panic(err)
		}
	}
	return pt
}

// The question learners ask: does a multi-level table really save memory?
// A process with 56 pages (224 KiB) scattered over its address space needs
// 8 table pages on x86-64, against 512 GiB for one flat table; on x86-32,
// 3 pages against the 4 MiB of a flat table. An inverted table is sized by
// RAM instead: one entry per frame, whatever the processes.
func Example_tableMemory() {
	perm := vm.PermRW | vm.PermUser
	ms64 := sparseProcess(0x7fff_ffff_f000, perm)
	r64 := mustRadix(vm.X86_64, ms64)
	fmt.Printf("x86-64, %d pages mapped:\n", len(ms64))
	fmt.Printf("  radix  %d table pages = %d KiB\n", r64.TablePages(), r64.TableBytes()>>10)
	fmt.Printf("  linear 2^36 entries * 8 B = %d GiB\n", (uint64(1)<<36*8)>>30)
	_, err := pagetable.NewLinear(vm.X86_64)
	fmt.Println("  NewLinear refuses:", err != nil)

	ms32 := sparseProcess(0xc000_0000, perm)
	r32 := mustRadix(vm.X86_32, ms32)
	l32, _ := pagetable.NewLinear(vm.X86_32)
	for _, m := range ms32 {
		_ = l32.Map(m)
	}
	fmt.Printf("x86-32, %d pages mapped:\n", len(ms32))
	fmt.Printf("  radix  %d table pages = %d KiB\n", r32.TablePages(), r32.TableBytes()>>10)
	fmt.Printf("  linear %d KiB\n", l32.TableBytes()>>10)

	inv, _ := pagetable.NewInverted(vm.X86_64, 1<<18) // 1 GiB of RAM
	fmt.Printf("inverted, 1 GiB of RAM: %d KiB for every process together\n", inv.TableBytes()>>10)
	// Output:
	// x86-64, 56 pages mapped:
	//   radix  8 table pages = 32 KiB
	//   linear 2^36 entries * 8 B = 512 GiB
	//   NewLinear refuses: true
	// x86-32, 56 pages mapped:
	//   radix  3 table pages = 12 KiB
	//   linear 4096 KiB
	// inverted, 1 GiB of RAM: 8192 KiB for every process together
}

// A 4-level x86-64 walk reads one entry per level, at the table's frame
// address plus index*8; the indices are the four 9-bit fields of the VA.
func ExampleRadix_Walk() {
	mem, _ := phys.NewMemory(16, vm.Size4K)
	frames, _ := phys.NewFreeList(mem.Frames())
	pt, _ := pagetable.NewRadix(vm.X86_64, mem, frames)
	_ = pt.Map(vm.Mapping{VA: 0x7f12_3456_7000, PFN: 0x2a, Size: vm.Size4K, Perm: vm.PermRW | vm.PermUser})
	_ = pt.MarkAccessed(0x7f12_3456_7abc, true)
	w, _ := pt.Walk(0x7f12_3456_7abc)
	for i := range w.Steps {
		fmt.Printf("L%d read %v: %v\n", 4-i, w.Reads[i], w.Entries[i])
	}
	fmt.Println(w.Size, w.Perm)
	// Output:
	// L4 read 0x7f0: PTE{pfn=0x1 P RW US A}
	// L3 read 0x1240: PTE{pfn=0x2 P RW US A}
	// L2 read 0x2d10: PTE{pfn=0x3 P RW US A}
	// L1 read 0x3b38: PTE{pfn=0x2a P RW US A D NX}
	// 4K rw-u
}

package tlb_test

import (
	"fmt"

	"github.com/vmkata/vmkata/reference/tlb"
	"github.com/vmkata/vmkata/vm"
)

func Example() {
	t, err := tlb.New(vm.TLBConfig{Entries: 64, Ways: 4})
	if err != nil {
		fmt.Println(err)
		return
	}
	lookup := func(asid vm.ASID, va vm.VAddr) {
		if e, ok := t.Lookup(asid, va); ok {
			fmt.Printf("Lookup(%v, %v) = hit %v\n", asid, va, e)
		} else {
			fmt.Printf("Lookup(%v, %v) = miss\n", asid, va)
		}
	}

	lookup(1, 0x3010) // cold: the MMU walks the page table, then caches the result
	_ = t.Insert(vm.TLBEntry{ASID: 1, VA: 0x3000, Size: vm.Size4K, PFN: 0x7, Perm: vm.PermRW | vm.PermUser})
	_ = t.Insert(vm.TLBEntry{VA: 0xffff800000000000, Size: vm.Size2M, PFN: 0x200, Perm: vm.PermRW, Global: true})
	lookup(1, 0x3010)             // hit: same page
	lookup(2, 0x3010)             // miss: another address space
	lookup(2, 0xffff800000123456) // hit: the global kernel page matches every ASID

	t.FlushASID(1) // address space 1 is gone
	lookup(1, 0x3010)
	lookup(1, 0xffff800000000000) // global entries survive FlushASID

	s := t.Stats()
	fmt.Printf("hits %d, misses %d, flushes %d, %d valid\n", s.Hits, s.Misses, s.Flushes, t.Len())
	// Output:
	// Lookup(asid 1, 0x3010) = miss
	// Lookup(asid 1, 0x3010) = hit asid 1 0x3000 -> pfn 0x7 (4K rw-u)
	// Lookup(asid 2, 0x3010) = miss
	// Lookup(asid 2, 0xffff800000123456) = hit global 0xffff800000000000 -> pfn 0x200 (2M rw-- G)
	// Lookup(asid 1, 0x3010) = miss
	// Lookup(asid 1, 0xffff800000000000) = hit global 0xffff800000000000 -> pfn 0x200 (2M rw-- G)
	// hits 3, misses 3, flushes 1, 1 valid
}

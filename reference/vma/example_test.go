package vma_test

import (
	"fmt"

	"github.com/vmkata/vmkata/reference/vma"
	"github.com/vmkata/vmkata/vm"
)

// A process's layout, then an mprotect that splits the mapped area and
// an munmap that punches a hole in it.
func Example() {
	s, err := vma.NewSet(vm.Size4K, vm.AddrRange{Start: 0x10000, End: 0x8000_0000})
	if err != nil {
		panic(err)
	}
	must := func(_ any, err error) {
		if err != nil {
			panic(err)
		}
	}
	must(s.Map(vm.VMA{Range: vm.AddrRange{Start: 0x400000, End: 0x402000}, Perm: vm.PermRX,
		Backing: vm.BackingFile, File: "/bin/app", Role: vm.RoleText}, true))
	must(s.Map(vm.VMA{Range: vm.AddrRange{Start: 0x402000, End: 0x403000}, Perm: vm.PermRW,
		Backing: vm.BackingFile, File: "/bin/app", Offset: 0x2000, Role: vm.RoleData}, true))
	must(s.Map(vm.VMA{Range: vm.AddrRange{Start: 0x403000, End: 0x404000}, Perm: vm.PermRW, Role: vm.RoleBSS}, true))
	must(s.Map(vm.VMA{Range: vm.AddrRange{Start: 0x404000, End: 0x405000}, Perm: vm.PermRW, Role: vm.RoleHeap}, true))
	must(s.Map(vm.VMA{Range: vm.AddrRange{Start: 0x7ffe0000, End: 0x8000_0000}, Perm: vm.PermRW,
		Role: vm.RoleStack, GrowsDown: true}, true))

	// mmap(NULL, 4 pages) with the hint 0x40000000, the mmap base.
	r, err := s.Map(vm.VMA{Range: vm.AddrRange{Start: 0x4000_0000, End: 0x4000_4000}, Perm: vm.PermRW, Role: vm.RoleMmap}, false)
	must(r, err)
	must(s.Protect(vm.AddrRange{Start: r.Start + 0x1000, End: r.Start + 0x2000}, vm.PermRead))
	must(s.Unmap(vm.AddrRange{Start: r.Start + 0x3000, End: r.End}))
	fmt.Print(s)
	// Output:
	// 00400000-00402000 r-xp 00000000 /bin/app text
	// 00402000-00403000 rw-p 00002000 /bin/app data
	// 00403000-00404000 rw-p 00000000 bss
	// 00404000-00405000 rw-p 00000000 heap
	// 40000000-40001000 rw-p 00000000 mmap
	// 40001000-40002000 r--p 00000000 mmap
	// 40002000-40003000 rw-p 00000000 mmap
	// 7ffe0000-80000000 rw-p 00000000 stack growsdown
}

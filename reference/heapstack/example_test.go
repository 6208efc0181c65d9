package heapstack_test

import (
	"fmt"

	"github.com/vmkata/vmkata/reference/heapstack"
	"github.com/vmkata/vmkata/reference/vma"
	"github.com/vmkata/vmkata/vm"
)

// The textbook layout: text, data and bss, a heap grown by brk, a library
// and a big malloc block in the mmap area, and the stack, 16 pages now,
// which may grow to 1 MiB and keeps a 64 KiB guard gap.
func Example() {
	s, _ := vma.NewSet(vm.Size4K, vm.AddrRange{Start: 0x10000, End: 0x8000_0000})
	for _, v := range []vm.VMA{
		{Range: vm.AddrRange{Start: 0x400000, End: 0x401000}, Perm: vm.PermRX, Backing: vm.BackingFile, File: "/bin/app", Role: vm.RoleText},
		{Range: vm.AddrRange{Start: 0x600000, End: 0x601000}, Perm: vm.PermRW, Backing: vm.BackingFile, File: "/bin/app", Offset: 0x1000, Role: vm.RoleData},
		{Range: vm.AddrRange{Start: 0x601000, End: 0x602000}, Perm: vm.PermRW, Role: vm.RoleBSS},
		{Range: vm.AddrRange{Start: 0x7fd0_0000, End: 0x7fd0_4000}, Perm: vm.PermRX, Backing: vm.BackingFile, File: "libc.so", Role: vm.RoleMmap},
		{Range: vm.AddrRange{Start: 0x7fe0_0000, End: 0x7fe2_1000}, Perm: vm.PermRW, Role: vm.RoleMmap}, // malloc(128 KiB)
		{Range: vm.AddrRange{Start: 0x7fff_0000, End: 0x8000_0000}, Perm: vm.PermRW, Role: vm.RoleStack, GrowsDown: true},
	} {
		_, _ = s.Map(v, true)
	}

	heap := vm.Heap{Start: 0x602000, Brk: 0x602000, Limit: 1 << 30}
	heap, _, _ = heapstack.Brk(s, vm.Size4K, heap, 0x602000+100) // malloc(100)
	fmt.Println(heap)
	heap, _, _ = heapstack.Brk(s, vm.Size4K, heap, 0x602000+0x3000)
	heap, released, _ := heapstack.Brk(s, vm.Size4K, heap, 0x602000+0x800) // free: the break comes down
	fmt.Println(heap, "released", released)
	for v := range s.All() {
		fmt.Println(v)
	}

	rules := vm.Stack{Limit: 1 << 20, GuardGap: 0x1_0000}
	for _, f := range []struct {
		va vm.VAddr
		a  vm.Access
	}{
		{0x400123, vm.UserExec},     // run the program
		{0x400123, vm.UserWrite},    // write to its code
		{0x602010, vm.UserWrite},    // write to the heap
		{0x602010, vm.UserExec},     // jump into the heap
		{0x603000, vm.UserRead},     // read above the break
		{0x7ffe_fff0, vm.UserWrite}, // push below the stack
		{0x7ff0_0000, vm.UserWrite}, // the stack's 1 MiB limit
		{0x7fef_fff0, vm.UserWrite}, // one more push: stack overflow
	} {
		fmt.Printf("%v at %v: %v\n", f.a, f.va, heapstack.ClassifyFault(s, vm.Size4K, f.va, f.a, rules))
	}
	rules.Limit = 4 << 20
	fmt.Println("with a 4 MiB limit:")
	for _, va := range []vm.VAddr{0x7fe3_1000, 0x7fe3_0fff} {
		fmt.Printf("%v at %v: %v\n", vm.UserWrite, va, heapstack.ClassifyFault(s, vm.Size4K, va, vm.UserWrite, rules))
	}
	// Output:
	// heap [0x602000, brk 0x602064) limit 0x40000000
	// heap [0x602000, brk 0x602800) limit 0x40000000 released [0x603000, 0x605000)
	// 00400000-00401000 r-xp 00000000 /bin/app text
	// 00600000-00601000 rw-p 00001000 /bin/app data
	// 00601000-00602000 rw-p 00000000 bss
	// 00602000-00603000 rw-p 00000000 heap
	// 7fd00000-7fd04000 r-xp 00000000 libc.so mmap
	// 7fe00000-7fe21000 rw-p 00000000 mmap
	// 7fff0000-80000000 rw-p 00000000 stack growsdown
	// user execute at 0x400123: lazy in 00400000-00401000 r-xp 00000000 /bin/app text
	// user write at 0x400123: accerr: the VMA does not allow writing: 00400000-00401000 r-xp 00000000 /bin/app text
	// user write at 0x602010: lazy in 00602000-00603000 rw-p 00000000 heap
	// user execute at 0x602010: accerr: the VMA does not allow executing: 00602000-00603000 rw-p 00000000 heap
	// user read at 0x603000: maperr: no VMA contains the address
	// user write at 0x7ffefff0: grow-stack to 0x7ffef000: 7fff0000-80000000 rw-p 00000000 stack growsdown
	// user write at 0x7ff00000: grow-stack to 0x7ff00000: 7fff0000-80000000 rw-p 00000000 stack growsdown
	// user write at 0x7feffff0: maperr: stack overflow: the stack would grow past its size limit: 7fff0000-80000000 rw-p 00000000 stack growsdown
	// with a 4 MiB limit:
	// user write at 0x7fe31000: grow-stack to 0x7fe31000: 7fff0000-80000000 rw-p 00000000 stack growsdown
	// user write at 0x7fe30fff: maperr: stack overflow: the stack would grow into the guard gap above the mapping below it: 7fff0000-80000000 rw-p 00000000 stack growsdown
}

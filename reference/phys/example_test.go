package phys_test

import (
	"fmt"

	"github.com/vmkata/vmkata/reference/phys"
	"github.com/vmkata/vmkata/vm"
)

func Example() {
	mem, err := phys.NewMemory(16, vm.Size4K)
	if err != nil {
		fmt.Println(err)
		return
	}
	frames, _ := phys.NewFreeList(mem.Frames())
	_ = frames.Reserve(0) // frame 0 stays out of use

	pfn, _ := frames.Alloc()
	_ = mem.ZeroFrame(pfn)
	pa, _ := mem.FrameAddr(pfn)
	_ = mem.WriteUint64(pa+8, 0x2a)
	v, _ := mem.ReadUint64(pa + 8)
	fmt.Println(pfn, pa, v)

	_, err = mem.ReadUint64(vm.PAddr(mem.Size()))
	fmt.Println(err)
	fmt.Println(frames.Free(pfn), frames.Free(pfn))
	// Output:
	// pfn 0x1 0x1000 42
	// phys: read of 8 bytes at 0x10000 outside memory [0x0, 0x10000): out of range
	// <nil> phys: free pfn 0x1: frame is already free (double free or never allocated): invalid frame
}

func ExampleBuddy() {
	b, _ := phys.NewBuddy(1024, 10) // 4 MiB of 4K frames, one block of order 10
	small, _ := b.Alloc()
	huge, _ := b.AllocOrder(9) // 512 frames: one 2 MiB huge page
	fmt.Println(small, huge)
	var free []int
	for k := 0; k <= 10; k++ {
		free = append(free, b.FreeBlocks(k))
	}
	fmt.Println("free blocks by order:", free)
	_ = b.Free(small)
	_ = b.FreeOrder(huge, 9)
	fmt.Println(b.FreeBlocks(10), b.FreeFrames())
	// Output:
	// pfn 0x0 pfn 0x200
	// free blocks by order: [1 1 1 1 1 1 1 1 1 0 0]
	// 1 1024
}

func ExampleRefCounts() {
	r, _ := phys.NewRefCounts(8)
	_, _ = r.Inc(3) // the parent maps frame 3
	_, _ = r.Inc(3) // fork: the child shares it copy-on-write
	n, _ := r.Dec(3)
	fmt.Println("after the child's copy:", n)
	n, _ = r.Dec(3)
	fmt.Println("after the parent unmaps:", n, "(free the frame)")
	_, err := r.Dec(3)
	fmt.Println(err)
	// Output:
	// after the child's copy: 1
	// after the parent unmaps: 0 (free the frame)
	// phys: dec pfn 0x3: reference count is already 0: invalid frame
}

// Package phys is physical memory as the rest of vmkata sees it: real bytes
// grouped into frames, and the allocators that decide which frame is free.
//
// It embodies four textbook ideas:
//
//   - Memory: main memory (RAM) as an array of bytes addressed by vm.PAddr,
//     cut into equal frames. Page tables live in it (reference/pagetable
//     stores real 8-byte entries in frames), and so do the pages programs use.
//   - FreeList: the simplest frame allocator, a stack of free frame numbers
//     (one frame at a time; any free frame will do).
//   - Buddy: the binary buddy allocator (Knowlton 1965, Knuth TAOCP 2.5,
//     Linux's page allocator) for naturally aligned runs of 2^order frames,
//     such as the 512 frames behind a 2 MiB huge page.
//   - RefCounts: a reference count per frame, so that several mappings can
//     share one frame (copy-on-write after fork, the shared zero page) and the
//     frame is freed when the last one goes away.
//
// The usage idiom: build memory and an allocator of the same number of frames,
// allocate a frame, clear it, and address it through its physical address:
//
//	mem, err := phys.NewMemory(1024, vm.Size4K) // 4 MiB of RAM
//	if err != nil { … }
//	frames, _ := phys.NewFreeList(mem.Frames())
//	_ = frames.Reserve(0)           // keep frame 0 out of use, as kernels do
//	pfn, err := frames.Alloc()      // vm.ErrOutOfMemory when none is left
//	_ = mem.ZeroFrame(pfn)          // frames come back dirty: clear before use
//	pa, _ := mem.FrameAddr(pfn)
//	_ = mem.WriteUint64(pa+8, 0x2a) // little-endian, bounds-checked
//	_ = frames.Free(pfn)            // vm.ErrInvalidFrame on a double free
//
// Ownership: the caller that allocated a frame owns it (and its bytes) until
// it frees it. Memory itself does not know which frames are allocated; the
// allocators do not touch the bytes.
//
// Nothing here panics on bad input: every address, frame number and order is
// checked, and errors wrap the vm sentinels (vm.ErrOutOfRange,
// vm.ErrInvalidFrame, vm.ErrOutOfMemory, vm.ErrInvalidConfig). None of the
// types is safe for concurrent use; callers serialize access.
package phys

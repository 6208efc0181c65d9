package phys

import (
	"fmt"

	"github.com/vmkata/vmkata/vm"
)

// MaxOrder is the largest order a Buddy accepts: blocks of up to 2^MaxOrder
// frames. (Linux's default largest order is 10: 4 MiB of 4 KiB pages.)
const MaxOrder = 30

// Buddy is a binary buddy allocator (Knowlton 1965; Knuth, TAOCP vol. 1,
// 2.5; Linux's page allocator). It hands out blocks of 2^order contiguous
// frames, each naturally aligned: a block of order k starts at a frame
// number that is a multiple of 2^k. With 4 KiB frames an order-9 block is
// the 512 frames behind one 2 MiB huge page.
//
// Every block of order k < maxOrder has a buddy, the other half of the
// order-(k+1) block it was split from: the block starting at pfn ^ 2^k.
//
//   - AllocOrder(k) takes a free block of the smallest order j >= k that has
//     one, and among those the one with the lowest address (the tie-break).
//     While j > k it splits the block in halves, keeps the lower half and puts
//     the upper half on the free list of order j-1.
//   - FreeOrder(pfn, k) gives the block back and, while its buddy is free and
//     of the same order, merges the two into one block of the next order
//     (coalescing), so free memory never stays needlessly fragmented.
//
// The frame count need not be a power of two: the frames are covered, from
// frame 0 up, by the largest aligned blocks of at most 2^maxOrder frames that
// fit, so 1000 frames with maxOrder 10 start as blocks of 512, 256, 128, 64,
// 32 and 8 frames. A block never merges past the end of memory.
//
// Each order's free blocks are kept in a hierarchical bitmap, so every
// operation is O(maxOrder · log64 frames) and allocates nothing after
// NewBuddy. Bad frees (a frame that does not start an allocated block, the
// wrong order, a double free) wrap vm.ErrInvalidFrame and change nothing.
//
// Buddy implements vm.FrameAllocator with blocks of order 0. The zero value
// has no frames; use NewBuddy.
type Buddy struct {
	frames   int
	maxOrder int
	// free[k] holds b for every free block of order k starting at frame b<<k.
	// Invariant: free blocks do not overlap, and no two free buddies of the
	// same order k < maxOrder are both in free[k] (they would have merged).
	free  []bitmap
	count []int // count[k] = number of free blocks of order k
	// alloc[pfn] is k if an allocated block of order k starts at pfn, else -1.
	alloc      []int8
	freeFrames int
}

var _ vm.FrameAllocator = (*Buddy)(nil)

// NewBuddy returns a buddy allocator of frames 0 … frames-1, all free, whose
// largest block has 2^maxOrder frames. frames must be in 1..MaxFrames and
// maxOrder in 0..MaxOrder; otherwise the error wraps vm.ErrInvalidConfig.
func NewBuddy(frames int, maxOrder int) (*Buddy, error) {
	if frames <= 0 || frames > MaxFrames {
		return nil, fmt.Errorf("phys: buddy allocator of %d frames, want 1..%d: %w", frames, MaxFrames, vm.ErrInvalidConfig)
	}
	if maxOrder < 0 || maxOrder > MaxOrder {
		return nil, fmt.Errorf("phys: buddy max order %d, want 0..%d: %w", maxOrder, MaxOrder, vm.ErrInvalidConfig)
	}
	b := &Buddy{
		frames:   frames,
		maxOrder: maxOrder,
		free:     make([]bitmap, maxOrder+1),
		count:    make([]int, maxOrder+1),
		alloc:    make([]int8, frames),
	}
	for k := range b.free {
		b.free[k] = newBitmap(frames >> k)
	}
	for i := range b.alloc {
		b.alloc[i] = -1
	}
	for pfn := 0; pfn < frames; {
		k := maxOrder
		for k > 0 && (pfn&(1<<k-1) != 0 || pfn+1<<k > frames) {
			k--
		}
		b.push(pfn, k)
		pfn += 1 << k
	}
	return b, nil
}

// Frames returns the number of frames the allocator manages.
func (b *Buddy) Frames() int { return b.frames }

// MaxOrder returns the order of the largest block.
func (b *Buddy) MaxOrder() int { return b.maxOrder }

// FreeFrames returns the number of free frames, in blocks of any order.
func (b *Buddy) FreeFrames() int { return b.freeFrames }

// FreeBlocks returns the number of free blocks of exactly the given order
// (0 for an order out of range).
func (b *Buddy) FreeBlocks(order int) int {
	if order < 0 || order > b.maxOrder {
		return 0
	}
	return b.count[order]
}

// Alloc returns one free frame (a block of order 0); it implements
// vm.FrameAllocator.
func (b *Buddy) Alloc() (vm.PFN, error) { return b.AllocOrder(0) }

// Free returns a frame that Alloc (or AllocOrder(0)) handed out.
func (b *Buddy) Free(pfn vm.PFN) error { return b.FreeOrder(pfn, 0) }

// AllocOrder returns the first frame of a free, naturally aligned block of
// 2^order frames: the lowest-addressed block of the smallest order >= order
// that has a free block, split down as needed. It returns an error wrapping
// vm.ErrOutOfMemory if no such block exists (even if enough frames are free
// but scattered: that is external fragmentation), or vm.ErrOutOfRange for
// an order outside 0..MaxOrder().
func (b *Buddy) AllocOrder(order int) (vm.PFN, error) {
	if order < 0 || order > b.maxOrder {
		return 0, fmt.Errorf("phys: alloc order %d, want 0..%d: %w", order, b.maxOrder, vm.ErrOutOfRange)
	}
	k := order
	for k <= b.maxOrder && b.count[k] == 0 {
		k++
	}
	if k > b.maxOrder {
		return 0, fmt.Errorf("phys: alloc order %d: no free block of %d frames (%d frames free): %w",
			order, 1<<order, b.freeFrames, vm.ErrOutOfMemory)
	}
	pfn := b.free[k].first() << k
	b.remove(pfn, k)
	for k > order { // split: keep the lower half, free the upper half
		k--
		b.push(pfn+1<<k, k)
	}
	b.alloc[pfn] = int8(order)
	return vm.PFN(pfn), nil
}

// FreeOrder returns the block of 2^order frames starting at pfn, which
// AllocOrder(order) must have returned, and merges it with its buddy as long
// as the buddy is free and whole. A pfn past the end or an order outside
// 0..MaxOrder() wraps vm.ErrOutOfRange; a pfn that does not start an
// allocated block, or one allocated with another order, wraps
// vm.ErrInvalidFrame. A rejected call changes nothing.
func (b *Buddy) FreeOrder(pfn vm.PFN, order int) error {
	if uint64(pfn) >= uint64(b.frames) {
		return fmt.Errorf("phys: free %v order %d: allocator has %d frames: %w", pfn, order, b.frames, vm.ErrOutOfRange)
	}
	if order < 0 || order > b.maxOrder {
		return fmt.Errorf("phys: free %v order %d: want order 0..%d: %w", pfn, order, b.maxOrder, vm.ErrOutOfRange)
	}
	p := int(pfn)
	switch got := int(b.alloc[p]); {
	case got < 0:
		return fmt.Errorf("phys: free %v order %d: no allocated block starts there (double free or never allocated): %w",
			pfn, order, vm.ErrInvalidFrame)
	case got != order:
		return fmt.Errorf("phys: free %v order %d: block was allocated with order %d: %w",
			pfn, order, got, vm.ErrInvalidFrame)
	}
	b.alloc[p] = -1
	k := order
	for k < b.maxOrder {
		buddy := p ^ 1<<k
		if buddy+1<<k > b.frames || !b.free[k].has(buddy>>k) {
			break
		}
		b.remove(buddy, k)
		p = min(p, buddy)
		k++
	}
	b.push(p, k)
	return nil
}

// push puts the block of order k at pfn on its free list.
func (b *Buddy) push(pfn, k int) {
	b.free[k].set(pfn >> k)
	b.count[k]++
	b.freeFrames += 1 << k
}

// remove takes the block of order k at pfn off its free list.
func (b *Buddy) remove(pfn, k int) {
	b.free[k].clear(pfn >> k)
	b.count[k]--
	b.freeFrames -= 1 << k
}

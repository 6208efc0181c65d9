//go:build !solution

// Package phys is exercise 13: the binary buddy allocator, the frame
// allocator that hands out naturally aligned runs of 2^order contiguous
// frames (Knowlton 1965; Knuth, TAOCP vol. 1, 2.5; Linux's page allocator).
//
// Read README.md first. Run the specs with:
//
//	go test ./exercises/13-buddy-allocator/
//
// Your Buddy implements vm.FrameAllocator (blocks of one frame); the specs
// also run the reference kernel with it as the allocator of every user
// page. The comments below are its contract. Each rule starts with its id
// in brackets; the specs labelled with that id check it.
package phys

import "github.com/vmkata/vmkata/vm"

// MaxOrder is the largest order NewBuddy accepts: blocks of up to
// 2^MaxOrder frames.
const MaxOrder = 30

// MaxFrames is the largest number of frames NewBuddy accepts.
const MaxFrames = 1 << 30

// Buddy is a binary buddy allocator of the frames 0 … Frames()-1. A block
// of order k is 2^k contiguous frames; the largest blocks have order
// MaxOrder(). The buddy of the block of order k starting at pfn is the other
// half of the block of order k+1 it was split from: the block starting at
// pfn XOR 2^k.
//
// [rule:13.aligned] Every block AllocOrder(k) returns is naturally aligned
// (its first frame is a multiple of 2^k), lies inside memory and overlaps
// no block that is still allocated.
type Buddy struct {
	// TODO: your fields. One set of free block starts per order, plus the
	// order each allocated block was given (to check frees), is enough.
}

var _ vm.FrameAllocator = (*Buddy)(nil)

// NewBuddy returns a buddy allocator of frames 0 … frames-1, all free,
// whose largest block has 2^maxOrder frames.
//
// [rule:13.new-invalid] NewBuddy returns an error wrapping
// vm.ErrInvalidConfig when frames is outside 1..MaxFrames or maxOrder is
// outside 0..MaxOrder.
// [rule:13.new-cover] The frames start covered, from frame 0 up, by the
// largest naturally aligned blocks of at most 2^maxOrder frames that fit
// before the end: 1000 frames with maxOrder 10 start as free blocks of 512,
// 256, 128, 64, 32 and 8 frames.
func NewBuddy(frames int, maxOrder int) (*Buddy, error) {
	panic("phys.NewBuddy not implemented")
}

// Frames returns the number of frames the allocator manages.
//
// [rule:13.geometry] Frames and MaxOrder return the arguments NewBuddy was
// given.
func (b *Buddy) Frames() int {
	panic("Buddy.Frames not implemented")
}

// MaxOrder returns the order of the largest block.
func (b *Buddy) MaxOrder() int {
	panic("Buddy.MaxOrder not implemented")
}

// FreeFrames returns the number of free frames, in blocks of any order.
//
// [rule:13.counts] FreeFrames is the sum of 2^k over the free blocks of
// every order k, and FreeBlocks(k) the number of free blocks of exactly
// order k (0 for an order outside 0..MaxOrder()).
func (b *Buddy) FreeFrames() int {
	panic("Buddy.FreeFrames not implemented")
}

// FreeBlocks returns the number of free blocks of exactly the given order.
func (b *Buddy) FreeBlocks(order int) int {
	panic("Buddy.FreeBlocks not implemented")
}

// Alloc returns one free frame; it implements vm.FrameAllocator.
//
// [rule:13.single-frame] Alloc does what AllocOrder(0) does, and Free(pfn)
// what FreeOrder(pfn, 0) does.
func (b *Buddy) Alloc() (vm.PFN, error) {
	panic("Buddy.Alloc not implemented")
}

// Free returns a frame that Alloc (or AllocOrder(0)) handed out.
func (b *Buddy) Free(pfn vm.PFN) error {
	panic("Buddy.Free not implemented")
}

// AllocOrder returns the first frame of a free block of 2^order frames.
//
// [rule:13.alloc-smallest] AllocOrder(k) takes a free block of the
// smallest order j >= k that has one.
// [rule:13.alloc-lowest] Among the free blocks of that order it takes the
// one with the lowest address.
// [rule:13.alloc-split] While j > k it splits the block in halves, keeps
// the lower half and puts the upper half on the free list of order j-1, so
// one free block of each order k … j-1 appears.
// [rule:13.alloc-oom] When no free block of order k or more exists,
// AllocOrder returns an error wrapping vm.ErrOutOfMemory and changes
// nothing, even if enough frames are free but scattered (external
// fragmentation).
// [rule:13.alloc-order] An order outside 0..MaxOrder() is refused with an
// error wrapping vm.ErrOutOfRange, changing nothing.
func (b *Buddy) AllocOrder(order int) (vm.PFN, error) {
	panic("Buddy.AllocOrder not implemented")
}

// FreeOrder gives back the block of 2^order frames starting at pfn, which
// AllocOrder(order) returned.
//
// [rule:13.free-merge] While the block's buddy is free and whole (a free
// block of the same order), the two merge into one block of the next order;
// merging stops at MaxOrder().
// [rule:13.free-edge] A block whose buddy would run past the last frame
// never merges: it stays free at its own order.
// [rule:13.free-invalid] A pfn that does not start an allocated block (a
// double free, a frame never allocated, a frame inside a block), or a block
// allocated with another order, is refused with an error wrapping
// vm.ErrInvalidFrame, changing nothing.
// [rule:13.free-range] A pfn past the last frame, or an order outside
// 0..MaxOrder(), is refused with an error wrapping vm.ErrOutOfRange,
// changing nothing. (When a call breaks both rules, either error will do.)
func (b *Buddy) FreeOrder(pfn vm.PFN, order int) error {
	panic("Buddy.FreeOrder not implemented")
}

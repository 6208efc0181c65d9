package phys

import (
	"fmt"

	"github.com/vmkata/vmkata/vm"
)

// MaxFrames is the largest number of frames an allocator or reference-count
// table manages (2^30, 4 TiB of 4 KiB frames).
const MaxFrames = 1 << 30

// frameState is what a FreeList knows about one frame.
type frameState uint8

const (
	frameFree      frameState = iota // on the free stack
	frameAllocated                   // handed out by Alloc
	frameReserved                    // taken out by Reserve
)

// FreeList is the simplest frame allocator: a stack of free frame numbers.
// Alloc pops the top of the stack and Free pushes onto it, so both are O(1)
// and a frame just freed is the next one handed out (LIFO reuse: the frame is
// likely still in the CPU caches). A fresh FreeList hands out frames in
// increasing order: 0, 1, 2, …
//
// FreeList implements vm.FrameAllocator. It detects a double free and a free
// of a frame it never handed out (vm.ErrInvalidFrame) and a frame number past
// the end (vm.ErrOutOfRange); a rejected call changes nothing.
//
// The zero value has no frames; use NewFreeList.
type FreeList struct {
	free  []vm.PFN     // the stack; the top is free[len(free)-1]. Invariant: holds exactly the frames whose state is frameFree.
	state []frameState // per frame
	stats Stats
}

var _ vm.FrameAllocator = (*FreeList)(nil)

// Stats counts what an allocator has done.
type Stats struct {
	Allocs    uint64 // successful Alloc calls
	Frees     uint64 // successful Free calls
	Reserves  uint64 // successful Reserve calls
	Free      int    // frames free now
	InUse     int    // frames allocated or reserved now
	PeakInUse int    // the most frames ever in use at once
}

// String prints the counters on one line.
func (s Stats) String() string {
	return fmt.Sprintf("allocs=%d frees=%d reserves=%d free=%d in-use=%d peak=%d",
		s.Allocs, s.Frees, s.Reserves, s.Free, s.InUse, s.PeakInUse)
}

// NewFreeList returns an allocator of frames 0 … frames-1, all free. frames
// must be in 1..MaxFrames; otherwise the error wraps vm.ErrInvalidConfig.
func NewFreeList(frames int) (*FreeList, error) {
	if frames <= 0 || frames > MaxFrames {
		return nil, fmt.Errorf("phys: free list of %d frames, want 1..%d: %w", frames, MaxFrames, vm.ErrInvalidConfig)
	}
	l := &FreeList{
		free:  make([]vm.PFN, frames),
		state: make([]frameState, frames),
	}
	for i := range l.free { // highest frame at the bottom, frame 0 on top
		l.free[i] = vm.PFN(frames - 1 - i)
	}
	l.stats.Free = frames
	return l, nil
}

// Frames returns the number of frames the allocator manages.
func (l *FreeList) Frames() int { return len(l.state) }

// Alloc pops a free frame: the most recently freed one, or on a fresh list
// the lowest-numbered one never handed out. It returns an error wrapping
// vm.ErrOutOfMemory when no frame is free.
func (l *FreeList) Alloc() (vm.PFN, error) {
	n := len(l.free)
	if n == 0 {
		return 0, fmt.Errorf("phys: all %d frames in use: %w", len(l.state), vm.ErrOutOfMemory)
	}
	pfn := l.free[n-1]
	l.free = l.free[:n-1]
	l.state[pfn] = frameAllocated
	l.stats.Allocs++
	l.inUse(+1)
	return pfn, nil
}

// Free pushes frame pfn back, so the next Alloc returns it. pfn must have
// come from Alloc or Reserve and not been freed since: otherwise the error
// wraps vm.ErrInvalidFrame (or vm.ErrOutOfRange past the last frame) and
// nothing changes.
func (l *FreeList) Free(pfn vm.PFN) error {
	if err := l.check("free", pfn); err != nil {
		return err
	}
	if l.state[pfn] == frameFree {
		return fmt.Errorf("phys: free %v: frame is already free (double free or never allocated): %w", pfn, vm.ErrInvalidFrame)
	}
	l.state[pfn] = frameFree
	l.free = append(l.free, pfn) // never grows: cap(free) == number of frames
	l.stats.Frees++
	l.inUse(-1)
	return nil
}

// Reserve takes the free frame pfn out of use, as a kernel keeps frame 0 or
// the frames of its own image away from the allocator. A reserved frame is
// in use like an allocated one; Free returns it. Reserve of a frame already
// in use wraps vm.ErrInvalidFrame. Reserve keeps the order of the other free
// frames and costs O(free frames): it is meant for setup, not hot paths.
func (l *FreeList) Reserve(pfn vm.PFN) error {
	if err := l.check("reserve", pfn); err != nil {
		return err
	}
	if l.state[pfn] != frameFree {
		return fmt.Errorf("phys: reserve %v: frame is already in use: %w", pfn, vm.ErrInvalidFrame)
	}
	for i := len(l.free) - 1; i >= 0; i-- {
		if l.free[i] == pfn {
			l.free = append(l.free[:i], l.free[i+1:]...)
			break
		}
	}
	l.state[pfn] = frameReserved
	l.stats.Reserves++
	l.inUse(+1)
	return nil
}

// InUse reports whether frame pfn is allocated or reserved (false for a
// frame number out of range).
func (l *FreeList) InUse(pfn vm.PFN) bool {
	return uint64(pfn) < uint64(len(l.state)) && l.state[pfn] != frameFree
}

// FreeFrames returns the number of frames Alloc could still return.
func (l *FreeList) FreeFrames() int { return len(l.free) }

// Stats returns the allocator's counters.
func (l *FreeList) Stats() Stats { return l.stats }

func (l *FreeList) inUse(delta int) {
	l.stats.InUse += delta
	l.stats.Free -= delta
	l.stats.PeakInUse = max(l.stats.PeakInUse, l.stats.InUse)
}

func (l *FreeList) check(op string, pfn vm.PFN) error {
	if uint64(pfn) >= uint64(len(l.state)) {
		return fmt.Errorf("phys: %s %v: allocator has %d frames: %w", op, pfn, len(l.state), vm.ErrOutOfRange)
	}
	return nil
}

package phys

import (
	"fmt"
	"math"

	"github.com/vmkata/vmkata/vm"
)

// RefCounts holds one reference count per frame: how many mappings (or
// other owners) share the frame. Copy-on-write fork increments the count of
// every frame the child now shares; a write fault on a shared frame copies
// it and decrements; when Dec returns 0 the last owner is gone and the frame
// can go back to the allocator (Linux's page _refcount / _mapcount).
//
// All counts start at 0. The zero value has no frames; use NewRefCounts.
type RefCounts struct {
	counts []int32 // Invariant: every count >= 0.
}

// NewRefCounts returns counts for frames 0 … frames-1, all zero. frames must
// be in 1..MaxFrames; otherwise the error wraps vm.ErrInvalidConfig.
func NewRefCounts(frames int) (*RefCounts, error) {
	if frames <= 0 || frames > MaxFrames {
		return nil, fmt.Errorf("phys: reference counts for %d frames, want 1..%d: %w", frames, MaxFrames, vm.ErrInvalidConfig)
	}
	return &RefCounts{counts: make([]int32, frames)}, nil
}

// Frames returns the number of frames counted.
func (r *RefCounts) Frames() int { return len(r.counts) }

// Get returns the count of frame pfn.
func (r *RefCounts) Get(pfn vm.PFN) (int, error) {
	if err := r.check("get", pfn); err != nil {
		return 0, err
	}
	return int(r.counts[pfn]), nil
}

// Inc adds one reference to frame pfn and returns the new count. It fails
// with vm.ErrInvalidConfig if the count would exceed math.MaxInt32.
func (r *RefCounts) Inc(pfn vm.PFN) (int, error) {
	if err := r.check("inc", pfn); err != nil {
		return 0, err
	}
	if r.counts[pfn] == math.MaxInt32 {
		return 0, fmt.Errorf("phys: inc %v: reference count would overflow %d: %w", pfn, math.MaxInt32, vm.ErrInvalidConfig)
	}
	r.counts[pfn]++
	return int(r.counts[pfn]), nil
}

// Dec drops one reference to frame pfn and returns the new count; 0 means
// the frame has no owner left and may be freed. Dec of a count that is
// already 0 is an underflow: it returns an error wrapping vm.ErrInvalidFrame
// and leaves the count at 0.
func (r *RefCounts) Dec(pfn vm.PFN) (int, error) {
	if err := r.check("dec", pfn); err != nil {
		return 0, err
	}
	if r.counts[pfn] == 0 {
		return 0, fmt.Errorf("phys: dec %v: reference count is already 0: %w", pfn, vm.ErrInvalidFrame)
	}
	r.counts[pfn]--
	return int(r.counts[pfn]), nil
}

func (r *RefCounts) check(op string, pfn vm.PFN) error {
	if uint64(pfn) >= uint64(len(r.counts)) {
		return fmt.Errorf("phys: refcount %s %v: %d frames counted: %w", op, pfn, len(r.counts), vm.ErrOutOfRange)
	}
	return nil
}

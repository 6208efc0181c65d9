package replace

import (
	"fmt"

	"github.com/vmkata/vmkata/vm"
)

func init() {
	register("ws", func(frames int, opts Options) (vm.Policy, error) { return NewWorkingSet(frames, opts.Window) })
}

// WorkingSet is Denning's working-set policy with window τ: a page stays
// resident while it is in the working set W(t, τ), the pages referenced in
// the last τ accesses, and is released when it falls out, fault or no fault.
// The resident set grows and shrinks with the program's locality.
//
// Time t counts Access calls: the first Access is at t = 1.
//
//   - Hit (the page is in W(t-1, τ)): its last use becomes t.
//   - Fault, memory full (the working set wants more than Frames pages):
//     evict the page with the oldest last use (LRU), then load.
//   - Fault, free frame: load into the lowest free frame, last use t.
//   - After every Access: release each page whose last use is t-τ or
//     earlier; Released reports them. So after Access at time t the
//     resident set is exactly W(t, τ) when memory suffices.
//   - Resident order: oldest last use first.
//
// With Frames >= τ the frame limit never binds and this is the pure working
// set model, whose fault rate depends on τ alone; with τ large it is LRU.
// Every operation is O(1) amortized: an LRU list whose front is the next
// page to leave the window.
type WorkingSet struct {
	t        frameTable
	recency  list     // frames, oldest last use first
	lastUse  []uint64 // per frame
	window   uint64
	now      uint64
	released []vm.PageID // pages released by the latest Access
}

// NewWorkingSet returns an empty working-set policy managing frames frames
// with window tau accesses (0 means 2 × frames).
// It returns an error wrapping
// vm.ErrInvalidConfig if frames < 1 or tau < 0.
func NewWorkingSet(frames, tau int) (*WorkingSet, error) {
	if err := checkFrames("ws", frames); err != nil {
		return nil, err
	}
	if tau < 0 {
		return nil, fmt.Errorf("replace: ws: tau %d is negative: %w", tau, vm.ErrInvalidConfig)
	}
	if tau <= 0 {
		tau = 2 * frames
	}
	return &WorkingSet{
		t: newFrameTable(frames), recency: newList(frames),
		lastUse: make([]uint64, frames), window: uint64(tau),
		released: make([]vm.PageID, 0, frames),
	}, nil
}

// Name returns "ws".
func (w *WorkingSet) Name() string { return "ws" }

// Frames returns the capacity.
func (w *WorkingSet) Frames() int { return w.t.frames() }

// Len returns the number of resident pages: the working-set size.
func (w *WorkingSet) Len() int { return w.t.used }

// Window returns τ.
func (w *WorkingSet) Window() int { return int(w.window) }

// Contains reports whether p is resident.
func (w *WorkingSet) Contains(p vm.PageID) bool { _, ok := w.t.lookup(p); return ok }

// Access records a reference to p; see the type's comment.
func (w *WorkingSet) Access(p vm.PageID, _ bool) (hit bool, victim vm.PageID, evicted bool) {
	w.now++
	w.released = w.released[:0]
	if f, ok := w.t.lookup(p); ok {
		w.lastUse[f] = w.now
		w.recency.moveToBack(f)
		hit = true
	} else {
		var f int32
		if w.t.full() {
			f, _ = w.recency.front()
			victim, evicted = w.t.replace(f, p), true
			w.recency.moveToBack(f)
		} else {
			f = w.t.load(p)
			w.recency.pushBack(f)
		}
		w.lastUse[f] = w.now
	}
	for w.now >= w.window {
		f, ok := w.recency.front()
		if !ok || w.lastUse[f] > w.now-w.window {
			break
		}
		w.recency.remove(f)
		w.released = append(w.released, w.t.free(f))
	}
	return hit, victim, evicted
}

// Released appends the pages the latest Access released from the working
// set (see vm.Releaser).
func (w *WorkingSet) Released(dst []vm.PageID) []vm.PageID { return append(dst, w.released...) }

// Remove forgets p.
func (w *WorkingSet) Remove(p vm.PageID) bool {
	f, ok := w.t.lookup(p)
	if ok {
		w.recency.remove(f)
		w.t.free(f)
	}
	return ok
}

// Resident appends the resident pages, oldest last use first.
func (w *WorkingSet) Resident(dst []vm.PageID) []vm.PageID { return w.recency.appendPages(dst, &w.t) }

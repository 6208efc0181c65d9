package replace

import (
	"fmt"

	"github.com/vmkata/vmkata/vm"
)

func init() {
	register("aging", func(frames int, opts Options) (vm.Policy, error) { return NewAging(frames, opts.AgingTick) })
}

// Aging is NFU (not frequently used) with aging, Tanenbaum's software
// approximation of LRU: each page has an 8-bit counter, a shift register of
// its reference bits at the last eight clock ticks, most recent in the top
// bit. A page used in recent ticks has a larger counter than one used only
// long ago.
//
//   - Tick: after every tick-th Access (the tick period in accesses), each
//     resident page's counter becomes counter>>1 | R<<7, and R is cleared.
//   - Hit: R is set. Counters change only at ticks.
//   - Fault, memory full: evict the page with the smallest counter; among
//     equal counters, one with R=0 (not used since the last tick) before one
//     with R=1; among those still tied, the lowest frame. The new page takes
//     that frame with counter 0 and R=1.
//   - Fault, free frame: the new page goes into the lowest free frame with
//     counter 0 and R=1.
//   - Resident order: frame order.
//
// The tick comes after the access is handled: with period 4, the 4th, 8th,
// … Access ends with a tick. With eight bits, pages not used for eight
// ticks all read 0 and are told apart by frame number only. A fault costs
// O(n) (a scan for the smallest counter) and so does a tick, O(n) every
// tick accesses; the default period, n, makes ticks O(1) amortized.
type Aging struct {
	t       frameTable
	bits    refBits
	counter []uint8 // per frame
	tick    int     // accesses between ticks
	since   int     // accesses since the last tick
}

// NewAging returns an empty aging policy managing frames frames that ticks
// every tick accesses (0 means every frames accesses).
// It returns an error wrapping
// vm.ErrInvalidConfig if frames < 1 or tick < 0.
func NewAging(frames, tick int) (*Aging, error) {
	if err := checkFrames("aging", frames); err != nil {
		return nil, err
	}
	if tick < 0 {
		return nil, fmt.Errorf("replace: aging: tick %d is negative: %w", tick, vm.ErrInvalidConfig)
	}
	if tick <= 0 {
		tick = frames
	}
	return &Aging{t: newFrameTable(frames), bits: newRefBits(frames), counter: make([]uint8, frames), tick: tick}, nil
}

// Name returns "aging".
func (a *Aging) Name() string { return "aging" }

// Frames returns the capacity.
func (a *Aging) Frames() int { return a.t.frames() }

// Len returns the number of resident pages.
func (a *Aging) Len() int { return a.t.used }

// Contains reports whether p is resident, without touching its R bit.
func (a *Aging) Contains(p vm.PageID) bool { _, ok := a.t.lookup(p); return ok }

// SetRefBits makes the policy read and clear the kernel's bits through b
// (nil: keep its own). See vm.RefBitsUser.
func (a *Aging) SetRefBits(b vm.RefBits) { a.bits.use(b) }

// Counter returns p's aging counter, or false if p is not resident.
func (a *Aging) Counter(p vm.PageID) (uint8, bool) {
	f, ok := a.t.lookup(p)
	if !ok {
		return 0, false
	}
	return a.counter[f], true
}

// Access records a reference to p; see the type's comment.
func (a *Aging) Access(p vm.PageID, write bool) (hit bool, victim vm.PageID, evicted bool) {
	if f, ok := a.t.lookup(p); ok {
		a.bits.touch(f, write)
		hit = true
	} else if !a.t.full() {
		f := a.t.load(p)
		a.counter[f] = 0
		a.bits.loaded(f, write)
	} else {
		f := a.choose()
		victim, evicted = a.t.replace(f, p), true
		a.counter[f] = 0
		a.bits.loaded(f, write)
	}
	if a.since++; a.since == a.tick {
		a.since = 0
		a.ageAll()
	}
	return hit, victim, evicted
}

// choose returns the frame of the smallest (counter, R), lowest frame first.
// Preconditions: memory is full.
func (a *Aging) choose() int32 {
	best, bestKey := int32(0), 1<<9
	for f := range a.counter {
		key := int(a.counter[f]) << 1
		if a.bits.referenced(int32(f), a.t.page[f]) {
			key |= 1
		}
		if key < bestKey {
			best, bestKey = int32(f), key
		}
	}
	return best
}

// ageAll is one clock tick.
func (a *Aging) ageAll() {
	for f, used := range a.t.inUse {
		if !used {
			continue
		}
		c := a.counter[f] >> 1
		if p := a.t.page[f]; a.bits.referenced(int32(f), p) {
			c |= 0x80
			a.bits.clearReferenced(int32(f), p)
		}
		a.counter[f] = c
	}
}

// Remove forgets p.
func (a *Aging) Remove(p vm.PageID) bool {
	f, ok := a.t.lookup(p)
	if ok {
		a.t.free(f)
	}
	return ok
}

// Resident appends the resident pages in frame order.
func (a *Aging) Resident(dst []vm.PageID) []vm.PageID {
	for f, used := range a.t.inUse {
		if used {
			dst = append(dst, a.t.page[f])
		}
	}
	return dst
}

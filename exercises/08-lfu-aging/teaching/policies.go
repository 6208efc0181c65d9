// Package teaching is a learner-sized solution of exercise 08: LFU, MFU and
// aging with the same API and behaviour as the reference
// (reference/replace), written for reading rather than speed. The reference
// keeps LFU and MFU in constant-time frequency buckets over a shared frame
// table with an open-addressing page index; here each policy is a slice
// scanned linearly, O(frames) per access (and a sort for Resident).
//
// The contract is the exercise's (exercises/08-lfu-aging/policies.go):
// every rule there holds here, and the exercise's specs check it
// (teaching_test.go).
package teaching

import (
	"fmt"
	"slices"

	"github.com/vmkata/vmkata/vm"
)

// check refuses a policy without frames or with a negative period.
func check(name string, frames int, periodName string, period int) error {
	if frames < 1 {
		return fmt.Errorf("replace: %s with %d frames: need at least 1: %w", name, frames, vm.ErrInvalidConfig)
	}
	if period < 0 {
		return fmt.Errorf("replace: %s: %s %d is negative: %w", name, periodName, period, vm.ErrInvalidConfig)
	}
	return nil
}

// counted is one resident page of LFU or MFU.
type counted struct {
	page    vm.PageID
	count   uint64
	lastUse uint64 // the value of now at its last reference (hit or load)
}

// frequency is what LFU and MFU share: they differ only in before.
type frequency struct {
	frames     int
	decayEvery int // 0: never
	pages      []counted
	now        uint64 // Access calls so far
	since      int    // Access calls since the last decay
	// before reports whether a goes before b in eviction order.
	before func(a, b counted) bool
}

func (q *frequency) find(p vm.PageID) int {
	return slices.IndexFunc(q.pages, func(c counted) bool { return c.page == p })
}

// access handles a reference to p, then decays if the period is over.
func (q *frequency) access(p vm.PageID) (hit bool, victim vm.PageID, evicted bool) {
	q.now++
	if i := q.find(p); i >= 0 {
		q.pages[i].count++
		q.pages[i].lastUse = q.now
		hit = true
	} else {
		if len(q.pages) == q.frames {
			v := 0
			for i := range q.pages {
				if q.before(q.pages[i], q.pages[v]) {
					v = i
				}
			}
			victim, evicted = q.pages[v].page, true
			q.pages = slices.Delete(q.pages, v, v+1)
		}
		q.pages = append(q.pages, counted{page: p, count: 1, lastUse: q.now})
	}
	if q.decayEvery > 0 {
		q.since++
		if q.since == q.decayEvery {
			q.since = 0
			for i := range q.pages {
				q.pages[i].count /= 2 // lastUse stays: equal counts keep their recency order
			}
		}
	}
	return hit, victim, evicted
}

func (q *frequency) remove(p vm.PageID) bool {
	i := q.find(p)
	if i < 0 {
		return false
	}
	q.pages = slices.Delete(q.pages, i, i+1)
	return true
}

// resident appends the resident pages in eviction order.
func (q *frequency) resident(dst []vm.PageID) []vm.PageID {
	sorted := slices.Clone(q.pages)
	slices.SortFunc(sorted, func(a, b counted) int {
		switch {
		case q.before(a, b):
			return -1
		case q.before(b, a):
			return 1
		}
		return 0
	})
	for _, c := range sorted {
		dst = append(dst, c.page)
	}
	return dst
}

// LFU evicts the page with the smallest count, the least recently used
// among equal counts.
type LFU struct{ q frequency }

// NewLFU returns an empty LFU policy managing frames frames that halves
// every count after each decayEvery accesses (0: never).
func NewLFU(frames, decayEvery int) (*LFU, error) {
	if err := check("lfu", frames, "decayEvery", decayEvery); err != nil {
		return nil, err
	}
	return &LFU{frequency{frames: frames, decayEvery: decayEvery, before: func(a, b counted) bool {
		return a.count < b.count || a.count == b.count && a.lastUse < b.lastUse
	}}}, nil
}

// Name returns "lfu".
func (l *LFU) Name() string { return "lfu" }

// Frames returns the number of frames the policy manages.
func (l *LFU) Frames() int { return l.q.frames }

// Len returns the number of resident pages.
func (l *LFU) Len() int { return len(l.q.pages) }

// Contains reports whether p is resident.
func (l *LFU) Contains(p vm.PageID) bool { return l.q.find(p) >= 0 }

// Access records a reference to p.
func (l *LFU) Access(p vm.PageID, _ bool) (hit bool, victim vm.PageID, evicted bool) {
	return l.q.access(p)
}

// Remove forgets p and reports whether it was resident.
func (l *LFU) Remove(p vm.PageID) bool { return l.q.remove(p) }

// Resident appends the resident pages to dst, smallest count first.
func (l *LFU) Resident(dst []vm.PageID) []vm.PageID { return l.q.resident(dst) }

// MFU evicts the page with the largest count, the least recently used among
// equal counts.
type MFU struct{ q frequency }

// NewMFU returns an empty MFU policy managing frames frames that halves
// every count after each decayEvery accesses (0: never).
func NewMFU(frames, decayEvery int) (*MFU, error) {
	if err := check("mfu", frames, "decayEvery", decayEvery); err != nil {
		return nil, err
	}
	return &MFU{frequency{frames: frames, decayEvery: decayEvery, before: func(a, b counted) bool {
		return a.count > b.count || a.count == b.count && a.lastUse < b.lastUse
	}}}, nil
}

// Name returns "mfu".
func (m *MFU) Name() string { return "mfu" }

// Frames returns the number of frames the policy manages.
func (m *MFU) Frames() int { return m.q.frames }

// Len returns the number of resident pages.
func (m *MFU) Len() int { return len(m.q.pages) }

// Contains reports whether p is resident.
func (m *MFU) Contains(p vm.PageID) bool { return m.q.find(p) >= 0 }

// Access records a reference to p.
func (m *MFU) Access(p vm.PageID, _ bool) (hit bool, victim vm.PageID, evicted bool) {
	return m.q.access(p)
}

// Remove forgets p and reports whether it was resident.
func (m *MFU) Remove(p vm.PageID) bool { return m.q.remove(p) }

// Resident appends the resident pages to dst, largest count first.
func (m *MFU) Resident(dst []vm.PageID) []vm.PageID { return m.q.resident(dst) }

// aged is one frame of Aging.
type aged struct {
	page    vm.PageID
	used    bool
	counter uint8 // the R bits of the last eight ticks, most recent on top
	r       bool
}

// Aging evicts the page with the smallest 8-bit counter.
type Aging struct {
	frames []aged
	tick   int // accesses per tick
	since  int // accesses since the last tick
	n      int // used frames
}

// NewAging returns an empty aging policy managing frames frames that ticks
// every tick accesses (0 means every frames accesses).
func NewAging(frames, tick int) (*Aging, error) {
	if err := check("aging", frames, "tick", tick); err != nil {
		return nil, err
	}
	if tick == 0 {
		tick = frames
	}
	return &Aging{frames: make([]aged, frames), tick: tick}, nil
}

func (a *Aging) find(p vm.PageID) int {
	return slices.IndexFunc(a.frames, func(f aged) bool { return f.used && f.page == p })
}

// Name returns "aging".
func (a *Aging) Name() string { return "aging" }

// Frames returns the number of frames the policy manages.
func (a *Aging) Frames() int { return len(a.frames) }

// Len returns the number of resident pages.
func (a *Aging) Len() int { return a.n }

// Contains reports whether p is resident.
func (a *Aging) Contains(p vm.PageID) bool { return a.find(p) >= 0 }

// key orders victims: the smallest counter, then R=0 before R=1.
func key(f aged) int {
	k := int(f.counter) * 2
	if f.r {
		k++
	}
	return k
}

// Access records a reference to p, then ticks if the period is over.
func (a *Aging) Access(p vm.PageID, _ bool) (hit bool, victim vm.PageID, evicted bool) {
	if f := a.find(p); f >= 0 {
		a.frames[f].r = true
		hit = true
	} else {
		f := slices.IndexFunc(a.frames, func(f aged) bool { return !f.used })
		if f >= 0 {
			a.n++
		} else {
			f = 0
			for g := range a.frames {
				if key(a.frames[g]) < key(a.frames[f]) { // strict: the lowest frame among equals
					f = g
				}
			}
			victim, evicted = a.frames[f].page, true
		}
		a.frames[f] = aged{page: p, used: true, r: true}
	}
	a.since++
	if a.since == a.tick {
		a.since = 0
		for i := range a.frames {
			if f := &a.frames[i]; f.used {
				f.counter >>= 1
				if f.r {
					f.counter |= 0x80
				}
				f.r = false
			}
		}
	}
	return hit, victim, evicted
}

// Remove forgets p and reports whether it was resident.
func (a *Aging) Remove(p vm.PageID) bool {
	f := a.find(p)
	if f < 0 {
		return false
	}
	a.frames[f] = aged{}
	a.n--
	return true
}

// Resident appends the resident pages to dst in frame order.
func (a *Aging) Resident(dst []vm.PageID) []vm.PageID {
	for _, f := range a.frames {
		if f.used {
			dst = append(dst, f.page)
		}
	}
	return dst
}

// Package teaching is a learner-sized solution of exercise 07: clock,
// second chance and the enhanced clock with the same API and behaviour as
// the reference (reference/replace), written for reading rather than speed.
// The reference shares a dense frame table and an open-addressing page
// index among eighteen policies; here each policy is a slice of frames (or
// a queue) scanned linearly, which is O(frames) per access.
//
// The contract is the exercise's (exercises/07-clock/policies.go): every
// rule there holds here, and the exercise's specs check it
// (teaching_test.go).
package teaching

import (
	"fmt"
	"slices"

	"github.com/vmkata/vmkata/vm"
)

// checkFrames refuses a policy without frames.
func checkFrames(name string, frames int) error {
	if frames < 1 {
		return fmt.Errorf("replace: %s with %d frames: need at least 1: %w", name, frames, vm.ErrInvalidConfig)
	}
	return nil
}

// frame is one frame of a clock: the page it holds and its R and D bits.
type frame struct {
	page vm.PageID
	used bool
	r, d bool
}

// circle is the frames of a clock and its hand, which Clock and
// EnhancedClock share.
type circle struct {
	frames []frame
	hand   int // the next frame to examine; starts at 0
	n      int // used frames
}

// find returns the frame holding p, or -1.
func (c *circle) find(p vm.PageID) int {
	return slices.IndexFunc(c.frames, func(f frame) bool { return f.used && f.page == p })
}

// hit sets R (and D on a write) of p's frame if p is resident.
func (c *circle) hit(p vm.PageID, write bool) bool {
	f := c.find(p)
	if f < 0 {
		return false
	}
	c.frames[f].r = true
	c.frames[f].d = c.frames[f].d || write
	return true
}

// loadFree puts p into the lowest free frame, R=1 and D=write, if there is
// one; the hand does not move.
func (c *circle) loadFree(p vm.PageID, write bool) bool {
	f := slices.IndexFunc(c.frames, func(f frame) bool { return !f.used })
	if f < 0 {
		return false
	}
	c.frames[f] = frame{page: p, used: true, r: true, d: write}
	c.n++
	return true
}

// replace puts p into frame f, whose page is the victim, and moves the hand
// just past f.
func (c *circle) replace(f int, p vm.PageID, write bool) vm.PageID {
	victim := c.frames[f].page
	c.frames[f] = frame{page: p, used: true, r: true, d: write}
	c.hand = (f + 1) % len(c.frames)
	return victim
}

// remove frees p's frame; the hand does not move.
func (c *circle) remove(p vm.PageID) bool {
	f := c.find(p)
	if f < 0 {
		return false
	}
	c.frames[f] = frame{}
	c.n--
	return true
}

// resident appends the resident pages in frame order starting at the hand.
func (c *circle) resident(dst []vm.PageID) []vm.PageID {
	for i := range c.frames {
		if f := c.frames[(c.hand+i)%len(c.frames)]; f.used {
			dst = append(dst, f.page)
		}
	}
	return dst
}

// Clock is the clock algorithm: a hand sweeps the frames, clearing R=1 and
// evicting the first page with R=0.
type Clock struct{ c circle }

// NewClock returns an empty clock managing frames frames.
func NewClock(frames int) (*Clock, error) {
	if err := checkFrames("clock", frames); err != nil {
		return nil, err
	}
	return &Clock{circle{frames: make([]frame, frames)}}, nil
}

// Name returns "clock".
func (k *Clock) Name() string { return "clock" }

// Frames returns the number of frames the policy manages.
func (k *Clock) Frames() int { return len(k.c.frames) }

// Len returns the number of resident pages.
func (k *Clock) Len() int { return k.c.n }

// Contains reports whether p is resident.
func (k *Clock) Contains(p vm.PageID) bool { return k.c.find(p) >= 0 }

// Access records a reference to p.
func (k *Clock) Access(p vm.PageID, _ bool) (hit bool, victim vm.PageID, evicted bool) {
	if k.c.hit(p, false) {
		return true, 0, false
	}
	if k.c.loadFree(p, false) {
		return false, 0, false
	}
	// Memory is full, so every frame is used. The loop ends within one
	// revolution and one step: it clears every R it passes.
	f := k.c.hand
	for k.c.frames[f].r {
		k.c.frames[f].r = false // the second chance
		f = (f + 1) % len(k.c.frames)
	}
	return false, k.c.replace(f, p, false), true
}

// Remove forgets p and reports whether it was resident.
func (k *Clock) Remove(p vm.PageID) bool { return k.c.remove(p) }

// Resident appends the resident pages to dst in frame order from the hand.
func (k *Clock) Resident(dst []vm.PageID) []vm.PageID { return k.c.resident(dst) }

// queued is one page of the second-chance queue.
type queued struct {
	page vm.PageID
	r    bool
}

// SecondChance is FIFO with a reference bit, kept as a queue in load order.
type SecondChance struct {
	frames int
	queue  []queued // the next page examined first
}

// NewSecondChance returns an empty second-chance policy managing frames
// frames.
func NewSecondChance(frames int) (*SecondChance, error) {
	if err := checkFrames("second-chance", frames); err != nil {
		return nil, err
	}
	return &SecondChance{frames: frames}, nil
}

func (s *SecondChance) find(p vm.PageID) int {
	return slices.IndexFunc(s.queue, func(q queued) bool { return q.page == p })
}

// Name returns "second-chance".
func (s *SecondChance) Name() string { return "second-chance" }

// Frames returns the number of frames the policy manages.
func (s *SecondChance) Frames() int { return s.frames }

// Len returns the number of resident pages.
func (s *SecondChance) Len() int { return len(s.queue) }

// Contains reports whether p is resident.
func (s *SecondChance) Contains(p vm.PageID) bool { return s.find(p) >= 0 }

// Access records a reference to p.
func (s *SecondChance) Access(p vm.PageID, _ bool) (hit bool, victim vm.PageID, evicted bool) {
	if i := s.find(p); i >= 0 {
		s.queue[i].r = true
		return true, 0, false
	}
	if len(s.queue) == s.frames {
		for s.queue[0].r {
			head := s.queue[0]
			head.r = false // the second chance: back of the queue, as if just loaded
			s.queue = append(s.queue[1:], head)
		}
		victim, evicted = s.queue[0].page, true
		s.queue = s.queue[1:]
	}
	s.queue = append(s.queue, queued{page: p, r: true})
	return false, victim, evicted
}

// Remove forgets p and reports whether it was resident.
func (s *SecondChance) Remove(p vm.PageID) bool {
	i := s.find(p)
	if i < 0 {
		return false
	}
	s.queue = slices.Delete(s.queue, i, i+1)
	return true
}

// Resident appends the resident pages to dst in queue order.
func (s *SecondChance) Resident(dst []vm.PageID) []vm.PageID {
	for _, q := range s.queue {
		dst = append(dst, q.page)
	}
	return dst
}

// EnhancedClock is the enhanced second-chance algorithm: a clock that
// prefers clean pages, by the classes (R, D).
type EnhancedClock struct{ c circle }

// NewEnhancedClock returns an empty enhanced clock managing frames frames.
func NewEnhancedClock(frames int) (*EnhancedClock, error) {
	if err := checkFrames("enhanced-clock", frames); err != nil {
		return nil, err
	}
	return &EnhancedClock{circle{frames: make([]frame, frames)}}, nil
}

// Name returns "enhanced-clock".
func (e *EnhancedClock) Name() string { return "enhanced-clock" }

// Frames returns the number of frames the policy manages.
func (e *EnhancedClock) Frames() int { return len(e.c.frames) }

// Len returns the number of resident pages.
func (e *EnhancedClock) Len() int { return e.c.n }

// Contains reports whether p is resident.
func (e *EnhancedClock) Contains(p vm.PageID) bool { return e.c.find(p) >= 0 }

// choose runs up to four revolutions from the hand and returns the victim's
// frame: revolutions 1 and 3 look for (0,0), changing nothing; revolutions
// 2 and 4 look for (0,1), clearing R of every page they pass over.
func (e *EnhancedClock) choose() int {
	n := len(e.c.frames)
	for round := range 4 {
		wantDirty := round%2 == 1
		for i := range n {
			f := (e.c.hand + i) % n
			fr := &e.c.frames[f]
			if !fr.r && fr.d == wantDirty {
				return f
			}
			if wantDirty {
				fr.r = false
			}
		}
	}
	panic("replace: enhanced-clock: four revolutions found no victim") // after round 2 every R is 0
}

// Access records a reference to p (a write if write is set).
func (e *EnhancedClock) Access(p vm.PageID, write bool) (hit bool, victim vm.PageID, evicted bool) {
	if e.c.hit(p, write) {
		return true, 0, false
	}
	if e.c.loadFree(p, write) {
		return false, 0, false
	}
	return false, e.c.replace(e.choose(), p, write), true
}

// Remove forgets p and reports whether it was resident.
func (e *EnhancedClock) Remove(p vm.PageID) bool { return e.c.remove(p) }

// Resident appends the resident pages to dst in frame order from the hand.
func (e *EnhancedClock) Resident(dst []vm.PageID) []vm.PageID { return e.c.resident(dst) }

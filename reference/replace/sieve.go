package replace

import (
	"fmt"

	"github.com/vmkata/vmkata/vm"
)

func init() {
	register("sieve", func(frames int, _ Options) (vm.Policy, error) { return NewSIEVE(frames) })
}

// SIEVE is the SIEVE policy of Zhang, Yang, Yue, Vigfusson and Rashmi,
// "SIEVE is Simpler than LRU: an Efficient Turn-Key Eviction Algorithm for
// Web Caches" (NSDI 2024): one FIFO queue, a visited bit per page and a hand
// that sweeps the queue from its tail (oldest) toward its head (newest).
//
// Semantics, exactly:
//   - Hit: the page's visited bit is set. Nothing moves.
//   - Miss with a free frame: the page is inserted at the head, visited clear.
//   - Miss with memory full: the hand starts where it stopped last time, or at
//     the tail if it has no position (at first, or after it ran off the
//     head). While the page under the hand is visited, its bit is cleared and
//     the hand moves one step toward the head, wrapping from the head to the
//     tail. The first unvisited page is the victim; the hand stays on the
//     victim's newer neighbour (no position if the victim was the head). The
//     new page is then inserted at the head, visited clear.
//
// Unlike CLOCK, a visited page is retained in place rather than moved to the
// head, so pages newer than the hand (inserted since it passed) are behind
// it and an old popular page keeps its place near the tail: "lazy promotion,
// quick demotion". Remove(p) unlinks p; if the hand was on p it moves to p's
// newer neighbour.
//
// Resident lists the queue from tail (oldest) to head (newest).
//
// Complexity: O(1) per hit; O(1) amortized per miss (each step of the hand
// clears a visited bit that a hit set). Access allocates nothing.
type SIEVE struct {
	t     slotTable
	q     chain
	hand  int32 // next page to examine, or noSlot for "the tail"
	limit int
}

// sieveVisited is SIEVE's only bit; sieveQueue tags resident slots.
const (
	sieveVisited uint8 = 1
	sieveQueue   uint8 = 1
)

// NewSIEVE returns a SIEVE policy managing frames frames, or an error
// wrapping vm.ErrInvalidConfig if frames < 1.
func NewSIEVE(frames int) (*SIEVE, error) {
	if frames < 1 {
		return nil, fmt.Errorf("replace: sieve with %d frames: need at least 1: %w", frames, vm.ErrInvalidConfig)
	}
	return &SIEVE{t: newSlotTable(frames), q: newChain(), hand: noSlot, limit: frames}, nil
}

// Name returns "sieve".
func (s *SIEVE) Name() string { return "sieve" }

// Frames returns the number of frames.
func (s *SIEVE) Frames() int { return s.limit }

// Len returns the number of resident pages.
func (s *SIEVE) Len() int { return s.q.n }

// Contains reports whether p is resident.
func (s *SIEVE) Contains(p vm.PageID) bool {
	_, ok := s.t.lookup(p)
	return ok
}

// Access references p; see the type's comment for the rules.
func (s *SIEVE) Access(p vm.PageID, _ bool) (hit bool, victim vm.PageID, evicted bool) {
	if i, ok := s.t.lookup(p); ok {
		s.t.s[i].bits = sieveVisited
		return true, 0, false
	}
	if s.q.n == s.limit {
		victim, evicted = s.evict(), true
	}
	s.t.pushHead(&s.q, s.t.alloc(p, sieveQueue))
	return false, victim, evicted
}

// evict runs the hand to the first unvisited page and removes it.
func (s *SIEVE) evict() vm.PageID {
	o := s.hand
	if o == noSlot {
		o = s.q.tail
	}
	for s.t.s[o].bits&sieveVisited != 0 {
		s.t.s[o].bits = 0
		if o = s.t.s[o].prev; o == noSlot {
			o = s.q.tail
		}
	}
	s.hand = s.t.s[o].prev
	page := s.t.s[o].page
	s.t.unlink(&s.q, o)
	s.t.release(o)
	return page
}

// Remove forgets p, moving the hand off it first.
func (s *SIEVE) Remove(p vm.PageID) bool {
	i, ok := s.t.lookup(p)
	if !ok {
		return false
	}
	if s.hand == i {
		s.hand = s.t.s[i].prev
	}
	s.t.unlink(&s.q, i)
	s.t.release(i)
	return true
}

// Resident appends the resident pages from the queue's tail to its head.
func (s *SIEVE) Resident(dst []vm.PageID) []vm.PageID {
	return s.t.appendTailToHead(dst, &s.q)
}

package replace

import (
	"fmt"

	"github.com/vmkata/vmkata/vm"
)

func init() {
	register("clock-pro", func(frames int, o Options) (vm.Policy, error) { return NewClockPro(frames, o.Small) })
}

// ClockPro is CLOCK-Pro, of Jiang, Chen and Zhang, "CLOCK-Pro: An Effective
// Improvement of the CLOCK Replacement" (USENIX ATC 2005): the clock
// approximation of LIRS, which judges a page by its reuse distance rather
// than its recency. Linux's reclaim later took up its idea of remembering
// recently evicted pages to tell a quick re-reference from a new one.
//
// One circular list (the clock) holds three kinds of page:
//   - hot pages: resident, with a small reuse distance;
//   - cold pages: resident, possibly in their test period;
//   - non-resident cold pages: evicted but still in their test period, so a
//     quick re-reference can be recognized. At most frames of them are kept.
//
// Each resident page has a reference bit; each cold page a test bit. The
// clock's "head" is the position just behind HAND_hot: a page placed at the
// head is the last one HAND_hot reaches. All hands move the same way round.
// m_c, the target number of resident cold pages, lies in [1, frames]; it
// starts at ⌈frames·small⌉, or at frames when small is 0 (the default: the
// policy starts out as CLOCK and learns its hot space), and adapts.
//
// Semantics, exactly:
//   - Hit (p resident): set p's reference bit. Nothing moves.
//   - Miss on a non-resident cold page p (re-referenced in its test period, so
//     a larger cold space would have made this a hit): m_c = min(m_c+1,
//     frames); p leaves the clock; a frame is freed (below); p returns as a
//     hot page at the head, reference bit clear; then HAND_hot runs while the
//     hot pages exceed frames − m_c.
//   - Miss on any other page: a frame is freed (below); p enters at the head
//     as a cold page in its test period, reference bit clear.
//   - Freeing a frame (only when all frames are used): HAND_cold runs until it
//     has evicted a page. At a resident cold page it does:
//     referenced and in test → clear the bit, make it hot, move it to the
//     head; referenced, not in test → clear the bit, move it to the head and
//     start a new test period; unreferenced → evict it: it stays as a
//     non-resident cold page if in test (HAND_test then runs while more than
//     frames such pages exist), otherwise it leaves the clock. HAND_cold
//     passes hot and non-resident pages without change. After each step,
//     HAND_hot runs while the hot pages exceed frames − m_c.
//   - HAND_hot, one step: a hot page with its bit set has it cleared; an
//     unreferenced hot page becomes cold (not in test); a cold page's test
//     period ends, and a non-resident one leaves the clock (m_c = max(m_c−1,
//     1): its test period passed without a re-reference).
//   - HAND_test, one step: a cold page's test period ends; a non-resident one
//     leaves the clock, with m_c = max(m_c−1, 1). Hot pages are passed.
//   - A hand on a page that leaves the clock moves on to the next page.
//
// Interpretations of the paper, stated so they can be checked: m_c grows
// only on a non-resident test-period hit and shrinks only when a
// non-resident page's test period ends, since only there would a different
// cold space have changed a hit into a fault or back; a resident cold page
// found referenced outside its test period gets a new one when it is moved
// to the head, as every page placed at the head does. Remove(p) takes p off
// the clock, resident or not.
//
// Resident lists resident pages in clock order starting at HAND_cold.
//
// Complexity: O(1) per hit. On a fault every hand step that changes a page
// is paid for by an earlier hit or insertion, but hands also pass pages they
// do not change (HAND_cold passes hot pages), so when cold pages are few
// among many hot ones a single fault can take O(frames) steps; this cost is
// the single clock's, as in the paper. Access allocates nothing.
type ClockPro struct {
	t                           slotTable
	handHot, handCold, handTest int32 // noSlot iff the clock is empty
	frames                      int
	coldTarget                  int // m_c
	nHot, nCold, nTest          int // resident hot, resident cold, non-resident
}

// CLOCK-Pro page kinds and bits.
const (
	cpHot uint8 = 1 + iota
	cpCold
	cpNonResident

	cpRef  uint8 = 1 // reference bit
	cpTest uint8 = 2 // in its test period
)

// NewClockPro returns a CLOCK-Pro policy with frames frames and an initial
// cold target of ⌈frames·small⌉ (small 0 means all frames). It returns an
// error wrapping vm.ErrInvalidConfig if frames < 1 or small is outside
// [0, 1).
func NewClockPro(frames int, small float64) (*ClockPro, error) {
	switch {
	case frames < 1:
		return nil, fmt.Errorf("replace: clock-pro with %d frames: need at least 1: %w", frames, vm.ErrInvalidConfig)
	case small < 0 || small >= 1:
		return nil, fmt.Errorf("replace: clock-pro: initial cold fraction %v is outside [0, 1): %w", small, vm.ErrInvalidConfig)
	}
	target := frames
	if small > 0 {
		target = max(1, int(float64(frames)*small+0.999999))
	}
	return &ClockPro{
		t:          newSlotTable(2 * frames),
		handHot:    noSlot,
		handCold:   noSlot,
		handTest:   noSlot,
		frames:     frames,
		coldTarget: target,
	}, nil
}

// Name returns "clock-pro".
func (c *ClockPro) Name() string { return "clock-pro" }

// Frames returns the number of frames.
func (c *ClockPro) Frames() int { return c.frames }

// Len returns the number of resident pages, hot and cold.
func (c *ClockPro) Len() int { return c.nHot + c.nCold }

// ColdTarget returns m_c, the current target number of resident cold pages.
func (c *ClockPro) ColdTarget() int { return c.coldTarget }

// Contains reports whether p is resident.
func (c *ClockPro) Contains(p vm.PageID) bool {
	i, ok := c.t.lookup(p)
	return ok && c.t.s[i].where != cpNonResident
}

// Hot reports whether p is a resident hot page.
func (c *ClockPro) Hot(p vm.PageID) bool {
	i, ok := c.t.lookup(p)
	return ok && c.t.s[i].where == cpHot
}

// Access references p; see the type's comment for the rules.
func (c *ClockPro) Access(p vm.PageID, _ bool) (hit bool, victim vm.PageID, evicted bool) {
	i, ok := c.t.lookup(p)
	if ok && c.t.s[i].where != cpNonResident {
		c.t.s[i].bits |= cpRef
		return true, 0, false
	}
	if ok { // re-referenced in its test period: it comes back hot
		c.coldTarget = min(c.coldTarget+1, c.frames)
		c.detach(i)
		c.nTest--
	}
	if c.nHot+c.nCold == c.frames {
		victim, evicted = c.freeFrame()
	}
	if ok {
		c.t.s[i].where, c.t.s[i].bits = cpHot, 0
		c.atHead(i)
		c.nHot++
		c.balanceHot()
	} else {
		i = c.t.alloc(p, cpCold)
		c.t.s[i].bits = cpTest
		c.atHead(i)
		c.nCold++
	}
	return false, victim, evicted
}

// freeFrame runs HAND_cold until it has evicted a resident page.
// Preconditions: every frame is used.
func (c *ClockPro) freeFrame() (vm.PageID, bool) {
	for {
		i := c.handCold
		s := &c.t.s[i]
		c.handCold = s.next
		if s.where == cpCold {
			switch {
			case s.bits == cpRef|cpTest: // re-referenced in its test period
				s.where, s.bits = cpHot, 0
				c.nCold--
				c.nHot++
				c.toHead(i)
			case s.bits&cpRef != 0:
				s.bits = cpTest
				c.toHead(i)
			default:
				page := s.page
				c.nCold--
				if s.bits&cpTest != 0 {
					s.where = cpNonResident
					c.nTest++
					for c.nTest > c.frames {
						c.stepTest()
					}
				} else {
					c.detach(i)
					c.t.release(i)
				}
				c.balanceHot()
				return page, true
			}
		}
		c.balanceHot()
	}
}

// balanceHot runs HAND_hot while the hot pages exceed frames − m_c.
func (c *ClockPro) balanceHot() {
	for c.nHot > c.frames-c.coldTarget {
		c.stepHot()
	}
}

// stepHot moves HAND_hot one page.
func (c *ClockPro) stepHot() {
	i := c.handHot
	s := &c.t.s[i]
	c.handHot = s.next
	switch s.where {
	case cpHot:
		if s.bits&cpRef != 0 {
			s.bits = 0
		} else {
			s.where = cpCold
			c.nHot--
			c.nCold++
		}
	case cpCold:
		s.bits &^= cpTest
	case cpNonResident:
		c.expire(i)
	}
}

// stepTest moves HAND_test one page.
func (c *ClockPro) stepTest() {
	i := c.handTest
	s := &c.t.s[i]
	c.handTest = s.next
	switch s.where {
	case cpCold:
		s.bits &^= cpTest
	case cpNonResident:
		c.expire(i)
	}
}

// expire ends non-resident page i's test period: it leaves the clock, and
// m_c shrinks.
func (c *ClockPro) expire(i int32) {
	c.detach(i)
	c.t.release(i)
	c.nTest--
	c.coldTarget = max(c.coldTarget-1, 1)
}

// atHead links slot i into the clock just behind HAND_hot.
// Preconditions: i is not on the clock.
func (c *ClockPro) atHead(i int32) {
	s := &c.t.s[i]
	if c.handHot == noSlot {
		s.prev, s.next = i, i
		c.handHot, c.handCold, c.handTest = i, i, i
		return
	}
	h := &c.t.s[c.handHot]
	s.prev, s.next = h.prev, c.handHot
	c.t.s[h.prev].next = i
	h.prev = i
}

// toHead moves slot i, on the clock, to the head.
func (c *ClockPro) toHead(i int32) {
	c.detach(i)
	c.atHead(i)
}

// detach unlinks slot i from the clock; a hand on i moves to the next page.
func (c *ClockPro) detach(i int32) {
	s := &c.t.s[i]
	next := s.next
	if next == i {
		next = noSlot
	} else {
		c.t.s[s.prev].next = next
		c.t.s[next].prev = s.prev
	}
	if c.handHot == i {
		c.handHot = next
	}
	if c.handCold == i {
		c.handCold = next
	}
	if c.handTest == i {
		c.handTest = next
	}
	s.prev, s.next = noSlot, noSlot
}

// Remove takes p off the clock. It reports whether p was resident.
func (c *ClockPro) Remove(p vm.PageID) bool {
	i, ok := c.t.lookup(p)
	if !ok {
		return false
	}
	where := c.t.s[i].where
	switch where {
	case cpHot:
		c.nHot--
	case cpCold:
		c.nCold--
	default:
		c.nTest--
	}
	c.detach(i)
	c.t.release(i)
	return where != cpNonResident
}

// Resident appends the resident pages in clock order from HAND_cold.
func (c *ClockPro) Resident(dst []vm.PageID) []vm.PageID {
	if c.handCold == noSlot {
		return dst
	}
	i := c.handCold
	for {
		if s := &c.t.s[i]; s.where != cpNonResident {
			dst = append(dst, s.page)
		}
		if i = c.t.s[i].next; i == c.handCold {
			return dst
		}
	}
}

package replace

import (
	"github.com/vmkata/vmkata/vm"
)

// This file holds NewFast and the simulation versions of the three policies
// whose readable versions walk the frames on a fault (enhanced clock) or
// scan them for a minimum (aging): the same victims, the same hand, the same
// resident order, found with the search structures of trees.go in amortized
// O(log n) per access. They and WSClock's keep their own R and D bits, so
// they do not implement vm.RefBitsUser: a kernel that lends its PTE bits
// uses New's versions, which read the bits wherever they are. The other
// simulation versions have a file each: fastwsclock.go, fastopt.go,
// fastws.go and fastfreq.go. The readable versions are the specification;
// fast_test.go replays random traces through both and requires the same
// answer to every call.

// fastConstructors build the simulation versions, with the defaults and the
// errors of the readable constructors. New has already checked frames and
// the options every policy shares.
var fastConstructors = map[string]Constructor{
	"enhanced-clock": func(frames int, _ Options) (vm.Policy, error) { return newFastEnhancedClock(frames), nil },
	"aging": func(frames int, opts Options) (vm.Policy, error) {
		tick := opts.AgingTick
		if tick == 0 {
			tick = frames // NewAging's default
		}
		return newFastAging(frames, tick), nil
	},
	"wsclock": func(frames int, opts Options) (vm.Policy, error) {
		window := opts.Window
		if window == 0 {
			window = 2 * frames // NewWSClock's default
		}
		return newFastWSClock(frames, window), nil
	},
	"lfu": func(frames int, opts Options) (vm.Policy, error) {
		return newFastFreq(frames, opts.DecayEvery, false), nil
	},
	"mfu": func(frames int, opts Options) (vm.Policy, error) {
		return newFastFreq(frames, opts.DecayEvery, true), nil
	},
	"ws": func(frames int, opts Options) (vm.Policy, error) {
		window := opts.Window
		if window == 0 {
			window = 2 * frames // NewWorkingSet's default
		}
		return newFastWorkingSet(frames, window), nil
	},
	"opt": func(frames int, opts Options) (vm.Policy, error) {
		if err := checkOPT(frames, opts.Future); err != nil {
			return nil, err
		}
		if opts.NextUse == nil {
			return newFastOPT(frames, opts.Future, NextUses(opts.Future), true), nil
		}
		if err := checkNextUse(opts.Future, opts.NextUse); err != nil {
			return nil, err
		}
		return newFastOPT(frames, opts.Future, opts.NextUse, false), nil
	},
}

// NewFast returns the policy called name, built for simulation: the policy
// New returns, except for seven policies whose simulation versions choose
// the same victims faster. Enhanced clock and WSClock find the hand's next
// stop in O(log n) rather than walking the frames; aging finds its minimum
// in O(log n), plus O(n) per clock tick (O(1) amortized at the default tick
// period); opt finds a hit's frame by the time of the reference and keeps a
// heap with lazy deletion; ws, lfu and mfu keep each page's fields together
// in one node. The clocks and aging keep their own R and D bits. Simulate,
// FaultCurve and vmsim use it. Errors are New's.
func NewFast(name string, frames int, opts Options) (vm.Policy, error) {
	c, ok := fastConstructors[name]
	if !ok {
		return New(name, frames, opts)
	}
	if err := checkOptions(name, frames, opts); err != nil {
		return nil, err
	}
	return c(frames, opts)
}

// fastEnhancedClock is EnhancedClock (see its comment for the semantics)
// with one bitTree per (R, D) class, so that "the first page of class c
// from the hand" is one search instead of a walk. The four revolutions
// reduce to three cases:
//
//   - a (0,0) page exists: the first from the hand; nothing changes;
//   - else a (0,1) page exists: the first from the hand, and every page the
//     hand passed on the way (all of them R=1) loses R;
//   - else every page has R=1: all lose R, and the victim is the first clean
//     page from the hand, or the page at the hand when every page is dirty.
//
// Clearing R is paid for by the access that set it, so a fault costs
// O(log n) amortized.
//
// Invariant: a used frame f is in class[cls[f]] and in no other set; a free
// frame is in none.
type fastEnhancedClock struct {
	t     frameTable
	cls   []uint8 // per frame: R<<1 | D
	class [4]bitTree
	hand  int32
}

func newFastEnhancedClock(n int) *fastEnhancedClock {
	f := &fastEnhancedClock{t: newFrameTable(n), cls: make([]uint8, n)}
	for i := range f.class {
		f.class[i] = newBitTree(n)
	}
	return f
}

func (c *fastEnhancedClock) Name() string               { return "enhanced-clock" }
func (c *fastEnhancedClock) Frames() int                { return c.t.frames() }
func (c *fastEnhancedClock) Len() int                   { return c.t.used }
func (c *fastEnhancedClock) Contains(p vm.PageID) bool  { _, ok := c.t.lookup(p); return ok }
func (c *fastEnhancedClock) Hand() int                  { return int(c.hand) }
func (c *fastEnhancedClock) setClass(f int32, cl uint8) { c.cls[f] = cl; c.class[cl].add(f) }

func (c *fastEnhancedClock) move(f int32, cl uint8) {
	if old := c.cls[f]; old != cl {
		c.class[old].remove(f)
		c.setClass(f, cl)
	}
}

func dirtyBit(write bool) uint8 {
	if write {
		return 1
	}
	return 0
}

func (c *fastEnhancedClock) Access(p vm.PageID, write bool) (hit bool, victim vm.PageID, evicted bool) {
	if f, ok := c.t.lookup(p); ok {
		c.move(f, c.cls[f]|2|dirtyBit(write))
		return true, 0, false
	}
	if !c.t.full() {
		c.setClass(c.t.load(p), 2|dirtyBit(write))
		return false, 0, false
	}
	f := c.choose()
	c.class[c.cls[f]].remove(f)
	c.setClass(f, 2|dirtyBit(write))
	c.hand = (f + 1) % int32(c.t.frames())
	return false, c.t.replace(f, p), true
}

// choose returns the victim's frame. Preconditions: memory is full.
func (c *fastEnhancedClock) choose() int32 {
	n := int32(c.t.frames())
	if f := c.class[0].nextFrom(c.hand); f >= 0 {
		return f
	}
	if f := c.class[1].nextFrom(c.hand); f >= 0 {
		for g := c.hand; g != f; g = (g + 1) % n {
			c.move(g, c.cls[g]&1)
		}
		return f
	}
	for g := int32(0); g < n; g++ {
		c.move(g, c.cls[g]&1)
	}
	if f := c.class[0].nextFrom(c.hand); f >= 0 {
		return f
	}
	return c.hand
}

func (c *fastEnhancedClock) Remove(p vm.PageID) bool {
	f, ok := c.t.lookup(p)
	if ok {
		c.class[c.cls[f]].remove(f)
		c.t.free(f)
	}
	return ok
}

func (c *fastEnhancedClock) Resident(dst []vm.PageID) []vm.PageID {
	return residentFromHand(dst, &c.t, c.hand)
}

// residentFromHand appends the resident pages in frame order starting at hand.
func residentFromHand(dst []vm.PageID, t *frameTable, hand int32) []vm.PageID {
	n := int32(t.frames())
	for i := int32(0); i < n; i++ {
		if f := (hand + i) % n; t.inUse[f] {
			dst = append(dst, t.page[f])
		}
	}
	return dst
}

// fastAging is Aging (see its comment for the semantics) with a minTree over
// the frames keyed by counter<<1 | R: the victim, the smallest key with the
// lowest frame among equals, is the tree's minimum and one search for the
// first frame holding it. A tick changes every key; it marks the tree stale
// and the next fault rebuilds it in O(n), so ticks with no fault between
// them cost one rebuild.
//
// Invariant: when !stale, every leaf of keys holds its frame's key (empty
// for a free frame) and the inner nodes agree with the leaves; when stale,
// the leaves do.
type fastAging struct {
	t       frameTable
	r       []bool
	counter []uint8
	keys    minTree
	stale   bool
	tick    int
	since   int
}

func newFastAging(n, tick int) *fastAging {
	return &fastAging{t: newFrameTable(n), r: make([]bool, n), counter: make([]uint8, n), keys: newMinTree(n), tick: tick}
}

func (a *fastAging) Name() string              { return "aging" }
func (a *fastAging) Frames() int               { return a.t.frames() }
func (a *fastAging) Len() int                  { return a.t.used }
func (a *fastAging) Contains(p vm.PageID) bool { _, ok := a.t.lookup(p); return ok }

// Counter returns p's aging counter, or false if p is not resident.
func (a *fastAging) Counter(p vm.PageID) (uint8, bool) {
	f, ok := a.t.lookup(p)
	if !ok {
		return 0, false
	}
	return a.counter[f], true
}

func (a *fastAging) key(f int32) int64 {
	k := int64(a.counter[f]) << 1
	if a.r[f] {
		k |= 1
	}
	return k
}

func (a *fastAging) setKey(f int32, k int64) {
	if a.stale {
		a.keys.setLeaf(f, k)
	} else {
		a.keys.set(f, k)
	}
}

func (a *fastAging) Access(p vm.PageID, write bool) (hit bool, victim vm.PageID, evicted bool) {
	if f, ok := a.t.lookup(p); ok {
		hit = true
		if !a.r[f] {
			a.r[f] = true
			a.setKey(f, a.key(f))
		}
	} else {
		var f int32
		if !a.t.full() {
			f = a.t.load(p)
		} else {
			if a.stale {
				a.keys.rebuild()
				a.stale = false
			}
			f = a.keys.firstBelow(0, int32(a.t.frames()), a.keys.min()+1)
			victim, evicted = a.t.replace(f, p), true
		}
		a.counter[f], a.r[f] = 0, true
		a.setKey(f, 1)
	}
	if a.since++; a.since == a.tick {
		a.since = 0
		a.ageAll()
	}
	return hit, victim, evicted
}

// ageAll is one clock tick: it updates the leaves and leaves the inner
// nodes to the next fault.
func (a *fastAging) ageAll() {
	for f, used := range a.t.inUse {
		if !used {
			continue
		}
		c := a.counter[f] >> 1
		if a.r[f] {
			c |= 0x80
			a.r[f] = false
		}
		a.counter[f] = c
		a.keys.setLeaf(int32(f), int64(c)<<1)
	}
	a.stale = true
}

func (a *fastAging) Remove(p vm.PageID) bool {
	f, ok := a.t.lookup(p)
	if ok {
		a.t.free(f)
		a.setKey(f, empty)
	}
	return ok
}

func (a *fastAging) Resident(dst []vm.PageID) []vm.PageID {
	for f, used := range a.t.inUse {
		if used {
			dst = append(dst, a.t.page[f])
		}
	}
	return dst
}

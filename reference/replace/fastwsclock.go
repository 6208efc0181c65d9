package replace

import "github.com/vmkata/vmkata/vm"

// fastWSClock is WSClock (see its comment for the semantics) built for
// simulation: the same victims and the same hand, with the hand jumping
// from stop to stop instead of walking past the frames where it changes
// nothing. The hand stops at a page with R=1 (it clears R) and at an old
// page (it evicts it or schedules its write-back); it passes young pages
// with R=0 untouched. So:
//
//   - stops is the set of frames the hand would stop at: every page with
//     R=1, and every old page. A reference sets R and adds its frame, in
//     O(1) (a bitTree add that usually stops at the first level).
//   - A page becomes old τ accesses after the hand cleared its R bit, in the
//     order the hand cleared them, so the frames wait in cleared, a FIFO of
//     (frame, time cleared), and the next fault moves those that have grown
//     old into stops. An entry whose page was referenced or evicted since
//     is stale, and dropped.
//   - clean, the frames with D=0, gives the first clean page from the hand
//     when a whole revolution finds no victim.
//
// Each stop but the last clears an R or a D bit that an access set, so a
// fault costs O(log n) amortized.
//
// Invariant: stops holds exactly the used frames f with r[f] or
// now - lastUse[f] > window, except that frames may still wait in cleared
// after growing old: a fault moves them first. Every used frame f with r[f]
// false that is not in stops has the entry {f, lastUse[f]} in cleared, whose
// times never decrease. clean holds exactly the used frames with D=0.
type fastWSClock struct {
	t       frameTable
	r, d    []bool
	lastUse []uint64
	stops   bitTree
	clean   bitTree
	cleared fifo
	window  uint64
	now     uint64
	hand    int32
}

// clearing is an entry of fastWSClock's cleared FIFO: the hand cleared
// frame's R bit at time at.
type clearing struct {
	frame int32
	at    uint64
}

// fifo is a queue of clearings in a slice: entries are taken from head and
// appended at the end; when the slice is full, the live entries (as the
// owner judges them) are moved to its front. With room for twice as many
// entries as can be live at once, that happens at most once every n
// appends, O(1) amortized, and the queue never allocates.
type fifo struct {
	q    []clearing
	head int
}

func newFastWSClock(n, window int) *fastWSClock {
	return &fastWSClock{
		t: newFrameTable(n), r: make([]bool, n), d: make([]bool, n), lastUse: make([]uint64, n),
		stops: newBitTree(n), clean: newBitTree(n), cleared: fifo{q: make([]clearing, 0, 2*n)},
		window: uint64(window),
	}
}

func (c *fastWSClock) Name() string              { return "wsclock" }
func (c *fastWSClock) Frames() int               { return c.t.frames() }
func (c *fastWSClock) Len() int                  { return c.t.used }
func (c *fastWSClock) Contains(p vm.PageID) bool { _, ok := c.t.lookup(p); return ok }
func (c *fastWSClock) Hand() int                 { return int(c.hand) }

func (c *fastWSClock) setDirty(f int32, dirty bool) {
	if c.d[f] == dirty {
		return
	}
	c.d[f] = dirty
	if dirty {
		c.clean.remove(f)
	} else {
		c.clean.add(f)
	}
}

func (c *fastWSClock) Access(p vm.PageID, write bool) (hit bool, victim vm.PageID, evicted bool) {
	c.now++
	if f, ok := c.t.lookup(p); ok {
		if !c.r[f] {
			c.r[f] = true
			c.stops.add(f)
		}
		if write {
			c.setDirty(f, true)
		}
		return true, 0, false
	}
	var f int32
	if c.t.full() {
		f = c.choose()
		c.hand = (f + 1) % int32(c.t.frames())
		victim, evicted = c.t.replace(f, p), true
	} else {
		f = c.t.load(p)
		c.d[f] = true // so that setDirty below puts a clean page in clean
	}
	c.setDirty(f, write)
	c.r[f], c.lastUse[f] = true, c.now
	c.stops.add(f)
	return false, victim, evicted
}

// live reports whether e is still the latest clearing of a page that has
// not been referenced since.
func (c *fastWSClock) live(e clearing) bool {
	return c.t.inUse[e.frame] && !c.r[e.frame] && c.lastUse[e.frame] == e.at
}

// choose sweeps the hand and returns the victim's frame.
// Preconditions: memory is full.
func (c *fastWSClock) choose() int32 {
	for q := &c.cleared; q.head < len(q.q); q.head++ {
		e := q.q[q.head]
		if c.now-e.at <= c.window {
			break
		}
		if c.live(e) {
			c.stops.add(e.frame) // old now
		}
	}
	n := int32(c.t.frames())
	for _, span := range [2][2]int32{{c.hand, n}, {0, c.hand}} {
		for f := c.stops.next(span[0]); f >= 0 && f < span[1]; f = c.stops.next(f + 1) {
			switch {
			case c.r[f]:
				c.r[f], c.lastUse[f] = false, c.now
				c.stops.remove(f)
				c.push(clearing{f, c.now})
			case !c.d[f]:
				return f
			default:
				c.setDirty(f, false) // schedule the write-back
			}
		}
	}
	if f := c.clean.nextFrom(c.hand); f >= 0 {
		return f
	}
	return c.hand
}

// push appends e to cleared, first dropping the stale entries if it is full.
func (c *fastWSClock) push(e clearing) {
	q := &c.cleared
	if len(q.q) == cap(q.q) {
		live := q.q[:0]
		for _, x := range q.q[q.head:] {
			if c.live(x) {
				live = append(live, x)
			}
		}
		q.q, q.head = live, 0
	}
	q.q = append(q.q, e)
}

func (c *fastWSClock) Remove(p vm.PageID) bool {
	f, ok := c.t.lookup(p)
	if ok {
		c.t.free(f)
		c.stops.remove(f)
		if !c.d[f] {
			c.clean.remove(f)
		}
	}
	return ok
}

func (c *fastWSClock) Resident(dst []vm.PageID) []vm.PageID {
	return residentFromHand(dst, &c.t, c.hand)
}

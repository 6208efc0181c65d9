package replace

import (
	"fmt"

	"github.com/vmkata/vmkata/vm"
)

func init() {
	register("wsclock", func(frames int, opts Options) (vm.Policy, error) { return NewWSClock(frames, opts.Window) })
}

// WSClock is Carr and Hennessy's WSClock (as Tanenbaum presents it): the
// working-set idea run by a clock hand over a fixed number of frames. Each
// page has R, D and a time of last use, which the hand updates from R.
// Time t counts Access calls, from 1; a page is old when t - lastUse > τ.
//
//   - Hit: R is set, and D on a write. Last use is not updated here: the
//     hand records it when it finds R set, as a kernel would.
//   - Fault, memory full: the hand makes one revolution from its position.
//     At each page: if R=1, clear R, set last use to t, move on; if R=0, the
//     page is old and clean, evict it; if R=0, old and dirty, schedule its
//     write-back (D is cleared: a simulated write completes at once) and move
//     on; if R=0 and young, move on. If the revolution found no victim, the
//     victim is the first clean page from the hand (a page whose write-back
//     was scheduled is clean by now), or, if every page is dirty, the page
//     at the hand. The new page takes the victim's frame with R=1, D=write,
//     last use t, and the hand stops just past that frame.
//   - Fault, free frame: the new page goes into the lowest free frame with
//     R=1, D=write, last use t; the hand does not move.
//   - The hand starts at frame 0. Resident order: frame order from the hand.
//
// A fault costs O(n) in the worst case, O(1) amortized on traces with
// locality.
type WSClock struct {
	t       frameTable
	bits    refBits
	lastUse []uint64
	window  uint64
	now     uint64
	hand    int32
}

// NewWSClock returns an empty WSClock policy managing frames frames with
// window tau accesses (0 means 2 × frames). It returns an error wrapping
// vm.ErrInvalidConfig if frames < 1 or tau < 0.
func NewWSClock(frames, tau int) (*WSClock, error) {
	if err := checkFrames("wsclock", frames); err != nil {
		return nil, err
	}
	if tau < 0 {
		return nil, fmt.Errorf("replace: wsclock: tau %d is negative: %w", tau, vm.ErrInvalidConfig)
	}
	if tau <= 0 {
		tau = 2 * frames
	}
	return &WSClock{t: newFrameTable(frames), bits: newRefBits(frames), lastUse: make([]uint64, frames), window: uint64(tau)}, nil
}

// Name returns "wsclock".
func (c *WSClock) Name() string { return "wsclock" }

// Frames returns the capacity.
func (c *WSClock) Frames() int { return c.t.frames() }

// Len returns the number of resident pages.
func (c *WSClock) Len() int { return c.t.used }

// Contains reports whether p is resident, without touching its bits.
func (c *WSClock) Contains(p vm.PageID) bool { _, ok := c.t.lookup(p); return ok }

// SetRefBits makes the policy read and clear the kernel's bits through b
// (nil: keep its own). See vm.RefBitsUser.
func (c *WSClock) SetRefBits(b vm.RefBits) { c.bits.use(b) }

// Hand returns the frame the hand points at.
func (c *WSClock) Hand() int { return int(c.hand) }

// Access records a reference to p; see the type's comment.
func (c *WSClock) Access(p vm.PageID, write bool) (hit bool, victim vm.PageID, evicted bool) {
	c.now++
	if f, ok := c.t.lookup(p); ok {
		c.bits.touch(f, write)
		return true, 0, false
	}
	var f int32
	if c.t.full() {
		f = c.choose()
		c.hand = (f + 1) % int32(c.t.frames())
		victim, evicted = c.t.replace(f, p), true
	} else {
		f = c.t.load(p)
	}
	c.bits.loaded(f, write)
	c.lastUse[f] = c.now
	return false, victim, evicted
}

// choose sweeps the hand and returns the victim's frame.
// Preconditions: memory is full.
func (c *WSClock) choose() int32 {
	n := int32(c.t.frames())
	for i := int32(0); i < n; i++ {
		f := (c.hand + i) % n
		p := c.t.page[f]
		switch {
		case c.bits.referenced(f, p):
			c.bits.clearReferenced(f, p)
			c.lastUse[f] = c.now
		case c.now-c.lastUse[f] <= c.window:
			// young: in the working set
		case !c.bits.dirty(f, p):
			return f
		default:
			c.bits.clearDirty(f, p) // schedule the write-back
		}
	}
	for i := int32(0); i < n; i++ {
		f := (c.hand + i) % n
		if !c.bits.dirty(f, c.t.page[f]) {
			return f
		}
	}
	return c.hand
}

// Remove forgets p; its frame becomes free. The hand does not move.
func (c *WSClock) Remove(p vm.PageID) bool {
	f, ok := c.t.lookup(p)
	if ok {
		c.t.free(f)
	}
	return ok
}

// Resident appends the resident pages in frame order starting at the hand.
func (c *WSClock) Resident(dst []vm.PageID) []vm.PageID {
	n := int32(c.t.frames())
	for i := int32(0); i < n; i++ {
		if f := (c.hand + i) % n; c.t.inUse[f] {
			dst = append(dst, c.t.page[f])
		}
	}
	return dst
}

package replace

import "github.com/vmkata/vmkata/vm"

func init() {
	register("enhanced-clock", func(frames int, _ Options) (vm.Policy, error) { return NewEnhancedClock(frames) })
}

// EnhancedClock is the enhanced second-chance algorithm (Silberschatz; the
// version Stallings spells out): a clock that prefers clean pages, because
// evicting a dirty page costs a write-back. The pair (R, D) puts each page
// in one of four classes, best victim first:
//
//		(0,0) not recently used, clean
//		(0,1) not recently used, dirty
//		(1,0) recently used, clean
//		(1,1) recently used, dirty
//
//	  - Hit: R is set, and D too on a write. The hand does not move.
//	  - Fault, memory full: from the hand, up to four revolutions:
//	    1. look for a (0,0) page, changing nothing;
//	    2. else look for a (0,1) page, clearing R of every page passed over;
//	    3. else (every R is now 0) repeat 1, then 4. repeat 2.
//	    The first page found is evicted, the new page takes its frame with
//	    R=1 and D=write, and the hand stops just past that frame. Each
//	    revolution starts at the hand and visits every frame once.
//	  - Fault, free frame: the new page goes into the lowest free frame with
//	    R=1, D=write; the hand does not move.
//	  - The hand starts at frame 0. D is never cleared while a page is
//	    resident (no write-back is modelled).
//	  - Resident order: frame order starting at the hand.
//
// This is NRU (not recently used) with a clock for its tie-break: the victim
// is the first page, in hand order, of the lowest non-empty class, except
// that revolution 2 ages the pages it passes. A fault costs O(n) in the
// worst case (four revolutions).
type EnhancedClock struct {
	t    frameTable
	bits refBits
	hand int32
}

// NewEnhancedClock returns an empty enhanced-clock policy managing frames
// frames. It returns an error wrapping
// vm.ErrInvalidConfig if frames < 1.
func NewEnhancedClock(frames int) (*EnhancedClock, error) {
	if err := checkFrames("enhanced-clock", frames); err != nil {
		return nil, err
	}
	return &EnhancedClock{t: newFrameTable(frames), bits: newRefBits(frames)}, nil
}

// Name returns "enhanced-clock".
func (c *EnhancedClock) Name() string { return "enhanced-clock" }

// Frames returns the capacity.
func (c *EnhancedClock) Frames() int { return c.t.frames() }

// Len returns the number of resident pages.
func (c *EnhancedClock) Len() int { return c.t.used }

// Contains reports whether p is resident, without touching its bits.
func (c *EnhancedClock) Contains(p vm.PageID) bool { _, ok := c.t.lookup(p); return ok }

// SetRefBits makes the policy read and clear the kernel's bits through b
// (nil: keep its own). See vm.RefBitsUser.
func (c *EnhancedClock) SetRefBits(b vm.RefBits) { c.bits.use(b) }

// Hand returns the frame the hand points at.
func (c *EnhancedClock) Hand() int { return int(c.hand) }

// Access records a reference to p; see the type's comment.
func (c *EnhancedClock) Access(p vm.PageID, write bool) (hit bool, victim vm.PageID, evicted bool) {
	if f, ok := c.t.lookup(p); ok {
		c.bits.touch(f, write)
		return true, 0, false
	}
	if !c.t.full() {
		c.bits.loaded(c.t.load(p), write)
		return false, 0, false
	}
	f := c.choose()
	c.hand = (f + 1) % int32(c.t.frames())
	victim = c.t.replace(f, p)
	c.bits.loaded(f, write)
	return false, victim, true
}

// choose runs the revolutions and returns the victim's frame.
// Preconditions: memory is full.
func (c *EnhancedClock) choose() int32 {
	n := int32(c.t.frames())
	for round := 0; round < 4; round++ {
		wantDirty := round%2 == 1
		for i := int32(0); i < n; i++ {
			f := (c.hand + i) % n
			p := c.t.page[f]
			r := c.bits.referenced(f, p)
			if !r && c.bits.dirty(f, p) == wantDirty {
				return f
			}
			if wantDirty && r {
				c.bits.clearReferenced(f, p)
			}
		}
	}
	return c.hand // only if the bits changed under us: take the hand's page
}

// Remove forgets p; its frame becomes free. The hand does not move.
func (c *EnhancedClock) Remove(p vm.PageID) bool {
	f, ok := c.t.lookup(p)
	if ok {
		c.t.free(f)
	}
	return ok
}

// Resident appends the resident pages in frame order starting at the hand.
func (c *EnhancedClock) Resident(dst []vm.PageID) []vm.PageID {
	n := int32(c.t.frames())
	for i := int32(0); i < n; i++ {
		if f := (c.hand + i) % n; c.t.inUse[f] {
			dst = append(dst, c.t.page[f])
		}
	}
	return dst
}

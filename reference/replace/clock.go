package replace

import "github.com/vmkata/vmkata/vm"

func init() {
	register("clock", func(frames int, _ Options) (vm.Policy, error) { return NewClock(frames) })
	register("second-chance", func(frames int, _ Options) (vm.Policy, error) { return NewSecondChance(frames) })
}

// Clock is the clock algorithm: the frames form a circle and a hand points
// at the next candidate. Each page has a reference bit R.
//
//   - Hit: R is set (by the MMU; in simulation, by Access). The hand does
//     not move.
//   - Fault, memory full: starting at the hand, a page with R=1 has R cleared
//     (its second chance) and the hand moves on to the next frame; the first
//     page found with R=0 is evicted, the new page takes its frame with R=1,
//     and the hand stops just past that frame. If every page had R=1, the
//     hand clears them all in one revolution and evicts the page it started
//     at: clock degenerates to FIFO.
//   - Fault, free frame: the new page goes into the lowest free frame with
//     R=1; the hand does not move.
//   - The hand starts at frame 0.
//   - Resident order: frame order starting at the hand, the order it will
//     examine them.
//
// A newly loaded page has R=1 (OSTEP's and Silberschatz's convention: the
// access that faulted it in references it), so it survives the hand's next
// pass once.
//
// Worked example, 3 frames, 1 2 3 2 4 1 5: 1, 2, 3 fill frames 0-2 (all
// R=1, hand at 0); 2 hits; 4 faults: the hand clears 1, 2, 3 and evicts 1
// (frame 0), hand at 1; 1 faults: 2 has R=0 and is evicted (frame 1), hand
// at 2; 5 faults: 3 has R=0 and is evicted. 6 faults.
//
// Clock and SecondChance choose the same victims; they differ in the data
// structure (a circular array and a moving hand here, a queue there).
// Access is O(1) amortized: each step of the hand clears a bit some earlier
// reference set.
type Clock struct {
	t    frameTable
	bits refBits
	hand int32 // next frame to examine
}

// NewClock returns an empty clock policy managing frames frames.
// It returns an error wrapping vm.ErrInvalidConfig if frames < 1.
func NewClock(frames int) (*Clock, error) {
	if err := checkFrames("clock", frames); err != nil {
		return nil, err
	}
	return &Clock{t: newFrameTable(frames), bits: newRefBits(frames)}, nil
}

// Name returns "clock".
func (c *Clock) Name() string { return "clock" }

// Frames returns the capacity.
func (c *Clock) Frames() int { return c.t.frames() }

// Len returns the number of resident pages.
func (c *Clock) Len() int { return c.t.used }

// Contains reports whether p is resident, without touching its R bit.
func (c *Clock) Contains(p vm.PageID) bool { _, ok := c.t.lookup(p); return ok }

// SetRefBits makes the policy read and clear the kernel's bits through b
// (nil: keep its own). See vm.RefBitsUser.
func (c *Clock) SetRefBits(b vm.RefBits) { c.bits.use(b) }

// Hand returns the frame the hand points at.
func (c *Clock) Hand() int { return int(c.hand) }

// Access records a reference to p; see the type's comment.
func (c *Clock) Access(p vm.PageID, write bool) (hit bool, victim vm.PageID, evicted bool) {
	if f, ok := c.t.lookup(p); ok {
		c.bits.touch(f, write)
		return true, 0, false
	}
	if !c.t.full() {
		c.bits.loaded(c.t.load(p), write)
		return false, 0, false
	}
	n := int32(c.t.frames())
	for {
		f := c.hand
		c.hand++
		if c.hand == n {
			c.hand = 0
		}
		if c.bits.referenced(f, c.t.page[f]) {
			c.bits.clearReferenced(f, c.t.page[f])
			continue
		}
		victim = c.t.replace(f, p)
		c.bits.loaded(f, write)
		return false, victim, true
	}
}

// Remove forgets p; its frame becomes free. The hand does not move.
func (c *Clock) Remove(p vm.PageID) bool {
	f, ok := c.t.lookup(p)
	if ok {
		c.t.free(f)
	}
	return ok
}

// Resident appends the resident pages in frame order starting at the hand.
func (c *Clock) Resident(dst []vm.PageID) []vm.PageID {
	n := int32(c.t.frames())
	for i := int32(0); i < n; i++ {
		f := (c.hand + i) % n
		if c.t.inUse[f] {
			dst = append(dst, c.t.page[f])
		}
	}
	return dst
}

// SecondChance is FIFO with a reference bit: the textbook second-chance
// algorithm, kept as a queue in load order.
//
//   - Hit: R is set. The queue does not change.
//   - Fault, memory full: look at the oldest page. If R=1, clear R and move
//     the page to the back of the queue as if just loaded (its second
//     chance), and look again; the first page found with R=0 is evicted.
//     The new page joins the back with R=1.
//   - Fault, free frame: the new page joins the back with R=1.
//   - Resident order: queue order, the next page examined first.
//
// It chooses the same victims as Clock on every trace without Remove calls;
// it is the same idea with a queue in place of a circle.
type SecondChance struct {
	t     frameTable
	bits  refBits
	queue list
}

// NewSecondChance returns an empty second-chance policy managing frames
// frames. It returns an error wrapping
// vm.ErrInvalidConfig if frames < 1.
func NewSecondChance(frames int) (*SecondChance, error) {
	if err := checkFrames("second-chance", frames); err != nil {
		return nil, err
	}
	return &SecondChance{t: newFrameTable(frames), bits: newRefBits(frames), queue: newList(frames)}, nil
}

// Name returns "second-chance".
func (s *SecondChance) Name() string { return "second-chance" }

// Frames returns the capacity.
func (s *SecondChance) Frames() int { return s.t.frames() }

// Len returns the number of resident pages.
func (s *SecondChance) Len() int { return s.t.used }

// Contains reports whether p is resident, without touching its R bit.
func (s *SecondChance) Contains(p vm.PageID) bool { _, ok := s.t.lookup(p); return ok }

// SetRefBits makes the policy read and clear the kernel's bits through b
// (nil: keep its own). See vm.RefBitsUser.
func (s *SecondChance) SetRefBits(b vm.RefBits) { s.bits.use(b) }

// Access records a reference to p; see the type's comment.
func (s *SecondChance) Access(p vm.PageID, write bool) (hit bool, victim vm.PageID, evicted bool) {
	if f, ok := s.t.lookup(p); ok {
		s.bits.touch(f, write)
		return true, 0, false
	}
	if !s.t.full() {
		f := s.t.load(p)
		s.bits.loaded(f, write)
		s.queue.pushBack(f)
		return false, 0, false
	}
	for {
		f, _ := s.queue.front()
		s.queue.moveToBack(f)
		if s.bits.referenced(f, s.t.page[f]) {
			s.bits.clearReferenced(f, s.t.page[f])
			continue
		}
		victim = s.t.replace(f, p)
		s.bits.loaded(f, write)
		return false, victim, true
	}
}

// Remove forgets p.
func (s *SecondChance) Remove(p vm.PageID) bool {
	f, ok := s.t.lookup(p)
	if ok {
		s.queue.remove(f)
		s.t.free(f)
	}
	return ok
}

// Resident appends the resident pages in queue order, oldest first.
func (s *SecondChance) Resident(dst []vm.PageID) []vm.PageID {
	return s.queue.appendPages(dst, &s.t)
}

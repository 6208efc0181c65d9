package replace

import "github.com/vmkata/vmkata/vm"

// This file holds the bookkeeping shared by the adaptive policies (2Q,
// Linux active/inactive, ARC, CLOCK-Pro, SIEVE, S3-FIFO). Unlike the classic
// policies, they remember pages that are no longer resident (ghost or
// history entries: 2Q's A1out, ARC's B1 and B2, CLOCK-Pro's non-resident
// test pages, S3-FIFO's ghost queue), so a page's slot is not a frame:
// a slotTable holds resident and ghost entries alike, each on exactly one
// intrusive list, and indexes them by page with a pageIndex.

// noSlot marks the end of a chain and an empty hand.
const noSlot int32 = -1

// slot is one page's entry, resident or ghost. Where it is (which list, or
// free) and what its bits mean belong to the policy that owns the table.
type slot struct {
	page       vm.PageID
	prev, next int32 // neighbours on the slot's chain (ring for CLOCK-Pro)
	where      uint8 // the policy's list tag; whereFree for a free slot
	bits       uint8 // the policy's per-page bits: reference bit, frequency, …
}

// whereFree tags a slot on the free stack. Policies number their lists from 1.
const whereFree uint8 = 0

// slotTable is a fixed array of slots, a free stack and an index from page to
// slot. It never grows, so a policy built on it allocates nothing per access.
//
// Invariant: index holds exactly the pages of the used slots, and
// s[index[p]].page == p.
type slotTable struct {
	s     []slot
	free  int32 // top of the free stack, linked through next
	index pageIndex
}

func newSlotTable(n int) slotTable {
	t := slotTable{s: make([]slot, n), free: noSlot, index: newPageIndex(n)}
	for i := n - 1; i >= 0; i-- {
		t.s[i] = slot{prev: noSlot, next: t.free}
		t.free = int32(i)
	}
	return t
}

// lookup returns p's slot, resident or ghost.
func (t *slotTable) lookup(p vm.PageID) (int32, bool) { return t.index.get(p) }

// alloc takes a free slot for p, tags it where and indexes it.
// Preconditions: a slot is free; p has no slot.
func (t *slotTable) alloc(p vm.PageID, where uint8) int32 {
	i := t.free
	if i == noSlot {
		panic("replace: slot table exhausted (policy bookkeeping bug)")
	}
	t.free = t.s[i].next
	t.s[i] = slot{page: p, prev: noSlot, next: noSlot, where: where}
	t.index.put(p, i)
	return i
}

// release forgets slot i's page and returns the slot to the free stack.
// Preconditions: i is used and on no chain.
func (t *slotTable) release(i int32) {
	t.index.del(t.s[i].page)
	t.s[i] = slot{prev: noSlot, next: t.free, where: whereFree}
	t.free = i
}

// chain is an intrusive doubly linked queue of slots. head is the newest end
// (MRU, where FIFOs insert), tail the oldest (LRU, where they evict); next
// points from head toward tail, prev from tail toward head.
type chain struct {
	head, tail int32
	n          int
}

func newChain() chain { return chain{head: noSlot, tail: noSlot} }

// pushHead links slot i at the head of c. Preconditions: i is on no chain.
func (t *slotTable) pushHead(c *chain, i int32) {
	s := &t.s[i]
	s.prev, s.next = noSlot, c.head
	if c.head != noSlot {
		t.s[c.head].prev = i
	} else {
		c.tail = i
	}
	c.head = i
	c.n++
}

// unlink removes slot i from c. Preconditions: i is on c.
func (t *slotTable) unlink(c *chain, i int32) {
	s := &t.s[i]
	if s.prev != noSlot {
		t.s[s.prev].next = s.next
	} else {
		c.head = s.next
	}
	if s.next != noSlot {
		t.s[s.next].prev = s.prev
	} else {
		c.tail = s.prev
	}
	s.prev, s.next = noSlot, noSlot
	c.n--
}

// popTail unlinks and returns c's tail. Preconditions: c is not empty.
func (t *slotTable) popTail(c *chain) int32 {
	i := c.tail
	t.unlink(c, i)
	return i
}

// moveHead moves slot i, already on c, to c's head.
func (t *slotTable) moveHead(c *chain, i int32) {
	if c.head == i {
		return
	}
	t.unlink(c, i)
	t.pushHead(c, i)
}

// appendTailToHead appends c's pages, oldest (tail) first.
func (t *slotTable) appendTailToHead(dst []vm.PageID, c *chain) []vm.PageID {
	for i := c.tail; i != noSlot; i = t.s[i].prev {
		dst = append(dst, t.s[i].page)
	}
	return dst
}

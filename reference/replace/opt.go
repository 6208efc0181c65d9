package replace

import (
	"fmt"
	"math"
	"math/bits"

	"github.com/vmkata/vmkata/vm"
)

func init() {
	register("opt", func(frames int, opts Options) (vm.Policy, error) {
		if opts.NextUse != nil {
			return NewOPTWithNextUse(frames, opts.Future, opts.NextUse)
		}
		return NewOPT(frames, opts.Future)
	})
}

// OPT is Belady's optimal replacement (MIN): the victim is the page whose
// next use lies farthest in the future. No policy faults less on the same
// trace with the same frames, so OPT is the yardstick the others are
// measured against. It needs the future, so it is an offline policy: it is
// built with the whole reference string and must then be fed exactly that
// string.
//
//   - Hit: the page's next use moves to its following reference.
//   - Fault, memory full: evict the page used farthest in the future. Pages
//     never used again come first; among several of them, the least recently
//     used one is evicted (the one whose last reference is the oldest). Two
//     pages cannot share a next use, so there is no other tie.
//   - Fault, free frame: load into the lowest free frame.
//   - Resident order: frame order.
//
// The i-th Access (from 0) is taken to be the reference future[i]. If it
// names another page, or comes after the end of future, the policy cannot
// know that page's next use and treats it as never used again.
//
// OPT is a stack algorithm: no Belady anomaly. Access is O(log n): a binary
// max-heap of the resident frames keyed by next use; the next-use table is
// built once, in one backward pass over future (NextUses), by NewOPT. The
// policy holds 12 bytes per reference: future and the table.
type OPT struct {
	t       frameTable
	nextUse []int32 // nextUse[i]: the next j > i with future[j] == future[i], or never
	future  []vm.PageID
	now     int     // number of Access calls so far
	key     []int64 // per frame: eviction priority, largest first
	heap    []int32 // frames, a max-heap on key
	pos     []int32 // per frame: its index in heap, -1 if free
}

const never = math.MaxInt32

// NewOPT returns an empty OPT policy managing frames frames that plans with
// future, the page of each Access to come. It keeps future (the caller must
// not change it) and returns an error wrapping vm.ErrInvalidConfig when
// frames < 1 or future holds 2^31-1 or more references.
func NewOPT(frames int, future []vm.PageID) (*OPT, error) {
	if err := checkOPT(frames, future); err != nil {
		return nil, err
	}
	return newOPT(frames, future, NextUses(future)), nil
}

// NewOPTWithNextUse is NewOPT with the next-use table given, as traces that
// record each reference's next access carry it: nextUse[i] is the index j > i
// of the next reference to future[i], or math.MaxInt32 if there is none. It keeps both
// slices and returns an error wrapping vm.ErrInvalidConfig when the lengths
// differ or an entry points elsewhere than to a later reference of the same
// page (a table that skips a reference in between is not detected: it plans
// with a wrong future).
func NewOPTWithNextUse(frames int, future []vm.PageID, nextUse []int32) (*OPT, error) {
	if err := checkOPT(frames, future); err != nil {
		return nil, err
	}
	if err := checkNextUse(future, nextUse); err != nil {
		return nil, err
	}
	return newOPT(frames, future, nextUse), nil
}

func checkOPT(frames int, future []vm.PageID) error {
	if frames < 1 {
		return fmt.Errorf("replace: opt with %d frames: need at least 1: %w", frames, vm.ErrInvalidConfig)
	}
	if len(future) >= never {
		return fmt.Errorf("replace: opt: future of %d references is too long (max %d): %w", len(future), never-1, vm.ErrInvalidConfig)
	}
	return nil
}

// checkNextUse is NewOPTWithNextUse's check of a given next-use table.
func checkNextUse(future []vm.PageID, nextUse []int32) error {
	if len(nextUse) != len(future) {
		return fmt.Errorf("replace: opt: %d next uses for %d references: %w", len(nextUse), len(future), vm.ErrInvalidConfig)
	}
	for i, j := range nextUse {
		if j != never && (int(j) <= i || int(j) >= len(future) || future[j] != future[i]) {
			return fmt.Errorf("replace: opt: reference %d (page %v) gives %d as its next use, not a later reference of that page: %w",
				i, future[i], j, vm.ErrInvalidConfig)
		}
	}
	return nil
}

func newOPT(frames int, future []vm.PageID, nextUse []int32) *OPT {
	o := &OPT{
		t:       newFrameTable(frames),
		nextUse: nextUse,
		future:  future,
		key:     make([]int64, frames),
		heap:    make([]int32, 0, frames),
		pos:     make([]int32, frames),
	}
	for i := range o.pos {
		o.pos[i] = -1
	}
	return o
}

// NextUses returns, for each reference i of pages, the index j > i of the
// next reference to the same page, or math.MaxInt32 if there is none: the table OPT
// plans with. It makes one backward pass with an open-addressing table of
// the last index seen per page, 32 to 64 bytes per distinct page, freed on
// return. Preconditions: len(pages) < 2^31-1.
func NextUses(pages []vm.PageID) []int32 {
	next := make([]int32, len(pages))
	seen := newLastSeen(pages)
	for i := len(pages) - 1; i >= 0; i-- {
		if next[i] = seen.swap(int32(i)); next[i] < 0 {
			next[i] = never
		}
	}
	return next
}

// lastSeen maps a page to the last index stored for it: a hash table with
// open addressing and linear probing, each cell holding a page and its index
// plus one (0: empty), so that a probe never reaches into the trace. A cell
// costs 16 bytes; the table doubles when half full.
type lastSeen struct {
	pages []vm.PageID
	cells []seenCell
	shift uint
	n     int
}

type seenCell struct {
	page vm.PageID
	idx  int32 // index + 1; 0 marks an empty cell
}

func newLastSeen(pages []vm.PageID) lastSeen {
	s := lastSeen{pages: pages}
	s.resize(1 << 10)
	return s
}

func (s *lastSeen) resize(size int) {
	old := s.cells
	s.cells = make([]seenCell, size)
	s.shift = uint(64 - bits.TrailingZeros(uint(size)))
	for _, c := range old {
		if c.idx != 0 {
			s.cells[s.free(c.page)] = c
		}
	}
}

// free returns the first cell on p's probe sequence that is empty or holds p.
func (s *lastSeen) free(p vm.PageID) int {
	mask := len(s.cells) - 1
	for i := int((uint64(p) * 0x9E3779B97F4A7C15) >> s.shift); ; i = (i + 1) & mask {
		c := s.cells[i]
		if c.idx == 0 || c.page == p {
			return i
		}
	}
}

// swap stores i for pages[i] and returns the index stored before, or -1.
func (s *lastSeen) swap(i int32) int32 {
	p := s.pages[i]
	k := s.free(p)
	prev := s.cells[k].idx - 1
	s.cells[k] = seenCell{p, i + 1}
	if prev == -1 {
		if s.n++; 2*s.n > len(s.cells) {
			s.resize(2 * len(s.cells))
		}
	}
	return prev
}

// Name returns "opt".
func (o *OPT) Name() string { return "opt" }

// Frames returns the capacity.
func (o *OPT) Frames() int { return o.t.frames() }

// Len returns the number of resident pages.
func (o *OPT) Len() int { return o.t.used }

// Contains reports whether p is resident.
func (o *OPT) Contains(p vm.PageID) bool { _, ok := o.t.lookup(p); return ok }

// priority is the heap key of a page referenced at time i: its next use, or,
// for a page never used again, a value above every next use that is larger
// the older the reference (least recently used first among them).
func (o *OPT) priority(p vm.PageID, i int) int64 {
	if i < len(o.future) && o.future[i] == p && o.nextUse[i] != never {
		return int64(o.nextUse[i])
	}
	return 2*never - int64(i)
}

// Access records a reference to p; see the type's comment.
func (o *OPT) Access(p vm.PageID, _ bool) (hit bool, victim vm.PageID, evicted bool) {
	i := o.now
	o.now++
	if f, ok := o.t.lookup(p); ok {
		o.key[f] = o.priority(p, i)
		o.fix(o.pos[f])
		return true, 0, false
	}
	if !o.t.full() {
		f := o.t.load(p)
		o.key[f] = o.priority(p, i)
		o.pos[f] = int32(len(o.heap))
		o.heap = append(o.heap, f)
		o.up(len(o.heap) - 1)
		return false, 0, false
	}
	f := o.heap[0]
	victim = o.t.replace(f, p)
	o.key[f] = o.priority(p, i)
	o.down(0)
	return false, victim, true
}

// Remove forgets p.
func (o *OPT) Remove(p vm.PageID) bool {
	f, ok := o.t.lookup(p)
	if !ok {
		return false
	}
	i := int(o.pos[f])
	last := len(o.heap) - 1
	o.swap(i, last)
	o.heap = o.heap[:last]
	o.pos[f] = -1
	if i < last {
		o.fix(int32(i))
	}
	o.t.free(f)
	return true
}

// Resident appends the resident pages in frame order.
func (o *OPT) Resident(dst []vm.PageID) []vm.PageID {
	for f, used := range o.t.inUse {
		if used {
			dst = append(dst, o.t.page[f])
		}
	}
	return dst
}

func (o *OPT) less(i, j int) bool { return o.key[o.heap[i]] > o.key[o.heap[j]] }

func (o *OPT) swap(i, j int) {
	o.heap[i], o.heap[j] = o.heap[j], o.heap[i]
	o.pos[o.heap[i]] = int32(i)
	o.pos[o.heap[j]] = int32(j)
}

func (o *OPT) fix(i int32) {
	if !o.up(int(i)) {
		o.down(int(i))
	}
}

func (o *OPT) up(i int) bool {
	moved := false
	for i > 0 {
		parent := (i - 1) / 2
		if !o.less(i, parent) {
			break
		}
		o.swap(i, parent)
		i = parent
		moved = true
	}
	return moved
}

func (o *OPT) down(i int) {
	n := len(o.heap)
	for {
		l := 2*i + 1
		if l >= n {
			return
		}
		m := l
		if r := l + 1; r < n && o.less(r, l) {
			m = r
		}
		if !o.less(m, i) {
			return
		}
		o.swap(i, m)
		i = m
	}
}

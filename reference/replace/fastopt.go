package replace

import "github.com/vmkata/vmkata/vm"

// fastOPT is OPT (see its comment for the semantics) built for simulation:
// the same victims, found without touching memory at random on a hit.
//
//   - A resident page's key is, most of the time, the time of its next
//     reference, which is unique: the page's frame is filed under that time
//     in frameAt, so that reference i finds its frame at frameAt[i], read in
//     order, rather than in the page index. A reference with nothing filed
//     is a fault when the next-use table is NextUses' own and every
//     reference so far was the planned one: a resident page p planned for
//     reference i was last referenced, as planned, at the reference before
//     i to p, whose next use is i. Otherwise (a table a trace gave, which
//     may skip a reference, or a reference the plan did not foresee) it
//     asks the page index. So on the planned future nothing asks the index,
//     and it is not kept at all: it is built from the frames the first time
//     something does (Contains, Remove, a reference off the plan).
//   - The heap is a 4-ary max-heap with lazy deletion: an access pushes the
//     page's new key and leaves its old entry in place, stale. A push lands
//     at the end of the array and rarely climbs far, where updating the
//     entry in place (OPT's indexed heap) reads its position and its parent
//     at random. Stale entries are dropped when they reach the top and, when
//     the heap fills its 2 × frames entries, all at once, by rebuilding it
//     from the live ones in O(frames): O(1) amortized per access. (On the
//     planned future a stale key is a past time, below every live key, so it
//     never reaches the top.)
//
// Keys are OPT's priorities, which no two resident pages share, so the
// maximum live entry, the victim, does not depend on the heap's shape. The
// policy holds 16 bytes per reference: future, the next-use table and
// frameAt.
//
// Invariant: every used frame f has an entry {key[f], f} in heap, which is
// live: an entry {k, f} is live iff key[f] == k. (A frame freed by Remove
// keeps its key and its live entry until a page is loaded into it; a
// victim is chosen only when every frame is used, so the entry is never
// popped.) No entry's key is below a child's. frameAt[k] == f+1 iff frame f
// is used and key[f] == k is a next use (below never); every other element
// of frameAt is 0. Unless indexed, t.index is empty.
type fastOPT struct {
	t       frameTable
	nextUse []int32
	future  []vm.PageID
	frameAt []int32
	key     []int64 // per frame: its page's priority
	heap    []optEntry
	now     int
	exact   bool // nextUse is NextUses(future)
	offPlan bool // a reference so far was not the one future planned
	indexed bool // t.index is kept
}

// optEntry is a frame with the priority its page had when the entry was
// pushed.
type optEntry struct {
	key   int64
	frame int32
}

// newFastOPT returns fastOPT planning with future and its next-use table;
// exact tells that the table is NextUses(future).
func newFastOPT(frames int, future []vm.PageID, nextUse []int32, exact bool) *fastOPT {
	return &fastOPT{
		t:       newFrameTable(frames),
		nextUse: nextUse,
		future:  future,
		frameAt: make([]int32, len(future)),
		key:     make([]int64, frames),
		heap:    make([]optEntry, 0, 2*frames),
		exact:   exact,
	}
}

func (o *fastOPT) Name() string              { return "opt" }
func (o *fastOPT) Frames() int               { return o.t.frames() }
func (o *fastOPT) Len() int                  { return o.t.used }
func (o *fastOPT) Contains(p vm.PageID) bool { _, ok := o.lookup(p); return ok }

// lookup returns the frame holding p, from the page index, which it builds
// if it is not kept yet.
func (o *fastOPT) lookup(p vm.PageID) (int32, bool) {
	if !o.indexed {
		o.t.indexAll()
		o.indexed = true
	}
	return o.t.lookup(p)
}

// priority is OPT.priority: the next use of p referenced at time i, or, if
// there is none, a value above every next use, larger the older i. planned
// reports the first case.
func (o *fastOPT) priority(p vm.PageID, i int) (key int64, planned bool) {
	if i < len(o.future) && o.future[i] == p && o.nextUse[i] != never {
		return int64(o.nextUse[i]), true
	}
	return 2*never - int64(i), false
}

func (o *fastOPT) Access(p vm.PageID, _ bool) (hit bool, victim vm.PageID, evicted bool) {
	i := o.now
	o.now++
	key, planned := o.priority(p, i)
	onPlan := i < len(o.future) && o.future[i] == p
	if onPlan && o.frameAt[i] != 0 {
		f := o.frameAt[i] - 1
		o.frameAt[i] = 0 // f's key was i
		o.setKey(f, key, planned)
		return true, 0, false
	}
	o.offPlan = o.offPlan || !onPlan
	var f int32
	ok := false
	if !o.exact || o.offPlan {
		f, ok = o.lookup(p)
	}
	switch {
	case ok:
		o.unfile(o.key[f])
		hit = true
	case !o.t.full() && o.indexed:
		f = o.t.load(p)
	case !o.t.full():
		f = o.t.take(p)
	default:
		f = o.popVictim()
		o.unfile(o.key[f])
		if o.indexed {
			victim = o.t.replace(f, p)
		} else {
			victim, o.t.page[f] = o.t.page[f], p
		}
		evicted = true
	}
	o.setKey(f, key, planned)
	return hit, victim, evicted
}

// setKey gives frame f the key key, files it under key if planned (key is
// a next use), and pushes its entry.
func (o *fastOPT) setKey(f int32, key int64, planned bool) {
	o.key[f] = key
	if planned {
		o.frameAt[key] = f + 1
	}
	if len(o.heap) == cap(o.heap) {
		o.dropStale()
	}
	o.heap = append(o.heap, optEntry{key, f})
	o.up(len(o.heap) - 1)
}

// unfile forgets the frame filed under key, if any. (Past 2^31 references,
// a key that is not a next use may fall in frameAt and clear another
// frame's entry; that frame's next reference then asks the page index.)
func (o *fastOPT) unfile(key int64) {
	if 0 <= key && key < int64(len(o.frameAt)) {
		o.frameAt[key] = 0
	}
}

func (o *fastOPT) live(e optEntry) bool { return o.key[e.frame] == e.key }

// popVictim removes the live entry with the largest key, and the stale ones
// above it, and returns its frame. Preconditions: memory is full.
func (o *fastOPT) popVictim() int32 {
	for {
		top := o.heap[0]
		last := len(o.heap) - 1
		o.heap[0] = o.heap[last]
		o.heap = o.heap[:last]
		if last > 0 {
			o.down(0)
		}
		if o.live(top) {
			return top.frame
		}
	}
}

// dropStale rebuilds the heap from its live entries (Floyd's bottom-up
// heap construction).
func (o *fastOPT) dropStale() {
	n := 0
	for _, e := range o.heap {
		if o.live(e) {
			o.heap[n] = e
			n++
		}
	}
	o.heap = o.heap[:n]
	for k := (n - 2) / 4; n > 1 && k >= 0; k-- { // from the last entry's parent
		o.down(k)
	}
}

func (o *fastOPT) Remove(p vm.PageID) bool {
	f, ok := o.lookup(p)
	if ok {
		o.unfile(o.key[f])
		o.t.free(f)
	}
	return ok
}

func (o *fastOPT) Resident(dst []vm.PageID) []vm.PageID {
	for f, used := range o.t.inUse {
		if used {
			dst = append(dst, o.t.page[f])
		}
	}
	return dst
}

// up moves the entry at k toward the root past every ancestor with a
// smaller key.
func (o *fastOPT) up(k int) {
	e := o.heap[k]
	for k > 0 {
		parent := (k - 1) / 4
		if o.heap[parent].key >= e.key {
			break
		}
		o.heap[k] = o.heap[parent]
		k = parent
	}
	o.heap[k] = e
}

// down moves the entry at k toward the leaves, below every child with a
// larger key, taking the largest child's place at each level.
func (o *fastOPT) down(k int) {
	e := o.heap[k]
	n := len(o.heap)
	for {
		first := 4*k + 1
		if first >= n {
			break
		}
		m := first
		for c := first + 1; c < min(first+4, n); c++ {
			if o.heap[c].key > o.heap[m].key {
				m = c
			}
		}
		if o.heap[m].key <= e.key {
			break
		}
		o.heap[k] = o.heap[m]
		k = m
	}
	o.heap[k] = e
}

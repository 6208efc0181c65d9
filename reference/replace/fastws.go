package replace

import "github.com/vmkata/vmkata/vm"

// fastWorkingSet is WorkingSet (see its comment for the semantics) built
// for simulation: the same victims and the same releases, with each page's
// number, last use and recency links in one node, so that a reference or a
// release touches one cache line where WorkingSet reads four arrays. Which
// frame holds a page shows through none of vm.Policy's methods (the
// resident order is the recency order), so free frames wait on a stack
// instead of WorkingSet's lowest-first heap.
//
// Invariant: node[s] (s = frames) is the sentinel of a circular list of the
// used frames, oldest last use first; index maps node[f].page to f for
// every used frame f and holds nothing else; free holds the other frames.
type fastWorkingSet struct {
	index    pageIndex
	node     []wsNode
	free     []int32
	window   uint64
	now      uint64
	released []vm.PageID // pages released by the latest Access
}

// wsNode is one frame of fastWorkingSet: its page, when it was last
// referenced, and its neighbours on the recency list.
type wsNode struct {
	page       vm.PageID
	lastUse    uint64
	prev, next int32
}

func newFastWorkingSet(frames, window int) *fastWorkingSet {
	w := &fastWorkingSet{
		index: newPageIndex(frames), node: make([]wsNode, frames+1),
		free: make([]int32, frames), window: uint64(window),
		released: make([]vm.PageID, 0, frames),
	}
	for i := range w.free {
		w.free[i] = int32(frames - 1 - i)
	}
	s := w.sentinel()
	w.node[s].prev, w.node[s].next = s, s
	return w
}

func (w *fastWorkingSet) sentinel() int32 { return int32(len(w.node) - 1) }

func (w *fastWorkingSet) Name() string              { return "ws" }
func (w *fastWorkingSet) Frames() int               { return len(w.node) - 1 }
func (w *fastWorkingSet) Len() int                  { return w.Frames() - len(w.free) }
func (w *fastWorkingSet) Contains(p vm.PageID) bool { _, ok := w.index.get(p); return ok }

func (w *fastWorkingSet) Access(p vm.PageID, _ bool) (hit bool, victim vm.PageID, evicted bool) {
	w.now++
	w.released = w.released[:0]
	f, hit := w.index.get(p)
	switch {
	case hit:
		w.unlink(f)
	case len(w.free) == 0:
		f = w.node[w.sentinel()].next
		victim, evicted = w.node[f].page, true
		w.index.del(victim)
		w.unlink(f)
	default:
		f = w.free[len(w.free)-1]
		w.free = w.free[:len(w.free)-1]
	}
	if !hit {
		w.node[f].page = p
		w.index.put(p, f)
	}
	w.node[f].lastUse = w.now
	w.pushBack(f)
	for w.now >= w.window {
		f := w.node[w.sentinel()].next
		if f == w.sentinel() || w.node[f].lastUse > w.now-w.window {
			break
		}
		w.released = append(w.released, w.node[f].page)
		w.release(f)
	}
	return hit, victim, evicted
}

// Released appends the pages the latest Access released from the working
// set (see vm.Releaser).
func (w *fastWorkingSet) Released(dst []vm.PageID) []vm.PageID { return append(dst, w.released...) }

func (w *fastWorkingSet) Remove(p vm.PageID) bool {
	f, ok := w.index.get(p)
	if ok {
		w.release(f)
	}
	return ok
}

// release empties the used frame f.
func (w *fastWorkingSet) release(f int32) {
	w.index.del(w.node[f].page)
	w.unlink(f)
	w.free = append(w.free, f)
}

func (w *fastWorkingSet) Resident(dst []vm.PageID) []vm.PageID {
	s := w.sentinel()
	for f := w.node[s].next; f != s; f = w.node[f].next {
		dst = append(dst, w.node[f].page)
	}
	return dst
}

func (w *fastWorkingSet) unlink(f int32) {
	n := &w.node[f]
	w.node[n.prev].next = n.next
	w.node[n.next].prev = n.prev
}

func (w *fastWorkingSet) pushBack(f int32) {
	s := w.sentinel()
	last := w.node[s].prev
	w.node[last].next = f
	w.node[f].prev, w.node[f].next = last, s
	w.node[s].prev = f
}

package replace

import "github.com/vmkata/vmkata/vm"

// frameTable is the bookkeeping every policy shares: a dense array of frames
// (slots), which page each holds, and an index from page to frame. Policies
// keep their per-page state in parallel arrays indexed by frame, so nothing
// is allocated per access.
//
// A new page goes into the lowest-numbered free frame. Frames are used in
// order 0, 1, 2, … while memory fills; a frame freed by Remove (or by the
// working-set policy's releases) is reused before any higher one.
//
// Invariant: index maps page[f] to f for every used frame f, and holds
// nothing else.
type frameTable struct {
	page  []vm.PageID // frame -> page; valid where inUse
	inUse []bool      // frame -> holds a page
	index pageIndex   // page -> frame, resident pages only (open addressing)
	fresh int32       // frames fresh..len-1 have never been used
	freed []int32     // min-heap of frames below fresh that are free
	used  int         // number of resident pages
}

func newFrameTable(frames int) frameTable {
	return frameTable{
		page:  make([]vm.PageID, frames),
		inUse: make([]bool, frames),
		index: newPageIndex(frames),
		freed: make([]int32, 0, frames),
	}
}

func (t *frameTable) frames() int { return len(t.page) }
func (t *frameTable) full() bool  { return t.used == len(t.page) }

// lookup returns the frame holding p.
func (t *frameTable) lookup(p vm.PageID) (int32, bool) {
	return t.index.get(p)
}

// load puts p into the lowest free frame and returns it.
// Preconditions: !t.full(); p is not resident.
func (t *frameTable) load(p vm.PageID) int32 {
	f := t.take(p)
	t.index.put(p, f)
	return f
}

// take is load without the page index, for a caller that keeps it itself
// (see indexAll).
func (t *frameTable) take(p vm.PageID) int32 {
	var f int32
	if len(t.freed) > 0 {
		f = t.freed[0]
		n := len(t.freed) - 1
		t.freed[0] = t.freed[n]
		t.freed = t.freed[:n]
		siftDown(t.freed, 0)
	} else {
		f = t.fresh
		t.fresh++
	}
	t.page[f] = p
	t.inUse[f] = true
	t.used++
	return f
}

// indexAll puts every resident page in the page index, which must be empty.
func (t *frameTable) indexAll() {
	for f, used := range t.inUse {
		if used {
			t.index.put(t.page[f], int32(f))
		}
	}
}

// replace puts p into frame f in place of the page there, which it returns.
// Preconditions: f is in use; p is not resident.
func (t *frameTable) replace(f int32, p vm.PageID) vm.PageID {
	old := t.page[f]
	t.index.del(old)
	t.page[f] = p
	t.index.put(p, f)
	return old
}

// free empties frame f and returns the page it held.
// Preconditions: f is in use.
func (t *frameTable) free(f int32) vm.PageID {
	old := t.page[f]
	t.index.del(old)
	t.inUse[f] = false
	t.used--
	t.freed = append(t.freed, f)
	siftUp(t.freed, len(t.freed)-1)
	return old
}

func siftUp(h []int32, i int) {
	for i > 0 {
		parent := (i - 1) / 2
		if h[parent] <= h[i] {
			return
		}
		h[parent], h[i] = h[i], h[parent]
		i = parent
	}
}

func siftDown(h []int32, i int) {
	for {
		l := 2*i + 1
		if l >= len(h) {
			return
		}
		m := l
		if r := l + 1; r < len(h) && h[r] < h[l] {
			m = r
		}
		if h[i] <= h[m] {
			return
		}
		h[i], h[m] = h[m], h[i]
		i = m
	}
}

// list is an intrusive doubly linked list of frames, the structure behind
// FIFO, LRU, second chance and the working set: the links are indexed by
// frame (prev and next side by side, one cache line for both), and the extra
// element at index n (the number of frames) is the sentinel, so the list is
// circular and needs no nil checks.
//
// Invariant: a frame is on the list iff its next link is not -1.
type list struct {
	link []link
}

type link struct{ prev, next int32 }

func newList(frames int) list {
	l := list{link: make([]link, frames+1)}
	for i := range l.link {
		l.link[i] = link{-1, -1}
	}
	s := int32(frames)
	l.link[s] = link{s, s}
	return l
}

func (l *list) sentinel() int32 { return int32(len(l.link) - 1) }

// front returns the first frame, or false if the list is empty.
func (l *list) front() (int32, bool) {
	s := l.sentinel()
	f := l.link[s].next
	return f, f != s
}

// pushBack appends f. Preconditions: f is not on the list.
func (l *list) pushBack(f int32) {
	s := l.sentinel()
	last := l.link[s].prev
	l.link[last].next = f
	l.link[f] = link{prev: last, next: s}
	l.link[s].prev = f
}

// remove unlinks f. Preconditions: f is on the list.
func (l *list) remove(f int32) {
	p, n := l.link[f].prev, l.link[f].next
	l.link[p].next = n
	l.link[n].prev = p
	l.link[f] = link{-1, -1}
}

// moveToBack makes f the last element.
func (l *list) moveToBack(f int32) {
	if l.link[l.sentinel()].prev == f {
		return
	}
	l.remove(f)
	l.pushBack(f)
}

// appendPages appends the pages of the listed frames, front to back.
func (l *list) appendPages(dst []vm.PageID, t *frameTable) []vm.PageID {
	s := l.sentinel()
	for f := l.link[s].next; f != s; f = l.link[f].next {
		dst = append(dst, t.page[f])
	}
	return dst
}

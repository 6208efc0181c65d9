package replace

import "github.com/vmkata/vmkata/vm"

func init() {
	register("lru", func(frames int, _ Options) (vm.Policy, error) { return NewLRU(frames) })
}

// LRU is least-recently-used replacement: the victim is the page whose last
// reference is the oldest. It approximates OPT by assuming that the recent
// past predicts the near future (locality of reference).
//
//   - Hit: the page becomes the most recently used.
//   - Fault, memory full: the least recently used page is evicted; the new
//     page becomes the most recently used.
//   - Fault, free frame: the new page becomes the most recently used.
//   - Resident order: least recently used first (the next victim first).
//
// There are no ties: every reference has its own time. LRU is a stack
// algorithm (the k most recently used pages are always among the k+1 most
// recently used), so it never shows Belady's anomaly: more frames never mean
// more faults.
//
// Every operation is O(1): an intrusive doubly linked list over the frame
// array, ordered by recency, as golang-lru's simplelru keeps its entries.
type LRU struct {
	t       frameTable
	recency list // frames from least to most recently used
}

// NewLRU returns an empty LRU policy managing frames frames.
// It returns an error wrapping vm.ErrInvalidConfig if frames < 1.
func NewLRU(frames int) (*LRU, error) {
	if err := checkFrames("lru", frames); err != nil {
		return nil, err
	}
	return &LRU{t: newFrameTable(frames), recency: newList(frames)}, nil
}

// Name returns "lru".
func (l *LRU) Name() string { return "lru" }

// Frames returns the capacity.
func (l *LRU) Frames() int { return l.t.frames() }

// Len returns the number of resident pages.
func (l *LRU) Len() int { return l.t.used }

// Contains reports whether p is resident, without making it recently used.
func (l *LRU) Contains(p vm.PageID) bool { _, ok := l.t.lookup(p); return ok }

// Access records a reference to p; see the type's comment.
func (l *LRU) Access(p vm.PageID, _ bool) (hit bool, victim vm.PageID, evicted bool) {
	if f, ok := l.t.lookup(p); ok {
		l.recency.moveToBack(f)
		return true, 0, false
	}
	if l.t.full() {
		f, _ := l.recency.front()
		victim = l.t.replace(f, p)
		l.recency.moveToBack(f)
		return false, victim, true
	}
	l.recency.pushBack(l.t.load(p))
	return false, 0, false
}

// Remove forgets p.
func (l *LRU) Remove(p vm.PageID) bool {
	f, ok := l.t.lookup(p)
	if ok {
		l.recency.remove(f)
		l.t.free(f)
	}
	return ok
}

// Resident appends the resident pages, least recently used first.
func (l *LRU) Resident(dst []vm.PageID) []vm.PageID { return l.recency.appendPages(dst, &l.t) }

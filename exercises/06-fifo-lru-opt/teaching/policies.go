// Package teaching is a learner-sized solution of exercise 06: FIFO, LRU,
// OPT and the Belady-anomaly detector with the same API and behaviour as the
// reference (reference/replace), written for reading rather than speed.
// The reference shares a dense frame table with an open-addressing page
// index and O(1) intrusive lists among eighteen policies; here each policy
// is a slice of pages kept in its own order, scanned linearly, which is
// O(frames) per access and plenty for learning and for the specs.
//
// The contract is the exercise's (exercises/06-fifo-lru-opt/policies.go):
// every rule there holds here, and the exercise's specs check it
// (teaching_test.go).
package teaching

import (
	"fmt"
	"math"
	"slices"

	"github.com/vmkata/vmkata/vm"
)

// checkFrames refuses a policy without frames.
func checkFrames(name string, frames int) error {
	if frames < 1 {
		return fmt.Errorf("replace: %s with %d frames: need at least 1: %w", name, frames, vm.ErrInvalidConfig)
	}
	return nil
}

// queue is the resident pages in victim order: the next victim first. FIFO
// and LRU differ only in what a hit does to it.
type queue struct {
	frames int
	pages  []vm.PageID
}

// access is a reference to p. On a hit it moves p to the back when
// refresh is set (LRU) and leaves it in place otherwise (FIFO). On a miss
// it evicts the front page if memory is full, then appends p.
func (q *queue) access(p vm.PageID, refresh bool) (hit bool, victim vm.PageID, evicted bool) {
	if i := slices.Index(q.pages, p); i >= 0 {
		if refresh {
			q.pages = append(slices.Delete(q.pages, i, i+1), p)
		}
		return true, 0, false
	}
	if len(q.pages) == q.frames {
		victim, evicted = q.pages[0], true
		q.pages = slices.Delete(q.pages, 0, 1)
	}
	q.pages = append(q.pages, p)
	return false, victim, evicted
}

// remove forgets p and reports whether it was resident.
func (q *queue) remove(p vm.PageID) bool {
	i := slices.Index(q.pages, p)
	if i < 0 {
		return false
	}
	q.pages = slices.Delete(q.pages, i, i+1)
	return true
}

// FIFO evicts the page loaded earliest. Resident order: oldest load first.
type FIFO struct{ q queue }

// NewFIFO returns an empty FIFO policy managing frames frames.
func NewFIFO(frames int) (*FIFO, error) {
	if err := checkFrames("fifo", frames); err != nil {
		return nil, err
	}
	return &FIFO{queue{frames: frames}}, nil
}

// Name returns "fifo".
func (f *FIFO) Name() string { return "fifo" }

// Frames returns the number of frames the policy manages.
func (f *FIFO) Frames() int { return f.q.frames }

// Len returns the number of resident pages.
func (f *FIFO) Len() int { return len(f.q.pages) }

// Contains reports whether p is resident.
func (f *FIFO) Contains(p vm.PageID) bool { return slices.Contains(f.q.pages, p) }

// Access records a reference to p; a hit changes nothing.
func (f *FIFO) Access(p vm.PageID, _ bool) (hit bool, victim vm.PageID, evicted bool) {
	return f.q.access(p, false)
}

// Remove forgets p and reports whether it was resident.
func (f *FIFO) Remove(p vm.PageID) bool { return f.q.remove(p) }

// Resident appends the resident pages to dst, oldest load first.
func (f *FIFO) Resident(dst []vm.PageID) []vm.PageID { return append(dst, f.q.pages...) }

// LRU evicts the page whose last reference is the oldest. Resident order:
// least recently used first.
type LRU struct{ q queue }

// NewLRU returns an empty LRU policy managing frames frames.
func NewLRU(frames int) (*LRU, error) {
	if err := checkFrames("lru", frames); err != nil {
		return nil, err
	}
	return &LRU{queue{frames: frames}}, nil
}

// Name returns "lru".
func (l *LRU) Name() string { return "lru" }

// Frames returns the number of frames the policy manages.
func (l *LRU) Frames() int { return l.q.frames }

// Len returns the number of resident pages.
func (l *LRU) Len() int { return len(l.q.pages) }

// Contains reports whether p is resident.
func (l *LRU) Contains(p vm.PageID) bool { return slices.Contains(l.q.pages, p) }

// Access records a reference to p; a hit makes p the most recently used.
func (l *LRU) Access(p vm.PageID, _ bool) (hit bool, victim vm.PageID, evicted bool) {
	return l.q.access(p, true)
}

// Remove forgets p and reports whether it was resident.
func (l *LRU) Remove(p vm.PageID) bool { return l.q.remove(p) }

// Resident appends the resident pages to dst, least recently used first.
func (l *LRU) Resident(dst []vm.PageID) []vm.PageID { return append(dst, l.q.pages...) }

// never is the next use of a page that is not used again.
const never = math.MaxInt32

// optFrame is one frame of OPT.
type optFrame struct {
	page vm.PageID
	used bool
	key  int64 // eviction priority: the largest goes first
}

// OPT evicts the page used farthest in the future. Resident order: frame
// order.
type OPT struct {
	frames  []optFrame
	future  []vm.PageID
	nextUse []int // nextUse[i]: the next j > i with future[j] == future[i], or never
	now     int   // Access calls so far
	n       int   // used frames
}

// NewOPT returns an empty OPT policy managing frames frames that plans with
// future.
func NewOPT(frames int, future []vm.PageID) (*OPT, error) {
	if err := checkFrames("opt", frames); err != nil {
		return nil, err
	}
	if len(future) >= never {
		return nil, fmt.Errorf("replace: opt: future of %d references is too long (max %d): %w", len(future), never-1, vm.ErrInvalidConfig)
	}
	o := &OPT{frames: make([]optFrame, frames), future: future, nextUse: make([]int, len(future))}
	last := map[vm.PageID]int{} // page -> the earliest position seen so far, scanning backwards
	for i := len(future) - 1; i >= 0; i-- {
		o.nextUse[i] = never
		if j, ok := last[future[i]]; ok {
			o.nextUse[i] = j
		}
		last[future[i]] = i
	}
	return o, nil
}

// key is the eviction priority of page p referenced at position i: its
// next use when future[i] is p and p is used again; otherwise above every
// next use, and the higher the older i is, so that among pages never used
// again the least recently used goes first.
func (o *OPT) key(p vm.PageID, i int) int64 {
	if i < len(o.future) && o.future[i] == p && o.nextUse[i] != never {
		return int64(o.nextUse[i])
	}
	return 2*never - int64(i)
}

// find returns the frame holding p, or -1.
func (o *OPT) find(p vm.PageID) int {
	return slices.IndexFunc(o.frames, func(f optFrame) bool { return f.used && f.page == p })
}

// Name returns "opt".
func (o *OPT) Name() string { return "opt" }

// Frames returns the number of frames the policy manages.
func (o *OPT) Frames() int { return len(o.frames) }

// Len returns the number of resident pages.
func (o *OPT) Len() int { return o.n }

// Contains reports whether p is resident.
func (o *OPT) Contains(p vm.PageID) bool { return o.find(p) >= 0 }

// Access records the reference to p at position now.
func (o *OPT) Access(p vm.PageID, _ bool) (hit bool, victim vm.PageID, evicted bool) {
	i := o.now
	o.now++
	if f := o.find(p); f >= 0 {
		o.frames[f].key = o.key(p, i)
		return true, 0, false
	}
	f := slices.IndexFunc(o.frames, func(f optFrame) bool { return !f.used })
	if f >= 0 {
		o.n++
	} else {
		f = 0
		for g := range o.frames {
			if o.frames[g].key > o.frames[f].key {
				f = g
			}
		}
		victim, evicted = o.frames[f].page, true
	}
	o.frames[f] = optFrame{page: p, used: true, key: o.key(p, i)}
	return false, victim, evicted
}

// Remove forgets p and reports whether it was resident.
func (o *OPT) Remove(p vm.PageID) bool {
	f := o.find(p)
	if f < 0 {
		return false
	}
	o.frames[f] = optFrame{}
	o.n--
	return true
}

// Resident appends the resident pages to dst in frame order.
func (o *OPT) Resident(dst []vm.PageID) []vm.PageID {
	for _, f := range o.frames {
		if f.used {
			dst = append(dst, f.page)
		}
	}
	return dst
}

// BeladyAnomaly returns the smallest k < maxFrames with faults(k+1) >
// faults(k) under FIFO, and true; or 0 and false.
func BeladyAnomaly(refs []vm.PageID, maxFrames int) (frames int, found bool) {
	prev := 0
	for k := 1; k <= maxFrames; k++ {
		fifo := queue{frames: k}
		faults := 0
		for _, p := range refs {
			if hit, _, _ := fifo.access(p, false); !hit {
				faults++
			}
		}
		if k > 1 && faults > prev {
			return k - 1, true
		}
		prev = faults
	}
	return 0, false
}

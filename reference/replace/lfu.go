package replace

import (
	"fmt"

	"github.com/vmkata/vmkata/vm"
)

func init() {
	register("lfu", func(frames int, opts Options) (vm.Policy, error) {
		return NewLFU(frames, opts.DecayEvery)
	})
}

// LFU is least-frequently-used replacement: the victim is the resident page
// with the smallest reference count. Counts are per residency: a page's
// count starts at 1 when it is loaded and is forgotten when it leaves.
//
//   - Hit: the page's count grows by 1.
//   - Fault, memory full: evict the page with the smallest count; among equal
//     counts, the least recently used one (whose last reference is the
//     oldest). The new page comes in with count 1.
//   - Fault, free frame: the new page comes in with count 1.
//   - Decay (optional, every decayEvery accesses, after the access): every
//     count is halved, rounding down (1 becomes 0), so that pages popular
//     long ago stop crowding out today's. The order among equal counts stays
//     least recently used first.
//   - Resident order: the eviction order, smallest count first, least
//     recently used first among equal counts.
//
// LFU keeps a page that was hot once, long ago (that is what decay is for),
// and a new page, at count 1, is the first candidate to go. It is not a
// stack algorithm.
//
// Access is O(1): the constant-time LFU of Shah, Mitra and Matani (2010), a
// list of frequency buckets in increasing count, each a list of its pages in
// recency order. A decay walks every bucket, O(n) once every decayEvery
// accesses: O(n/decayEvery) amortized.
type LFU struct{ freqList }

// NewLFU returns an empty LFU policy managing frames frames that halves every
// count after each decayEvery accesses (0: never).
// It returns an error wrapping
// vm.ErrInvalidConfig if frames < 1 or decayEvery < 0.
func NewLFU(frames, decayEvery int) (*LFU, error) {
	if err := checkFrames("lfu", frames); err != nil {
		return nil, err
	}
	if decayEvery < 0 {
		return nil, fmt.Errorf("replace: lfu: decayEvery %d is negative: %w", decayEvery, vm.ErrInvalidConfig)
	}
	return &LFU{newFreqList(frames, decayEvery)}, nil
}

// Name returns "lfu".
func (l *LFU) Name() string { return "lfu" }

// Access records a reference to p; see the type's comment.
func (l *LFU) Access(p vm.PageID, _ bool) (hit bool, victim vm.PageID, evicted bool) {
	return l.access(p, false)
}

// Resident appends the resident pages in eviction order.
func (l *LFU) Resident(dst []vm.PageID) []vm.PageID { return l.appendPages(dst, false) }

// freqList is the shared bookkeeping of LFU and MFU: frames grouped into
// buckets of equal count, the buckets on a list in increasing count, and in
// each bucket its frames from least to most recently used.
//
// Buckets are nodes of a pool: node b holds count[b] and the frame list
// head[b]/tail[b]; node nb (index frames+1) is the sentinel of the circular
// bucket list. At most frames buckets are non-empty and an empty bucket is
// freed at once, so the pool never runs out.
//
// Invariant: bucket counts strictly increase from bnext[nb]; every resident
// frame is in exactly one bucket; within a bucket lastUse increases from
// head to tail.
type freqList struct {
	t          frameTable
	fprev      []int32 // per frame: neighbours in its bucket; -1 at the ends
	fnext      []int32
	bucketOf   []int32  // per frame: its bucket node
	lastUse    []uint64 // per frame: time of its latest reference
	count      []uint64 // per bucket node
	head, tail []int32  // per bucket node
	bprev      []int32  // per bucket node: neighbours on the bucket list
	bnext      []int32
	bfree      []int32 // free bucket nodes
	now        uint64
	decayEvery int
	since      int
}

func newFreqList(frames, decayEvery int) freqList {
	nodes := frames + 2 // frames buckets, one spare for a move, the sentinel
	l := freqList{
		t:     newFrameTable(frames),
		fprev: make([]int32, frames), fnext: make([]int32, frames),
		bucketOf: make([]int32, frames), lastUse: make([]uint64, frames),
		count: make([]uint64, nodes), head: make([]int32, nodes), tail: make([]int32, nodes),
		bprev: make([]int32, nodes), bnext: make([]int32, nodes),
		bfree:      make([]int32, 0, nodes),
		decayEvery: decayEvery,
	}
	nb := l.sentinel()
	l.bprev[nb], l.bnext[nb] = nb, nb
	for b := nb - 1; b >= 0; b-- {
		l.bfree = append(l.bfree, b)
	}
	return l
}

func (l *freqList) sentinel() int32 { return int32(len(l.count) - 1) }

// Frames returns the capacity.
func (l *freqList) Frames() int { return l.t.frames() }

// Len returns the number of resident pages.
func (l *freqList) Len() int { return l.t.used }

// Contains reports whether p is resident, without counting a reference.
func (l *freqList) Contains(p vm.PageID) bool { _, ok := l.t.lookup(p); return ok }

// Count returns p's reference count, or false if p is not resident.
func (l *freqList) Count(p vm.PageID) (uint64, bool) {
	f, ok := l.t.lookup(p)
	if !ok {
		return 0, false
	}
	return l.count[l.bucketOf[f]], true
}

// Remove forgets p and its count.
func (l *freqList) Remove(p vm.PageID) bool {
	f, ok := l.t.lookup(p)
	if ok {
		l.unlink(f)
		l.t.free(f)
	}
	return ok
}

// access is LFU's Access when mostFrequent is false, MFU's when true: they
// differ only in which end of the bucket list the victim comes from.
func (l *freqList) access(p vm.PageID, mostFrequent bool) (hit bool, victim vm.PageID, evicted bool) {
	l.now++
	if f, ok := l.t.lookup(p); ok {
		hit = true
		b := l.bucketOf[f]
		c := l.count[b] + 1
		nb := l.bnext[b]
		if nb == l.sentinel() || l.count[nb] != c {
			nb = l.newBucket(c, b)
		}
		l.unlink(f)
		l.lastUse[f] = l.now
		l.appendFrame(nb, f)
	} else {
		var f int32
		if l.t.full() {
			var b int32
			if mostFrequent {
				b = l.bprev[l.sentinel()]
			} else {
				b = l.bnext[l.sentinel()]
			}
			f = l.head[b]
			l.unlink(f)
			victim, evicted = l.t.replace(f, p), true
		} else {
			f = l.t.load(p)
		}
		l.lastUse[f] = l.now
		l.appendFrame(l.bucketForOne(), f)
	}
	if l.decayEvery > 0 {
		if l.since++; l.since == l.decayEvery {
			l.since = 0
			l.decay()
		}
	}
	return hit, victim, evicted
}

// bucketForOne returns the bucket of count 1, making it if needed. Only a
// decay makes counts below 1, so it is the first or second bucket.
func (l *freqList) bucketForOne() int32 {
	after := l.sentinel()
	for b := l.bnext[after]; b != l.sentinel() && l.count[b] <= 1; b = l.bnext[b] {
		if l.count[b] == 1 {
			return b
		}
		after = b
	}
	return l.newBucket(1, after)
}

// newBucket makes an empty bucket of count c after bucket node after.
func (l *freqList) newBucket(c uint64, after int32) int32 {
	b := l.bfree[len(l.bfree)-1]
	l.bfree = l.bfree[:len(l.bfree)-1]
	l.count[b] = c
	l.head[b], l.tail[b] = -1, -1
	n := l.bnext[after]
	l.bprev[b], l.bnext[b] = after, n
	l.bnext[after] = b
	l.bprev[n] = b
	return b
}

func (l *freqList) freeBucket(b int32) {
	p, n := l.bprev[b], l.bnext[b]
	l.bnext[p] = n
	l.bprev[n] = p
	l.bfree = append(l.bfree, b)
}

// appendFrame puts frame f at the tail (most recent end) of bucket b.
func (l *freqList) appendFrame(b, f int32) {
	l.bucketOf[f] = b
	l.fnext[f] = -1
	l.fprev[f] = l.tail[b]
	if l.tail[b] >= 0 {
		l.fnext[l.tail[b]] = f
	} else {
		l.head[b] = f
	}
	l.tail[b] = f
}

// unlink takes f out of its bucket, freeing the bucket if it empties.
func (l *freqList) unlink(f int32) {
	b := l.bucketOf[f]
	p, n := l.fprev[f], l.fnext[f]
	if p >= 0 {
		l.fnext[p] = n
	} else {
		l.head[b] = n
	}
	if n >= 0 {
		l.fprev[n] = p
	} else {
		l.tail[b] = p
	}
	if l.head[b] < 0 {
		l.freeBucket(b)
	}
}

// decay halves every count. Neighbouring buckets whose counts halve to the
// same value (2k and 2k+1) merge, their frames interleaved by lastUse.
func (l *freqList) decay() {
	nb := l.sentinel()
	for b := l.bnext[nb]; b != nb; {
		next := l.bnext[b]
		l.count[b] /= 2
		if prev := l.bprev[b]; prev != nb && l.count[prev] == l.count[b] {
			l.merge(prev, b)
		}
		b = next
	}
}

// merge moves the frames of bucket b into bucket a, keeping lastUse order,
// and frees b.
func (l *freqList) merge(a, b int32) {
	x, y := l.head[a], l.head[b]
	l.head[a], l.tail[a] = -1, -1
	for x >= 0 || y >= 0 {
		var f int32
		if y < 0 || (x >= 0 && l.lastUse[x] < l.lastUse[y]) {
			f, x = x, l.fnext[x]
		} else {
			f, y = y, l.fnext[y]
		}
		l.appendFrame(a, f)
	}
	l.head[b], l.tail[b] = -1, -1
	l.freeBucket(b)
}

// appendPages appends the resident pages bucket by bucket (in increasing
// count, or decreasing if mostFrequent), least recently used first within
// each.
func (l *freqList) appendPages(dst []vm.PageID, mostFrequent bool) []vm.PageID {
	nb := l.sentinel()
	step := l.bnext
	if mostFrequent {
		step = l.bprev
	}
	for b := step[nb]; b != nb; b = step[b] {
		for f := l.head[b]; f >= 0; f = l.fnext[f] {
			dst = append(dst, l.t.page[f])
		}
	}
	return dst
}

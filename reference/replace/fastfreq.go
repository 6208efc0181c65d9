package replace

import "github.com/vmkata/vmkata/vm"

// fastFreq is LFU or MFU (see their comments for the semantics) built for
// simulation: the same constant-time frequency buckets as freqList, the
// same victims and the same resident order, with each frame's page, last
// use, bucket and links in one node and each bucket's count, ends and links
// in another, so that a reference touches a cache line per node where
// freqList reads one array per field. A page alone in its bucket (a popular
// page, whose count no other page shares) takes its bucket along to the
// next count rather than moving to a new one. Which frame holds a page
// shows through none of vm.Policy's methods (the resident order is the
// eviction order), so free frames wait on a stack.
//
// Invariant: freqList's, with the fields of its arrays moved into frame and
// bucket; free holds the frames that are not in a bucket.
type fastFreq struct {
	index        pageIndex
	frame        []freqFrame
	bucket       []freqBucket // frames+1 buckets, then the sentinel of the bucket list
	bfree        []int32      // free bucket nodes
	free         []int32      // free frames
	now          uint64
	decayEvery   int
	since        int
	mostFrequent bool // MFU: the victim comes from the largest count
}

// freqFrame is one frame of fastFreq.
type freqFrame struct {
	page       vm.PageID
	lastUse    uint64 // time of the page's latest reference
	prev, next int32  // neighbours in its bucket; -1 at the ends
	bucket     int32
}

// freqBucket is one bucket of fastFreq: the frames whose pages have count
// references, least recently used first.
type freqBucket struct {
	count      uint64
	head, tail int32
	prev, next int32 // neighbours on the bucket list, in increasing count
}

func newFastFreq(frames, decayEvery int, mostFrequent bool) *fastFreq {
	nodes := frames + 2 // frames buckets, one spare for a move, the sentinel
	l := &fastFreq{
		index: newPageIndex(frames), frame: make([]freqFrame, frames),
		bucket: make([]freqBucket, nodes), bfree: make([]int32, 0, nodes),
		free: make([]int32, frames), decayEvery: decayEvery, mostFrequent: mostFrequent,
	}
	nb := l.sentinel()
	l.bucket[nb].prev, l.bucket[nb].next = nb, nb
	for b := nb - 1; b >= 0; b-- {
		l.bfree = append(l.bfree, b)
	}
	for i := range l.free {
		l.free[i] = int32(frames - 1 - i)
	}
	return l
}

func (l *fastFreq) sentinel() int32 { return int32(len(l.bucket) - 1) }

func (l *fastFreq) Name() string {
	if l.mostFrequent {
		return "mfu"
	}
	return "lfu"
}

func (l *fastFreq) Frames() int               { return len(l.frame) }
func (l *fastFreq) Len() int                  { return len(l.frame) - len(l.free) }
func (l *fastFreq) Contains(p vm.PageID) bool { _, ok := l.index.get(p); return ok }

// Count returns p's reference count, or false if p is not resident.
func (l *fastFreq) Count(p vm.PageID) (uint64, bool) {
	f, ok := l.index.get(p)
	if !ok {
		return 0, false
	}
	return l.bucket[l.frame[f].bucket].count, true
}

func (l *fastFreq) Remove(p vm.PageID) bool {
	f, ok := l.index.get(p)
	if ok {
		l.unlink(f)
		l.index.del(p)
		l.free = append(l.free, f)
	}
	return ok
}

func (l *fastFreq) Access(p vm.PageID, _ bool) (hit bool, victim vm.PageID, evicted bool) {
	l.now++
	if f, ok := l.index.get(p); ok {
		hit = true
		b := l.frame[f].bucket
		c := l.bucket[b].count + 1
		nb := l.bucket[b].next
		l.frame[f].lastUse = l.now
		switch {
		case nb != l.sentinel() && l.bucket[nb].count == c:
			l.unlink(f)
			l.appendFrame(nb, f)
		case l.bucket[b].head == f && l.bucket[b].tail == f:
			l.bucket[b].count = c // f alone: its bucket becomes the next one
		default:
			nb = l.newBucket(c, b)
			l.unlink(f)
			l.appendFrame(nb, f)
		}
	} else {
		var f int32
		if len(l.free) == 0 {
			b := l.bucket[l.sentinel()].next
			if l.mostFrequent {
				b = l.bucket[l.sentinel()].prev
			}
			f = l.bucket[b].head
			l.unlink(f)
			victim, evicted = l.frame[f].page, true
			l.index.del(victim)
		} else {
			f = l.free[len(l.free)-1]
			l.free = l.free[:len(l.free)-1]
		}
		l.frame[f].page, l.frame[f].lastUse = p, l.now
		l.index.put(p, f)
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
func (l *fastFreq) bucketForOne() int32 {
	after := l.sentinel()
	for b := l.bucket[after].next; b != l.sentinel() && l.bucket[b].count <= 1; b = l.bucket[b].next {
		if l.bucket[b].count == 1 {
			return b
		}
		after = b
	}
	return l.newBucket(1, after)
}

// newBucket makes an empty bucket of count c after bucket node after.
func (l *fastFreq) newBucket(c uint64, after int32) int32 {
	b := l.bfree[len(l.bfree)-1]
	l.bfree = l.bfree[:len(l.bfree)-1]
	n := l.bucket[after].next
	l.bucket[b] = freqBucket{count: c, head: -1, tail: -1, prev: after, next: n}
	l.bucket[after].next = b
	l.bucket[n].prev = b
	return b
}

func (l *fastFreq) freeBucket(b int32) {
	p, n := l.bucket[b].prev, l.bucket[b].next
	l.bucket[p].next = n
	l.bucket[n].prev = p
	l.bfree = append(l.bfree, b)
}

// appendFrame puts frame f at the tail (most recent end) of bucket b.
func (l *fastFreq) appendFrame(b, f int32) {
	bk := &l.bucket[b]
	fr := &l.frame[f]
	fr.bucket, fr.prev, fr.next = b, bk.tail, -1
	if bk.tail >= 0 {
		l.frame[bk.tail].next = f
	} else {
		bk.head = f
	}
	bk.tail = f
}

// unlink takes f out of its bucket, freeing the bucket if it empties.
func (l *fastFreq) unlink(f int32) {
	fr := &l.frame[f]
	bk := &l.bucket[fr.bucket]
	if fr.prev >= 0 {
		l.frame[fr.prev].next = fr.next
	} else {
		bk.head = fr.next
	}
	if fr.next >= 0 {
		l.frame[fr.next].prev = fr.prev
	} else {
		bk.tail = fr.prev
	}
	if bk.head < 0 {
		l.freeBucket(fr.bucket)
	}
}

// decay halves every count. Neighbouring buckets whose counts halve to the
// same value (2k and 2k+1) merge, their frames interleaved by lastUse.
func (l *fastFreq) decay() {
	nb := l.sentinel()
	for b := l.bucket[nb].next; b != nb; {
		next := l.bucket[b].next
		l.bucket[b].count /= 2
		if prev := l.bucket[b].prev; prev != nb && l.bucket[prev].count == l.bucket[b].count {
			l.merge(prev, b)
		}
		b = next
	}
}

// merge moves the frames of bucket b into bucket a, keeping lastUse order,
// and frees b.
func (l *fastFreq) merge(a, b int32) {
	x, y := l.bucket[a].head, l.bucket[b].head
	l.bucket[a].head, l.bucket[a].tail = -1, -1
	for x >= 0 || y >= 0 {
		var f int32
		if y < 0 || (x >= 0 && l.frame[x].lastUse < l.frame[y].lastUse) {
			f, x = x, l.frame[x].next
		} else {
			f, y = y, l.frame[y].next
		}
		l.appendFrame(a, f)
	}
	l.bucket[b].head, l.bucket[b].tail = -1, -1
	l.freeBucket(b)
}

// Resident appends the resident pages in eviction order: bucket by bucket
// (in increasing count for LFU, decreasing for MFU), least recently used
// first within each.
func (l *fastFreq) Resident(dst []vm.PageID) []vm.PageID {
	nb := l.sentinel()
	step := func(b int32) int32 { return l.bucket[b].next }
	if l.mostFrequent {
		step = func(b int32) int32 { return l.bucket[b].prev }
	}
	for b := step(nb); b != nb; b = step(b) {
		for f := l.bucket[b].head; f >= 0; f = l.frame[f].next {
			dst = append(dst, l.frame[f].page)
		}
	}
	return dst
}

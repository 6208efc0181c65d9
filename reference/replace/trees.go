package replace

import (
	"math"
	"math/bits"
)

// This file holds the two search structures behind the fast simulation
// versions of enhanced clock, aging and WSClock (fast.go): each answers
// "the first frame at or after i with property X" in O(log n), where the
// readable versions walk the frames one by one.

// bitTree is a set of frame numbers 0..n-1 kept as a 64-ary tree of bitmaps:
// level 0 has one bit per frame, and bit j of level k+1 is set iff word j of
// level k is not zero. The top level is a single word. add, remove and next
// cost O(log64 n): three levels cover 262,144 frames.
//
// Invariant: for every level k above 0, bit j of level k is set iff
// levels[k-1][j] != 0.
type bitTree struct {
	levels [][]uint64
	n      int32
}

func newBitTree(n int) bitTree {
	t := bitTree{n: int32(n)}
	words := (n + 63) / 64
	for {
		t.levels = append(t.levels, make([]uint64, max(words, 1)))
		if words <= 1 {
			return t
		}
		words = (words + 63) / 64
	}
}

// add puts i in the set.
func (t *bitTree) add(i int32) {
	idx := uint(i)
	for _, level := range t.levels {
		w := &level[idx>>6]
		was := *w
		*w |= 1 << (idx & 63)
		if was != 0 {
			return
		}
		idx >>= 6
	}
}

// remove takes i out of the set.
func (t *bitTree) remove(i int32) {
	idx := uint(i)
	for _, level := range t.levels {
		w := &level[idx>>6]
		*w &^= 1 << (idx & 63)
		if *w != 0 {
			return
		}
		idx >>= 6
	}
}

// next returns the smallest member >= i, or -1 if there is none.
func (t *bitTree) next(i int32) int32 {
	if i >= t.n {
		return -1
	}
	idx := uint(i)
	for k := 0; k < len(t.levels); k++ {
		level := t.levels[k]
		w := idx >> 6
		if w >= uint(len(level)) {
			return -1
		}
		if m := level[w] & (^uint64(0) << (idx & 63)); m != 0 {
			idx = w<<6 | uint(bits.TrailingZeros64(m))
			for k > 0 { // descend to the first member under that bit
				k--
				idx = idx<<6 | uint(bits.TrailingZeros64(t.levels[k][idx]))
			}
			return int32(idx)
		}
		idx = w + 1 // the next word of this level is the next bit one level up
	}
	return -1
}

// nextFrom returns the first member in cyclic order from i: the smallest
// member >= i, else the smallest member, else -1.
func (t *bitTree) nextFrom(i int32) int32 {
	if f := t.next(i); f >= 0 {
		return f
	}
	return t.next(0)
}

// minTree is a segment tree of int64 values, one per frame, that finds the
// minimum and the first frame in a range whose value is below a threshold,
// both in O(log n). Frames with nothing in them hold empty, above every real
// value.
//
// Invariant: v[k] = min(v[2k], v[2k+1]) for every inner node k in 1..size-1;
// leaf i is v[size+i].
type minTree struct {
	v    []int64
	size int
}

const empty = math.MaxInt64

func newMinTree(n int) minTree {
	size := 1
	for size < n {
		size *= 2
	}
	t := minTree{v: make([]int64, 2*size), size: size}
	for i := range t.v {
		t.v[i] = empty
	}
	return t
}

// set gives leaf i the value x and updates its ancestors.
func (t *minTree) set(i int32, x int64) {
	k := t.size + int(i)
	t.v[k] = x
	for k > 1 {
		k >>= 1
		m := min(t.v[2*k], t.v[2*k+1])
		if t.v[k] == m {
			return
		}
		t.v[k] = m
	}
}

// setLeaf gives leaf i the value x without updating its ancestors: rebuild
// must run before the next query.
func (t *minTree) setLeaf(i int32, x int64) { t.v[t.size+int(i)] = x }

// rebuild recomputes every inner node from the leaves, in O(n).
func (t *minTree) rebuild() {
	for k := t.size - 1; k >= 1; k-- {
		t.v[k] = min(t.v[2*k], t.v[2*k+1])
	}
}

func (t *minTree) min() int64 { return t.v[1] }

// linearProbe is how many leaves firstBelow reads one by one before it
// searches the tree: a sweeping hand's stops are often close together, and
// consecutive leaves share cache lines where the tree's path does not.
const linearProbe = 16

// firstBelow returns the first i in [lo, hi) whose value is below thr, or -1.
func (t *minTree) firstBelow(lo, hi int32, thr int64) int32 {
	if lo >= hi || t.v[1] >= thr {
		return -1
	}
	leaves := t.v[t.size:]
	end := min(hi, lo+linearProbe)
	for i := lo; i < end; i++ {
		if leaves[i] < thr {
			return i
		}
	}
	if end == hi {
		return -1
	}
	return t.search(1, 0, int32(t.size), end, hi, thr)
}

func (t *minTree) search(k int, l, r, lo, hi int32, thr int64) int32 {
	if r <= lo || l >= hi || t.v[k] >= thr {
		return -1
	}
	if r-l == 1 {
		return l
	}
	m := (l + r) / 2
	if f := t.search(2*k, l, m, lo, hi, thr); f >= 0 {
		return f
	}
	return t.search(2*k+1, m, r, lo, hi, thr)
}

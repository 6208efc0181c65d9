package phys

import "math/bits"

// bitmap is a hierarchical bitmap: a set of small integers with O(log64 n)
// insert, delete and find-lowest. levels[0] holds one bit per member;
// bit i of levels[l+1] is set iff word i of levels[l] is non-zero. The top
// level is a single word, so the lowest member is found by following the
// lowest set bit from the top word down.
//
// Buddy keeps one bitmap per order: that is what lets it hand out the
// lowest-addressed free block in logarithmic time without allocating.
type bitmap struct {
	levels [][]uint64 // Invariant: len(levels[len(levels)-1]) == 1.
}

func newBitmap(n int) bitmap {
	var b bitmap
	words := max((n+63)/64, 1)
	for {
		b.levels = append(b.levels, make([]uint64, words))
		if words == 1 {
			return b
		}
		words = (words + 63) / 64
	}
}

// set adds i.
func (b *bitmap) set(i int) {
	for _, lv := range b.levels {
		w := i >> 6
		was := lv[w]
		lv[w] = was | 1<<(uint(i)&63)
		if was != 0 { // the parent bit is already set
			return
		}
		i = w
	}
}

// clear removes i.
func (b *bitmap) clear(i int) {
	for _, lv := range b.levels {
		w := i >> 6
		lv[w] &^= 1 << (uint(i) & 63)
		if lv[w] != 0 { // the word is still non-empty: the parent bit stays
			return
		}
		i = w
	}
}

// has reports whether i is a member.
func (b *bitmap) has(i int) bool {
	return b.levels[0][i>>6]>>(uint(i)&63)&1 != 0
}

// first returns the lowest member, or -1 if the set is empty.
func (b *bitmap) first() int {
	top := len(b.levels) - 1
	if b.levels[top][0] == 0 {
		return -1
	}
	i := 0
	for l := top; l >= 0; l-- {
		i = i<<6 | bits.TrailingZeros64(b.levels[l][i])
	}
	return i
}

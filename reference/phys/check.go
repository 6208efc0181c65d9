package phys

import (
	"fmt"
	"math/bits"
)

// Check verifies the buddy allocator's invariants and returns the first one
// broken, or nil. It costs O(frames) and allocates; tests and specs call it
// after every operation, hot paths never do.
//
// The invariants: every frame belongs to exactly one block, free or
// allocated; every block is naturally aligned (a block of order k starts at
// a multiple of 2^k) and lies inside memory; the free counts match the free
// lists; and no two free buddies of the same order are both free (they
// would have been merged).
func (b *Buddy) Check() error {
	owner := make([]int, b.frames) // 0 = nobody, 1+pfn = the block starting at pfn
	claim := func(what string, pfn, k int) error {
		if pfn&(1<<k-1) != 0 {
			return fmt.Errorf("phys: %s block at pfn %#x of order %d is not aligned to %d frames", what, pfn, k, 1<<k)
		}
		if pfn+1<<k > b.frames {
			return fmt.Errorf("phys: %s block at pfn %#x of order %d runs past the last frame %#x", what, pfn, k, b.frames-1)
		}
		for f := pfn; f < pfn+1<<k; f++ {
			if owner[f] != 0 {
				return fmt.Errorf("phys: %s block at pfn %#x of order %d overlaps the block at pfn %#x", what, pfn, k, owner[f]-1)
			}
			owner[f] = 1 + pfn
		}
		return nil
	}
	freeFrames := 0
	for k := 0; k <= b.maxOrder; k++ {
		n := 0
		for w, word := range b.free[k].levels[0] {
			n += bits.OnesCount64(word)
			for ; word != 0; word &= word - 1 {
				pfn := (w<<6 | bits.TrailingZeros64(word)) << k
				if err := claim("free", pfn, k); err != nil {
					return err
				}
				if k < b.maxOrder {
					buddy := pfn ^ 1<<k
					if buddy+1<<k <= b.frames && b.free[k].has(buddy>>k) {
						return fmt.Errorf("phys: free block at pfn %#x and its buddy at pfn %#x (order %d) were not merged", pfn, buddy, k)
					}
				}
			}
		}
		if n != b.count[k] {
			return fmt.Errorf("phys: order %d has %d free blocks but counts %d", k, n, b.count[k])
		}
		freeFrames += n << k
	}
	if freeFrames != b.freeFrames {
		return fmt.Errorf("phys: free lists hold %d frames but FreeFrames() = %d", freeFrames, b.freeFrames)
	}
	for pfn, k := range b.alloc {
		if k >= 0 {
			if err := claim("allocated", pfn, int(k)); err != nil {
				return err
			}
		}
	}
	for pfn, o := range owner {
		if o == 0 {
			return fmt.Errorf("phys: frame pfn %#x belongs to no block, free or allocated (leaked)", pfn)
		}
	}
	return nil
}

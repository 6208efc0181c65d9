package replace

import (
	"math/bits"

	"github.com/vmkata/vmkata/vm"
)

// pageIndex maps a page to a slot number: a hash table with open addressing,
// linear probing and backward-shift deletion (Knuth, TAOCP vol. 3, 6.4,
// Algorithm R), so no tombstones accumulate. Its size is fixed at
// construction to a power of two at least twice the number of entries it
// will ever hold, so it never grows, never allocates after construction and
// its probe sequences stay short.
//
// It replaces a Go map on the adaptive policies' hot path: with the keys and
// values in two flat arrays, a lookup is one multiply, one shift and
// usually one cache line (see BenchmarkPageIndex for the measurement).
//
// Invariant: no empty cell lies between a stored key's home cell and the
// cell that holds it (cyclically), so a lookup may stop at the first empty.
type pageIndex struct {
	cells []cell
	shift uint // 64 - log2(len(cells))
	mask  uint64
}

// cell is one entry of a pageIndex: key and value side by side, so that a
// probe reads one cache line.
type cell struct {
	key vm.PageID
	val int32 // slot + 1; 0 marks an empty cell
}

func newPageIndex(capacity int) pageIndex {
	size := 8
	for size < 2*capacity {
		size *= 2
	}
	return pageIndex{
		cells: make([]cell, size),
		shift: uint(64 - bits.TrailingZeros(uint(size))),
		mask:  uint64(size - 1),
	}
}

// home is the Fibonacci hash of p (Knuth's multiplicative method): the top
// bits of p times 2^64/φ, which spreads consecutive page numbers evenly.
func (x *pageIndex) home(p vm.PageID) uint64 {
	return (uint64(p) * 0x9E3779B97F4A7C15) >> x.shift
}

// get returns the slot stored for p.
func (x *pageIndex) get(p vm.PageID) (int32, bool) {
	for i := x.home(p); ; i = (i + 1) & x.mask {
		c := &x.cells[i]
		if c.key == p && c.val != 0 {
			return c.val - 1, true
		}
		if c.val == 0 {
			return noSlot, false
		}
	}
}

// put stores slot for p. Preconditions: p is not stored; the table has room.
func (x *pageIndex) put(p vm.PageID, slot int32) {
	i := x.home(p)
	for x.cells[i].val != 0 {
		i = (i + 1) & x.mask
	}
	x.cells[i] = cell{p, slot + 1}
}

// del removes p if it is stored, shifting later entries of its cluster back
// so that every probe sequence stays unbroken.
func (x *pageIndex) del(p vm.PageID) {
	i := x.home(p)
	for {
		if x.cells[i].val == 0 {
			return
		}
		if x.cells[i].key == p {
			break
		}
		i = (i + 1) & x.mask
	}
	// i is the hole. Move back any later entry of the cluster whose home
	// does not lie cyclically in (i, j].
	for j := (i + 1) & x.mask; x.cells[j].val != 0; j = (j + 1) & x.mask {
		h := x.home(x.cells[j].key)
		if (j-h)&x.mask >= (j-i)&x.mask { // h is at or before the hole
			x.cells[i] = x.cells[j]
			i = j
		}
	}
	x.cells[i] = cell{}
}

package replace

import (
	"fmt"

	"github.com/vmkata/vmkata/vm"
)

func init() {
	register("s3-fifo", func(frames int, o Options) (vm.Policy, error) {
		return NewS3FIFO(frames, o.Small, o.Ghost)
	})
}

// S3-FIFO defaults: the small queue's share of frames, and the ghost queue's
// size as a fraction of frames (the main queue's share).
const (
	S3FIFOSmall = 0.10
	S3FIFOGhost = 0.90
)

// S3FIFO is the S3-FIFO policy of Yang, Zhang, Qiu, Yue and Rashmi, "FIFO
// Queues are All You Need for Cache Eviction" (SOSP 2023): three FIFO queues,
// a small one S (10% of frames) that filters out pages used once, a main one
// M (the other 90%), and a ghost queue G of page numbers recently evicted
// from S (as many entries as M has frames). Each resident page carries a
// 2-bit access frequency, capped at 3.
//
// Semantics, exactly (the paper's pseudocode):
//   - Hit (p in S or M): freq = min(freq+1, 3). Nothing moves.
//   - Miss: if memory is full, evict one page (below). Then, if p is in G it
//     leaves G and enters M's head, else it enters S's head; freq = 0.
//   - Evict: if |S| >= the small size (or M is empty), evict from S, else
//     from M.
//   - Evict from S: take S's tail t. If t.freq > 1 (referenced at least
//     twice while in S: the threshold of the paper's pseudocode) t moves to M's
//     head keeping its freq, and the next tail is examined; otherwise t is
//     the victim and its page number enters G's head (dropping G's tail when
//     G is over its size). If S empties without a victim, evict from M.
//   - Evict from M: take M's tail t. If t.freq > 0, t goes back to M's head
//     with freq-1 (FIFO-reinsertion, CLOCK-like); otherwise t is the victim.
//     Pages evicted from M do not enter G.
//
// Sizes: small = max(1, ⌊frames·small⌋) with small defaulting to 0.10; the
// ghost holds at most ⌊frames·ghost⌋ page numbers, ghost defaulting to 0.90
// (the size of M). S and M share the frames: S takes every page until memory
// first fills, then shrinks back to its size as evictions take its tail;
// moving a page from S to M never evicts from M by itself. |S|+|M| never
// exceeds frames. Remove(p) forgets p in whichever queue holds it, G
// included.
//
// Resident lists S from tail to head, then M from tail to head.
//
// Complexity: O(1) per hit; O(1) amortized per miss (each page moved from S
// to M, and each reinsertion in M, is paid for by the hits that raised its
// freq). Access allocates nothing.
type S3FIFO struct {
	t            slotTable
	small, main  chain
	ghost        chain
	frames       int
	smallSize    int   // target size of S
	ghostSize    int   // capacity of G
	promoteAbove uint8 // S→M when freq > promoteAbove (the paper: 1)
	maxFreq      uint8 // freq saturates here (the paper: 3)
}

// S3-FIFO list tags.
const (
	s3Small uint8 = 1 + iota
	s3Main
	s3Ghost
)

// NewS3FIFO returns an S3-FIFO policy with frames frames; small is S's share
// of frames and ghost G's size as a fraction of frames (0 for the defaults
// S3FIFOSmall and S3FIFOGhost). It returns an error wrapping
// vm.ErrInvalidConfig if frames < 1, small is outside [0, 1) or ghost is
// negative.
func NewS3FIFO(frames int, small, ghost float64) (*S3FIFO, error) {
	switch {
	case frames < 1:
		return nil, fmt.Errorf("replace: s3-fifo with %d frames: need at least 1: %w", frames, vm.ErrInvalidConfig)
	case small < 0 || small >= 1:
		return nil, fmt.Errorf("replace: s3-fifo: small fraction %v is outside [0, 1): %w", small, vm.ErrInvalidConfig)
	case ghost < 0:
		return nil, fmt.Errorf("replace: s3-fifo: ghost fraction %v is negative: %w", ghost, vm.ErrInvalidConfig)
	}
	if small == 0 {
		small = S3FIFOSmall
	}
	if ghost == 0 {
		ghost = S3FIFOGhost
	}
	c := &S3FIFO{
		frames:       frames,
		smallSize:    max(1, int(float64(frames)*small)),
		ghostSize:    int(float64(frames) * ghost),
		small:        newChain(),
		main:         newChain(),
		ghost:        newChain(),
		promoteAbove: 1,
		maxFreq:      3,
	}
	// G is trimmed as soon as a victim enters it, before the new page takes
	// a slot, so resident pages and ghosts never need more than this.
	c.t = newSlotTable(frames + c.ghostSize)
	return c, nil
}

// Name returns "s3-fifo".
func (c *S3FIFO) Name() string { return "s3-fifo" }

// Frames returns the number of frames.
func (c *S3FIFO) Frames() int { return c.frames }

// Len returns the number of resident pages, |S| + |M|.
func (c *S3FIFO) Len() int { return c.small.n + c.main.n }

// Contains reports whether p is resident (in S or M; a ghost is not).
func (c *S3FIFO) Contains(p vm.PageID) bool {
	i, ok := c.t.lookup(p)
	return ok && c.t.s[i].where != s3Ghost
}

// Access references p; see the type's comment for the rules.
func (c *S3FIFO) Access(p vm.PageID, _ bool) (hit bool, victim vm.PageID, evicted bool) {
	i, ok := c.t.lookup(p)
	if ok && c.t.s[i].where != s3Ghost {
		if s := &c.t.s[i]; s.bits < c.maxFreq {
			s.bits++
		}
		return true, 0, false
	}
	if ok { // a ghost hit: p left S not long ago. Take it off G first, so
		// that trimming G during the eviction cannot drop it.
		c.t.unlink(&c.ghost, i)
	}
	if c.Len() == c.frames {
		victim, evicted = c.evict(), true
	}
	if ok {
		c.t.s[i].where, c.t.s[i].bits = s3Main, 0
		c.t.pushHead(&c.main, i)
	} else {
		c.t.pushHead(&c.small, c.t.alloc(p, s3Small))
	}
	return false, victim, evicted
}

// evict removes one resident page and returns it.
func (c *S3FIFO) evict() vm.PageID {
	if c.small.n >= c.smallSize || c.main.n == 0 {
		for c.small.n > 0 {
			t := c.t.popTail(&c.small)
			s := &c.t.s[t]
			if s.bits > c.promoteAbove {
				s.where = s3Main
				c.t.pushHead(&c.main, t)
				continue
			}
			s.where, s.bits = s3Ghost, 0
			c.t.pushHead(&c.ghost, t)
			page := s.page
			c.trimGhost()
			return page
		}
	}
	for {
		t := c.main.tail
		s := &c.t.s[t]
		if s.bits > 0 {
			s.bits--
			c.t.moveHead(&c.main, t)
			continue
		}
		page := s.page
		c.t.unlink(&c.main, t)
		c.t.release(t)
		return page
	}
}

// trimGhost drops G's oldest page numbers until G fits its size.
func (c *S3FIFO) trimGhost() {
	for c.ghost.n > c.ghostSize {
		c.t.release(c.t.popTail(&c.ghost))
	}
}

// Remove forgets p: it leaves S, M or G. It reports whether p was resident.
func (c *S3FIFO) Remove(p vm.PageID) bool {
	i, ok := c.t.lookup(p)
	if !ok {
		return false
	}
	where := c.t.s[i].where
	switch where {
	case s3Small:
		c.t.unlink(&c.small, i)
	case s3Main:
		c.t.unlink(&c.main, i)
	default:
		c.t.unlink(&c.ghost, i)
	}
	c.t.release(i)
	return where != s3Ghost
}

// Resident appends S's pages from tail to head, then M's.
func (c *S3FIFO) Resident(dst []vm.PageID) []vm.PageID {
	dst = c.t.appendTailToHead(dst, &c.small)
	return c.t.appendTailToHead(dst, &c.main)
}

package replace

import (
	"fmt"

	"github.com/vmkata/vmkata/vm"
)

func init() {
	register("2q", func(frames int, o Options) (vm.Policy, error) { return NewTwoQ(frames, o.Small, o.Ghost) })
}

// 2Q defaults, the paper's recommended tuning: Kin, the size of A1in, and
// Kout, the size of A1out, as fractions of the frames.
const (
	TwoQKin  = 0.25
	TwoQKout = 0.50
)

// TwoQ is the full 2Q policy of Johnson and Shasha, "2Q: A Low Overhead High
// Performance Buffer Management Replacement Algorithm" (VLDB 1994), the full version:
//
//   - A1in, a FIFO of resident pages seen once (Kin = 25% of frames),
//   - A1out, a FIFO of page numbers only, recently evicted from A1in
//     (Kout = 50% of frames),
//   - Am, an LRU list of resident pages seen again after leaving A1in.
//
// Semantics, exactly (X is the referenced page):
//   - X in Am (hit): move X to Am's MRU end.
//   - X in A1in (hit): nothing moves. A second reference soon after the first
//     is "correlated" and proves nothing about X's long-term popularity.
//   - X in A1out (miss): reclaim a frame, then put X at Am's MRU end (it was
//     referenced again after a whole stay in A1in: it is hot).
//   - X in no list (miss): reclaim a frame, then put X at A1in's head.
//   - Reclaim, when every frame is used: if |A1in| > Kin, or Am is empty,
//     A1in's tail Y is evicted and its number enters A1out's head (A1out's
//     tail is dropped when it would exceed Kout); otherwise Am's LRU page is
//     evicted and not remembered.
//
// Sizes: Kin = ⌊frames·kin⌋ and Kout = ⌊frames·kout⌋ with kin and kout
// defaulting to 0.25 and 0.50. "Or Am is empty" is what lets 2Q work with
// Kin = 0 or fewer than 4 frames, where the paper's test alone would look for
// a victim in an empty Am. Remove(p) forgets p in any list, A1out included.
//
// Resident lists A1in from oldest to newest, then Am from LRU to MRU.
//
// Complexity: O(1) per access; Access allocates nothing.
type TwoQ struct {
	t           slotTable
	in, out, am chain // A1in, A1out, Am: head = newest / MRU
	frames      int
	kin, kout   int
}

// 2Q list tags.
const (
	twoQIn uint8 = 1 + iota
	twoQOut
	twoQAm
)

// NewTwoQ returns a 2Q policy with frames frames; kin and kout are the sizes
// of A1in and A1out as fractions of frames (0 for the defaults TwoQKin and
// TwoQKout). It returns an error wrapping vm.ErrInvalidConfig if frames < 1,
// kin is outside [0, 1) or kout is negative.
func NewTwoQ(frames int, kin, kout float64) (*TwoQ, error) {
	switch {
	case frames < 1:
		return nil, fmt.Errorf("replace: 2q with %d frames: need at least 1: %w", frames, vm.ErrInvalidConfig)
	case kin < 0 || kin >= 1:
		return nil, fmt.Errorf("replace: 2q: Kin fraction %v is outside [0, 1): %w", kin, vm.ErrInvalidConfig)
	case kout < 0:
		return nil, fmt.Errorf("replace: 2q: Kout fraction %v is negative: %w", kout, vm.ErrInvalidConfig)
	}
	if kin == 0 {
		kin = TwoQKin
	}
	if kout == 0 {
		kout = TwoQKout
	}
	q := &TwoQ{
		frames: frames,
		kin:    int(float64(frames) * kin),
		kout:   int(float64(frames) * kout),
		in:     newChain(), out: newChain(), am: newChain(),
	}
	q.t = newSlotTable(frames + q.kout)
	return q, nil
}

// Name returns "2q".
func (q *TwoQ) Name() string { return "2q" }

// Frames returns the number of frames.
func (q *TwoQ) Frames() int { return q.frames }

// Len returns |A1in| + |Am|.
func (q *TwoQ) Len() int { return q.in.n + q.am.n }

// Contains reports whether p is resident (in A1in or Am).
func (q *TwoQ) Contains(p vm.PageID) bool {
	i, ok := q.t.lookup(p)
	return ok && q.t.s[i].where != twoQOut
}

// Access references x; see the type's comment for the rules.
func (q *TwoQ) Access(x vm.PageID, _ bool) (hit bool, victim vm.PageID, evicted bool) {
	i, ok := q.t.lookup(x)
	if ok {
		switch q.t.s[i].where {
		case twoQAm:
			q.t.moveHead(&q.am, i)
			return true, 0, false
		case twoQIn:
			return true, 0, false
		}
		// In A1out: take it off first, so that reclaiming cannot drop it.
		q.t.unlink(&q.out, i)
	}
	if q.Len() == q.frames {
		victim, evicted = q.reclaim(), true
	}
	if ok {
		q.t.s[i].where = twoQAm
		q.t.pushHead(&q.am, i)
	} else {
		q.t.pushHead(&q.in, q.t.alloc(x, twoQIn))
	}
	return false, victim, evicted
}

// reclaim evicts one resident page: the paper's reclaimfor.
func (q *TwoQ) reclaim() vm.PageID {
	if q.in.n > q.kin || q.am.n == 0 {
		y := q.t.popTail(&q.in)
		page := q.t.s[y].page
		if q.kout == 0 {
			q.t.release(y)
			return page
		}
		if q.out.n == q.kout {
			q.t.release(q.t.popTail(&q.out))
		}
		q.t.s[y].where = twoQOut
		q.t.pushHead(&q.out, y)
		return page
	}
	y := q.t.popTail(&q.am)
	page := q.t.s[y].page
	q.t.release(y)
	return page
}

// Remove forgets p, resident or in A1out. It reports whether p was resident.
func (q *TwoQ) Remove(p vm.PageID) bool {
	i, ok := q.t.lookup(p)
	if !ok {
		return false
	}
	where := q.t.s[i].where
	switch where {
	case twoQIn:
		q.t.unlink(&q.in, i)
	case twoQOut:
		q.t.unlink(&q.out, i)
	default:
		q.t.unlink(&q.am, i)
	}
	q.t.release(i)
	return where != twoQOut
}

// Resident appends A1in from oldest to newest, then Am from LRU to MRU.
func (q *TwoQ) Resident(dst []vm.PageID) []vm.PageID {
	dst = q.t.appendTailToHead(dst, &q.in)
	return q.t.appendTailToHead(dst, &q.am)
}

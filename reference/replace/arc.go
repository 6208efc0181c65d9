package replace

import (
	"fmt"

	"github.com/vmkata/vmkata/vm"
)

func init() {
	register("arc", func(frames int, _ Options) (vm.Policy, error) { return NewARC(frames) })
}

// ARC is the Adaptive Replacement Cache of Megiddo and Modha, "ARC: A
// Self-Tuning, Low Overhead Replacement Cache" (FAST 2003), following the
// paper's pseudocode ARC(c) case by case, with c = frames.
//
// Four LRU lists: T1 (resident, seen once recently), T2 (resident, seen at
// least twice), B1 and B2 (ghosts: page numbers recently evicted from T1 and
// T2). p, the target size of T1, starts at 0 and adapts.
//
// Semantics, exactly (x is the referenced page):
//   - Case I, x in T1 ∪ T2 (hit): move x to T2's MRU end.
//   - Case II, x in B1 (miss): p = min(c, p + δ1) with δ1 = 1 if |B1| >= |B2|,
//     else ⌊|B2|/|B1|⌋; REPLACE(x, p); move x to T2's MRU end.
//   - Case III, x in B2 (miss): p = max(0, p - δ2) with δ2 = 1 if |B2| >= |B1|,
//     else ⌊|B1|/|B2|⌋; REPLACE(x, p); move x to T2's MRU end.
//   - Case IV, x in no list (miss):
//     A. if |T1|+|B1| == c: if |T1| < c, drop B1's LRU and REPLACE(x, p);
//     else drop T1's LRU page outright (it does not enter B1).
//     B. else if |T1|+|T2|+|B1|+|B2| >= c: if that total is 2c, drop B2's
//     LRU; REPLACE(x, p).
//     Then put x at T1's MRU end.
//   - REPLACE(x, p): if |T1| >= 1 and (|T1| > p or (x in B2 and |T1| == p)),
//     T1's LRU page is evicted to B1's MRU end; else T2's LRU page is
//     evicted to B2's MRU end.
//
// δ1 and δ2 use integer division, so p is a whole number of frames.
//
// Invariants (the paper's): |T1|+|T2| <= c, |T1|+|B1| <= c,
// |T1|+|T2|+|B1|+|B2| <= 2c, 0 <= p <= c.
//
// One departure, for Remove: the paper's cache is always full once warm, so
// REPLACE runs on every miss past warm-up. After Remove frees a frame, ARC
// here calls REPLACE only when T1 ∪ T2 fills all frames, so a miss with a
// free frame evicts nothing (the vm.Policy contract); the directory trims
// of Case IV still apply. Remove(p) also forgets a ghost p.
//
// Resident lists T1 from LRU to MRU, then T2 from LRU to MRU.
//
// Complexity: O(1) per access; Access allocates nothing.
type ARC struct {
	t              slotTable
	t1, t2, b1, b2 chain // head = MRU, tail = LRU
	c              int
	p              int
}

// ARC list tags.
const (
	arcT1 uint8 = 1 + iota
	arcT2
	arcB1
	arcB2
)

// NewARC returns an ARC policy managing frames frames (c in the paper), or
// an error wrapping vm.ErrInvalidConfig if frames < 1.
func NewARC(frames int) (*ARC, error) {
	if frames < 1 {
		return nil, fmt.Errorf("replace: arc with %d frames: need at least 1: %w", frames, vm.ErrInvalidConfig)
	}
	return &ARC{
		t:  newSlotTable(2 * frames),
		t1: newChain(), t2: newChain(), b1: newChain(), b2: newChain(),
		c: frames,
	}, nil
}

// Name returns "arc".
func (a *ARC) Name() string { return "arc" }

// Frames returns c, the number of frames.
func (a *ARC) Frames() int { return a.c }

// Len returns |T1| + |T2|.
func (a *ARC) Len() int { return a.t1.n + a.t2.n }

// Target returns p, the current target size of T1.
func (a *ARC) Target() int { return a.p }

// Contains reports whether p is resident (in T1 or T2).
func (a *ARC) Contains(p vm.PageID) bool {
	i, ok := a.t.lookup(p)
	return ok && a.t.s[i].where <= arcT2
}

func (a *ARC) list(where uint8) *chain {
	switch where {
	case arcT1:
		return &a.t1
	case arcT2:
		return &a.t2
	case arcB1:
		return &a.b1
	default:
		return &a.b2
	}
}

// Access references x; see the type's comment for the four cases.
func (a *ARC) Access(x vm.PageID, _ bool) (hit bool, victim vm.PageID, evicted bool) {
	i, ok := a.t.lookup(x)
	if !ok { // Case IV
		if a.t1.n+a.b1.n == a.c {
			if a.t1.n < a.c {
				a.t.release(a.t.popTail(&a.b1))
				victim, evicted = a.replace(false)
			} else {
				victim, evicted = a.dropT1(), true
			}
		} else if total := a.t1.n + a.t2.n + a.b1.n + a.b2.n; total >= a.c {
			if total == 2*a.c {
				a.t.release(a.t.popTail(&a.b2))
			}
			victim, evicted = a.replace(false)
		}
		a.t.pushHead(&a.t1, a.t.alloc(x, arcT1))
		return false, victim, evicted
	}
	s := &a.t.s[i]
	switch s.where {
	case arcT1, arcT2: // Case I
		a.t.unlink(a.list(s.where), i)
		s.where = arcT2
		a.t.pushHead(&a.t2, i)
		return true, 0, false
	case arcB1: // Case II
		d := 1
		if a.b1.n < a.b2.n {
			d = a.b2.n / a.b1.n
		}
		a.p = min(a.c, a.p+d)
		a.t.unlink(&a.b1, i)
		victim, evicted = a.replace(false)
	default: // Case III
		d := 1
		if a.b2.n < a.b1.n {
			d = a.b1.n / a.b2.n
		}
		a.p = max(0, a.p-d)
		a.t.unlink(&a.b2, i)
		victim, evicted = a.replace(true)
	}
	s.where = arcT2
	a.t.pushHead(&a.t2, i)
	return false, victim, evicted
}

// replace is the paper's REPLACE(x, p): it evicts T1's or T2's LRU page into
// the matching ghost list. inB2 tells whether x was found in B2. It does
// nothing while a frame is free (only after Remove).
//
// T2 is never empty when T2 is chosen: with every frame taken and T2 empty,
// |T1| = c, so B1 is empty (no Case II), Case IV.A drops T1's page itself
// and Case IV.B cannot happen (|T1| + |B1| < c), and Case III leaves
// p <= c - 1 < |T1|.
func (a *ARC) replace(inB2 bool) (vm.PageID, bool) {
	if a.t1.n+a.t2.n < a.c {
		return 0, false
	}
	from, to, tag := &a.t2, &a.b2, arcB2
	if a.t1.n >= 1 && (a.t1.n > a.p || (inB2 && a.t1.n == a.p)) {
		from, to, tag = &a.t1, &a.b1, arcB1
	}
	i := a.t.popTail(from)
	a.t.s[i].where = tag
	a.t.pushHead(to, i)
	return a.t.s[i].page, true
}

// dropT1 evicts T1's LRU page without remembering it (Case IV.A).
func (a *ARC) dropT1() vm.PageID {
	i := a.t.popTail(&a.t1)
	page := a.t.s[i].page
	a.t.release(i)
	return page
}

// Remove forgets p, resident or ghost. It reports whether p was resident.
func (a *ARC) Remove(p vm.PageID) bool {
	i, ok := a.t.lookup(p)
	if !ok {
		return false
	}
	where := a.t.s[i].where
	a.t.unlink(a.list(where), i)
	a.t.release(i)
	return where <= arcT2
}

// Resident appends T1 from LRU to MRU, then T2 from LRU to MRU.
func (a *ARC) Resident(dst []vm.PageID) []vm.PageID {
	dst = a.t.appendTailToHead(dst, &a.t1)
	return a.t.appendTailToHead(dst, &a.t2)
}

package tlb

import (
	"fmt"

	"github.com/vmkata/vmkata/vm"
)

// TwoLevel is a two-level TLB: a small, fast L1 in front of a larger L2, as
// a CPU's L1 dTLB (64 entries, 4-way on many x86 cores) sits in front of its
// shared second-level TLB (STLB, 1536 entries, 12-way). It implements
// vm.TLB.
//
// Lookup asks L1, then L2; an L2 hit is copied into L1 (possibly evicting an
// L1 entry), so the next lookup of the page hits in L1. Insert (after a page
// walk) goes into both levels, and every flush goes to both, so neither level
// ever holds a translation the other has replaced or flushed. The levels are
// neither inclusive nor exclusive: each evicts on its own.
//
// TwoLevel owns the two TLBs it is given: callers must not use them directly
// except to read their statistics (L1Stats, L2Stats).
type TwoLevel struct {
	l1, l2 vm.TLB
	stats  vm.TLBStats // Hits, Misses, Inserts, Flushes as the MMU sees them
}

var _ vm.TLB = (*TwoLevel)(nil)

// NewTwoLevel returns l1 in front of l2. It returns an error wrapping
// vm.ErrInvalidConfig if either is nil.
func NewTwoLevel(l1, l2 vm.TLB) (*TwoLevel, error) {
	if l1 == nil || l2 == nil {
		return nil, fmt.Errorf("tlb: two-level TLB needs both levels (l1 %v, l2 %v): %w", l1, l2, vm.ErrInvalidConfig)
	}
	return &TwoLevel{l1: l1, l2: l2}, nil
}

// Lookup returns the entry matching (asid, va) from L1, or else from L2 (and
// then copies it into L1). It counts a hit if either level had it, a miss
// (a page walk to come) if neither did.
func (t *TwoLevel) Lookup(asid vm.ASID, va vm.VAddr) (vm.TLBEntry, bool) {
	if e, ok := t.l1.Lookup(asid, va); ok {
		t.stats.Hits++
		return e, true
	}
	e, ok := t.l2.Lookup(asid, va)
	if !ok {
		t.stats.Misses++
		return vm.TLBEntry{}, false
	}
	t.stats.Hits++
	_ = t.l1.Insert(e) // L2 accepted e, so it is well formed; an L1 refusing it only loses the refill
	return e, true
}

// Peek returns the entry matching (asid, va) from L1 or else L2, without
// counting, refreshing recency or refilling L1.
func (t *TwoLevel) Peek(asid vm.ASID, va vm.VAddr) (vm.TLBEntry, bool) {
	if e, ok := t.l1.Peek(asid, va); ok {
		return e, true
	}
	return t.l2.Peek(asid, va)
}

// Insert caches e in L2 and then in L1, each replacing what matches the same
// lookup and evicting its own LRU entry if e's set is full. It returns L2's
// error, or L1's, if either refuses e; an L2 refusal leaves both unchanged.
func (t *TwoLevel) Insert(e vm.TLBEntry) error {
	if err := t.l2.Insert(e); err != nil {
		return err
	}
	if err := t.l1.Insert(e); err != nil {
		return err
	}
	t.stats.Inserts++
	return nil
}

// FlushAll drops every entry of both levels.
func (t *TwoLevel) FlushAll() {
	t.stats.Flushes++
	t.l1.FlushAll()
	t.l2.FlushAll()
}

// FlushNonGlobal drops the non-global entries of both levels.
func (t *TwoLevel) FlushNonGlobal() {
	t.stats.Flushes++
	t.l1.FlushNonGlobal()
	t.l2.FlushNonGlobal()
}

// FlushASID drops asid's non-global entries from both levels.
func (t *TwoLevel) FlushASID(asid vm.ASID) {
	t.stats.Flushes++
	t.l1.FlushASID(asid)
	t.l2.FlushASID(asid)
}

// FlushPage drops the entries matching (asid, va) from both levels.
func (t *TwoLevel) FlushPage(asid vm.ASID, va vm.VAddr) {
	t.stats.Flushes++
	t.l1.FlushPage(asid, va)
	t.l2.FlushPage(asid, va)
}

// Len returns L1.Len() + L2.Len(): the entries held in both arrays, a
// translation cached in both levels counting twice.
func (t *TwoLevel) Len() int { return t.l1.Len() + t.l2.Len() }

// Stats returns the pair as the MMU sees it: Hits are lookups either level
// answered, Misses lookups that need a page walk, Inserts and Flushes the
// calls made on the pair, and Evictions the sum of both levels' evictions.
// L1Stats and L2Stats give each level's own counters (L2's lookups are L1's
// misses).
func (t *TwoLevel) Stats() vm.TLBStats {
	s := t.stats
	s.Evictions = t.l1.Stats().Evictions + t.l2.Stats().Evictions
	return s
}

// L1Stats returns the L1's own counters.
func (t *TwoLevel) L1Stats() vm.TLBStats { return t.l1.Stats() }

// L2Stats returns the L2's own counters.
func (t *TwoLevel) L2Stats() vm.TLBStats { return t.l2.Stats() }

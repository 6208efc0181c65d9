// Package teaching is a learner-sized solution of exercise 04: the same API
// and behaviour as the reference TLB (reference/tlb), written for reading
// rather than speed. The reference keeps its slots in parallel arrays and a
// per-size count to skip absent page sizes; this one keeps one slice of
// slots, scans it, and gets true LRU from a counter stamp.
//
// The contract is the exercise's (exercises/04-tlb/tlb.go): every rule
// there holds here, and the exercise's specs check it (teaching_test.go).
package teaching

import (
	"fmt"
	"math/bits"

	"github.com/vmkata/vmkata/vm"
)

// slot is one way of one set.
type slot struct {
	e     vm.TLBEntry
	valid bool
	used  uint64 // the TLB's clock at the slot's last Insert or Lookup hit
}

// TLB is a set-associative TLB: set s is slots[s*ways : (s+1)*ways].
//
// Invariant: no two valid slots match the same lookup; n is the number of
// valid slots; every valid slot's used stamp is unique and at most clock.
type TLB struct {
	ways  int
	sets  int // a power of two
	slots []slot
	clock uint64 // ticks on every Insert and every Lookup hit
	n     int
	stats vm.TLBStats
}

// New returns an empty TLB of cfg.Entries entries in cfg.Entries/cfg.Ways
// sets, or an error wrapping vm.ErrInvalidConfig.
func New(cfg vm.TLBConfig) (*TLB, error) {
	if cfg.Entries <= 0 || cfg.Ways <= 0 || cfg.Entries%cfg.Ways != 0 {
		return nil, fmt.Errorf("tlb: %v: entries and ways must be positive and ways must divide entries: %w", cfg, vm.ErrInvalidConfig)
	}
	sets := cfg.Entries / cfg.Ways
	if sets&(sets-1) != 0 {
		return nil, fmt.Errorf("tlb: %v: %d sets is not a power of two: %w", cfg, sets, vm.ErrInvalidConfig)
	}
	return &TLB{ways: cfg.Ways, sets: sets, slots: make([]slot, cfg.Entries)}, nil
}

// set returns the slots of the set an entry of page size size covering va
// lives in: (va >> log2(size)) % sets.
func (t *TLB) set(va vm.VAddr, size vm.PageSize) []slot {
	s := int(uint64(va)>>bits.TrailingZeros64(uint64(size))) & (t.sets - 1)
	return t.slots[s*t.ways : (s+1)*t.ways]
}

// matches reports whether e answers a lookup (asid, va). Comparing va-e.VA
// with the size, rather than va with e.VA+Size, also works for the page at
// the top of the address space, whose end would overflow.
func matches(e vm.TLBEntry, asid vm.ASID, va vm.VAddr) bool {
	return va >= e.VA && uint64(va-e.VA) < uint64(e.Size) && (e.Global || e.ASID == asid)
}

// find returns the valid slot matching (asid, va), or nil. At most one
// slot matches (the invariant), so scanning every slot finds it.
func (t *TLB) find(asid vm.ASID, va vm.VAddr) *slot {
	for i := range t.slots {
		if s := &t.slots[i]; s.valid && matches(s.e, asid, va) {
			return s
		}
	}
	return nil
}

// Lookup returns the entry matching (asid, va) and makes it the most
// recently used of its set, or reports a miss.
func (t *TLB) Lookup(asid vm.ASID, va vm.VAddr) (vm.TLBEntry, bool) {
	s := t.find(asid, va)
	if s == nil {
		t.stats.Misses++
		return vm.TLBEntry{}, false
	}
	t.stats.Hits++
	t.clock++
	s.used = t.clock
	return s.e, true
}

// Peek returns what Lookup would, changing nothing.
func (t *TLB) Peek(asid vm.ASID, va vm.VAddr) (vm.TLBEntry, bool) {
	if s := t.find(asid, va); s != nil {
		return s.e, true
	}
	return vm.TLBEntry{}, false
}

// Insert caches e: it drops the entries that share a lookup with e, then
// takes a free way of e's set or evicts the set's least recently used one.
func (t *TLB) Insert(e vm.TLBEntry) error {
	if e.Size == 0 || e.Size&(e.Size-1) != 0 {
		return fmt.Errorf("tlb: insert %v: page size %d is not a power of two: %w", e, uint64(e.Size), vm.ErrInvalidConfig)
	}
	if uint64(e.VA)%uint64(e.Size) != 0 {
		return fmt.Errorf("tlb: insert %v: address not aligned to the page size: %w", e, vm.ErrNotAligned)
	}
	// 1. Replacements: any entry whose page overlaps e's and that could
	// answer one of e's lookups. Comparing last bytes avoids overflow.
	last := e.VA + vm.VAddr(e.Size-1)
	for i := range t.slots {
		x := &t.slots[i]
		xLast := x.e.VA + vm.VAddr(x.e.Size-1)
		if x.valid && x.e.VA <= last && e.VA <= xLast && (x.e.Global || e.Global || x.e.ASID == e.ASID) {
			x.valid = false
			t.n--
		}
	}
	// 2. Placement in e's own set: the lowest free way, else the LRU way.
	set := t.set(e.VA, e.Size)
	way := -1
	for i := range set {
		if !set[i].valid {
			way = i
			break
		}
	}
	if way < 0 {
		way = 0
		for i := range set {
			if set[i].used < set[way].used {
				way = i
			}
		}
		t.stats.Evictions++
		t.n--
	}
	t.clock++
	set[way] = slot{e: e, valid: true, used: t.clock}
	t.n++
	t.stats.Inserts++
	return nil
}

// drop invalidates every valid slot for which gone reports true and counts
// one flush.
func (t *TLB) drop(gone func(vm.TLBEntry) bool) {
	for i := range t.slots {
		if s := &t.slots[i]; s.valid && gone(s.e) {
			s.valid = false
			t.n--
		}
	}
	t.stats.Flushes++
}

// FlushAll drops every entry.
func (t *TLB) FlushAll() { t.drop(func(vm.TLBEntry) bool { return true }) }

// FlushNonGlobal drops every non-global entry.
func (t *TLB) FlushNonGlobal() { t.drop(func(e vm.TLBEntry) bool { return !e.Global }) }

// FlushASID drops the non-global entries tagged asid.
func (t *TLB) FlushASID(asid vm.ASID) {
	t.drop(func(e vm.TLBEntry) bool { return !e.Global && e.ASID == asid })
}

// FlushPage drops the entry matching (asid, va), global or not.
func (t *TLB) FlushPage(asid vm.ASID, va vm.VAddr) {
	t.drop(func(e vm.TLBEntry) bool { return matches(e, asid, va) })
}

// Len returns the number of valid entries.
func (t *TLB) Len() int { return t.n }

// Stats returns the counters.
func (t *TLB) Stats() vm.TLBStats { return t.stats }

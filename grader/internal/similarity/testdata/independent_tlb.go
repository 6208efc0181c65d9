// An independent implementation of exercise 04's TLB, written from the
// stub's contract without reading the reference: the similarity tests use
// it as honest work that must not look copied.

package tlb

import (
	"fmt"
	"math/bits"

	"github.com/vmkata/vmkata/vm"
)

type slot struct {
	used  bool
	entry vm.TLBEntry
	last  uint64
}

type TLB struct {
	ways  int
	slots [][]slot
	clock uint64
	stats vm.TLBStats
}

func New(cfg vm.TLBConfig) (*TLB, error) {
	switch {
	case cfg.Entries <= 0 || cfg.Ways <= 0:
		return nil, fmt.Errorf("tlb: %v: sizes must be positive: %w", cfg, vm.ErrInvalidConfig)
	case cfg.Entries%cfg.Ways != 0:
		return nil, fmt.Errorf("tlb: %v: ways must divide entries: %w", cfg, vm.ErrInvalidConfig)
	}
	n := cfg.Entries / cfg.Ways
	if n&(n-1) != 0 {
		return nil, fmt.Errorf("tlb: %v: %d sets is not a power of two: %w", cfg, n, vm.ErrInvalidConfig)
	}
	t := &TLB{ways: cfg.Ways, slots: make([][]slot, n)}
	for i := range t.slots {
		t.slots[i] = make([]slot, cfg.Ways)
	}
	return t, nil
}

func covers(e vm.TLBEntry, asid vm.ASID, va vm.VAddr) bool {
	if !e.Global && e.ASID != asid {
		return false
	}
	return va >= e.VA && uint64(va-e.VA) < uint64(e.Size)
}

// find returns the set and way of the entry matching (asid, va).
func (t *TLB) find(asid vm.ASID, va vm.VAddr) (int, int, bool) {
	for s := range t.slots {
		for w := range t.slots[s] {
			if sl := &t.slots[s][w]; sl.used && covers(sl.entry, asid, va) {
				return s, w, true
			}
		}
	}
	return 0, 0, false
}

func (t *TLB) Lookup(asid vm.ASID, va vm.VAddr) (vm.TLBEntry, bool) {
	s, w, ok := t.find(asid, va)
	if !ok {
		t.stats.Misses++
		return vm.TLBEntry{}, false
	}
	t.stats.Hits++
	t.clock++
	t.slots[s][w].last = t.clock
	return t.slots[s][w].entry, true
}

func (t *TLB) Peek(asid vm.ASID, va vm.VAddr) (vm.TLBEntry, bool) {
	if s, w, ok := t.find(asid, va); ok {
		return t.slots[s][w].entry, true
	}
	return vm.TLBEntry{}, false
}

// conflicts reports whether a and b could both answer one lookup.
func conflicts(a, b vm.TLBEntry) bool {
	shared := a.Global || b.Global || a.ASID == b.ASID
	// Last bytes, not ends: a page at the top of the address space has no end.
	lastA, lastB := uint64(a.VA)+uint64(a.Size)-1, uint64(b.VA)+uint64(b.Size)-1
	return shared && uint64(a.VA) <= lastB && uint64(b.VA) <= lastA
}

func (t *TLB) Insert(e vm.TLBEntry) error {
	if e.Size == 0 || e.Size&(e.Size-1) != 0 {
		return fmt.Errorf("tlb: page size %d: %w", e.Size, vm.ErrInvalidConfig)
	}
	if uint64(e.VA)%uint64(e.Size) != 0 {
		return fmt.Errorf("tlb: %#x is not a multiple of %d: %w", uint64(e.VA), e.Size, vm.ErrNotAligned)
	}
	t.drop(func(old vm.TLBEntry) bool { return conflicts(old, e) })
	shift := bits.TrailingZeros64(uint64(e.Size))
	set := t.slots[(uint64(e.VA)>>shift)%uint64(len(t.slots))]
	victim := -1
	for w := range set {
		if !set[w].used {
			victim = w
			break
		}
	}
	if victim < 0 {
		victim = 0
		for w := 1; w < len(set); w++ {
			if set[w].last < set[victim].last {
				victim = w
			}
		}
		t.stats.Evictions++
	}
	t.clock++
	set[victim] = slot{used: true, entry: e, last: t.clock}
	t.stats.Inserts++
	return nil
}

// drop invalidates every entry for which gone is true.
func (t *TLB) drop(gone func(vm.TLBEntry) bool) {
	for s := range t.slots {
		for w := range t.slots[s] {
			if t.slots[s][w].used && gone(t.slots[s][w].entry) {
				t.slots[s][w] = slot{}
			}
		}
	}
}

func (t *TLB) FlushAll() {
	t.stats.Flushes++
	t.drop(func(vm.TLBEntry) bool { return true })
}

func (t *TLB) FlushNonGlobal() {
	t.stats.Flushes++
	t.drop(func(e vm.TLBEntry) bool { return !e.Global })
}

func (t *TLB) FlushASID(asid vm.ASID) {
	t.stats.Flushes++
	t.drop(func(e vm.TLBEntry) bool { return !e.Global && e.ASID == asid })
}

func (t *TLB) FlushPage(asid vm.ASID, va vm.VAddr) {
	t.stats.Flushes++
	t.drop(func(e vm.TLBEntry) bool { return covers(e, asid, va) })
}

func (t *TLB) Len() int {
	n := 0
	for _, set := range t.slots {
		for _, sl := range set {
			if sl.used {
				n++
			}
		}
	}
	return n
}

func (t *TLB) Stats() vm.TLBStats { return t.stats }

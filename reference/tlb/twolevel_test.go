package tlb

import (
	"errors"
	"testing"

	"github.com/vmkata/vmkata/vm"
)

func newPair(t *testing.T) *TwoLevel {
	t.Helper()
	l1, err := New(vm.TLBConfig{Entries: 2, Ways: 2})
	if err != nil {
		t.Fatal(err)
	}
	l2, err := New(vm.TLBConfig{Entries: 8, Ways: 2})
	if err != nil {
		t.Fatal(err)
	}
	p, err := NewTwoLevel(l1, l2)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestNewTwoLevelRejectsMissingLevel(t *testing.T) {
	l, _ := New(vm.TLBConfig{Entries: 4, Ways: 4})
	tests := []struct {
		name   string
		l1, l2 vm.TLB
	}{
		{name: "no L1", l2: l},
		{name: "no L2", l1: l},
		{name: "neither"},
	}
	for _, tt := range tests {
		if _, err := NewTwoLevel(tt.l1, tt.l2); !errors.Is(err, vm.ErrInvalidConfig) {
			t.Errorf("%s: NewTwoLevel = %v, want an error wrapping %v", tt.name, err, vm.ErrInvalidConfig)
		}
	}
}

func TestTwoLevelRefillsL1FromL2(t *testing.T) {
	p := newPair(t)
	pg := func(i int) vm.TLBEntry {
		return vm.TLBEntry{ASID: 1, VA: vm.VAddr(i) << 12, Size: vm.Size4K, PFN: vm.PFN(i)}
	}
	for i := range 3 { // the 2-entry L1 keeps pages 1 and 2; L2 keeps all three
		if err := p.Insert(pg(i)); err != nil {
			t.Fatalf("Insert(%v) = %v", pg(i), err)
		}
	}
	if e, ok := p.l1.Peek(1, 0); ok {
		t.Fatalf("L1 Peek(asid 1, 0x0) = %v, want page 0 evicted from the 2-entry L1", e)
	}
	if e, ok := p.Lookup(1, 0x10); !ok || e != pg(0) {
		t.Fatalf("Lookup(asid 1, 0x10) = %v, %v; want %v from L2", e, ok, pg(0))
	}
	if e, ok := p.l1.Peek(1, 0); !ok || e != pg(0) {
		t.Errorf("after an L2 hit, L1 Peek(asid 1, 0x0) = %v, %v; want the refilled %v", e, ok, pg(0))
	}
	if _, ok := p.Lookup(1, 0x9000); ok {
		t.Errorf("Lookup(asid 1, 0x9000) hit, want miss")
	}

	want := vm.TLBStats{Hits: 1, Misses: 1, Inserts: 3, Evictions: 2} // L1 evicted page 0, then page 1 for the refill
	if got := p.Stats(); got != want {
		t.Errorf("Stats() = %+v, want %+v", got, want)
	}
	if got := p.L1Stats(); got.Hits != 0 || got.Misses != 2 {
		t.Errorf("L1Stats() = %+v, want 0 hits and 2 misses", got)
	}
	if got := p.L2Stats(); got.Hits != 1 || got.Misses != 1 {
		t.Errorf("L2Stats() = %+v, want 1 hit and 1 miss", got)
	}
	if p.Len() != 5 {
		t.Errorf("Len() = %d, want 5 (2 in L1 + 3 in L2)", p.Len())
	}
}

func TestTwoLevelFlushesBothLevels(t *testing.T) {
	pg := vm.TLBEntry{ASID: 1, VA: 0x3000, Size: vm.Size4K, PFN: 7}
	kern := vm.TLBEntry{VA: 0xffff800000000000, Size: vm.Size2M, PFN: 0x200, Global: true}
	tests := []struct {
		name        string
		flush       func(*TwoLevel)
		keepsPage   bool
		keepsKernel bool
	}{
		{name: "FlushAll", flush: (*TwoLevel).FlushAll},
		{name: "FlushNonGlobal", flush: (*TwoLevel).FlushNonGlobal, keepsKernel: true},
		{name: "FlushASID(1)", flush: func(p *TwoLevel) { p.FlushASID(1) }, keepsKernel: true},
		{name: "FlushASID(2)", flush: func(p *TwoLevel) { p.FlushASID(2) }, keepsPage: true, keepsKernel: true},
		{name: "FlushPage(1, page)", flush: func(p *TwoLevel) { p.FlushPage(1, 0x3000) }, keepsKernel: true},
		{name: "FlushPage(2, kernel)", flush: func(p *TwoLevel) { p.FlushPage(2, kern.VA) }, keepsPage: true},
	}
	for _, tt := range tests {
		p := newPair(t)
		_ = p.Insert(pg)
		_ = p.Insert(kern)
		tt.flush(p)
		for _, c := range []struct {
			lvl  string
			tlb  vm.TLB
			va   vm.VAddr
			want bool
		}{
			{"L1", p.l1, pg.VA, tt.keepsPage}, {"L2", p.l2, pg.VA, tt.keepsPage},
			{"L1", p.l1, kern.VA, tt.keepsKernel}, {"L2", p.l2, kern.VA, tt.keepsKernel},
		} {
			if _, ok := c.tlb.Peek(1, c.va); ok != c.want {
				t.Errorf("after %s, %s Peek(asid 1, %v) hit = %v, want %v", tt.name, c.lvl, c.va, ok, c.want)
			}
		}
		if p.Stats().Flushes != 1 {
			t.Errorf("after %s, Stats().Flushes = %d, want 1", tt.name, p.Stats().Flushes)
		}
	}
}

func TestTwoLevelInsertRejects(t *testing.T) {
	p := newPair(t)
	bad := vm.TLBEntry{ASID: 1, VA: 0x3010, Size: vm.Size4K}
	if err := p.Insert(bad); !errors.Is(err, vm.ErrNotAligned) {
		t.Errorf("Insert(%v) = %v, want an error wrapping %v", bad, err, vm.ErrNotAligned)
	}
	if p.Len() != 0 || p.Stats().Inserts != 0 {
		t.Errorf("after a rejected Insert, Len() = %d, Stats().Inserts = %d; want 0, 0", p.Len(), p.Stats().Inserts)
	}
}

func TestTwoLevelLookupDoesNotAllocate(t *testing.T) {
	p := newPair(t)
	a := vm.TLBEntry{ASID: 1, VA: 0x0000, Size: vm.Size4K, PFN: 1}
	b := vm.TLBEntry{ASID: 1, VA: 0x2000, Size: vm.Size4K, PFN: 2}
	c := vm.TLBEntry{ASID: 1, VA: 0x4000, Size: vm.Size4K, PFN: 3}
	_, _, _ = p.Insert(a), p.Insert(b), p.Insert(c)
	// a, b and c share L1's one set of 2: cycling through them hits in L2 and refills L1 every time.
	vas := []vm.VAddr{a.VA, b.VA, c.VA}
	i := 0
	if n := testing.AllocsPerRun(100, func() { p.Lookup(1, vas[i%3]); i++ }); n != 0 {
		t.Errorf("Lookup with L2 hits and L1 refills: %v allocations per call, want 0", n)
	}
}

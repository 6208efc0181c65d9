package tlb

import (
	"errors"
	"testing"

	"github.com/vmkata/vmkata/vm"
)

func TestNewRejects(t *testing.T) {
	tests := []struct {
		name string
		cfg  vm.TLBConfig
	}{
		{name: "zero entries", cfg: vm.TLBConfig{Entries: 0, Ways: 1}},
		{name: "negative entries", cfg: vm.TLBConfig{Entries: -4, Ways: 1}},
		{name: "too many entries", cfg: vm.TLBConfig{Entries: MaxEntries * 2, Ways: 2}},
		{name: "zero ways", cfg: vm.TLBConfig{Entries: 4, Ways: 0}},
		{name: "negative ways", cfg: vm.TLBConfig{Entries: 4, Ways: -1}},
		{name: "ways do not divide entries", cfg: vm.TLBConfig{Entries: 64, Ways: 5}},
		{name: "ways above entries", cfg: vm.TLBConfig{Entries: 4, Ways: 8}},
		{name: "three sets", cfg: vm.TLBConfig{Entries: 12, Ways: 4}},
	}
	for _, tt := range tests {
		got, err := New(tt.cfg)
		if !errors.Is(err, vm.ErrInvalidConfig) || got != nil {
			t.Errorf("%s: New(%v) = %v, %v; want nil, an error wrapping %v", tt.name, tt.cfg, got, err, vm.ErrInvalidConfig)
		}
	}
}

func TestNewAccepts(t *testing.T) {
	tests := []struct {
		cfg  vm.TLBConfig
		sets int
	}{
		{cfg: vm.TLBConfig{Entries: 1, Ways: 1}, sets: 1},
		{cfg: vm.TLBConfig{Entries: 64, Ways: 4}, sets: 16},
		{cfg: vm.TLBConfig{Entries: 1536, Ways: 12}, sets: 128},
		{cfg: vm.TLBConfig{Entries: 8, Ways: 8}, sets: 1},
		{cfg: vm.TLBConfig{Entries: 8, Ways: 1}, sets: 8},
	}
	for _, tt := range tests {
		got, err := New(tt.cfg)
		if err != nil {
			t.Errorf("New(%v) = %v, want a TLB", tt.cfg, err)
			continue
		}
		if got.Sets() != tt.sets || got.Config() != tt.cfg || got.Len() != 0 {
			t.Errorf("New(%v): Sets() = %d, Config() = %v, Len() = %d; want %d, %v, 0", tt.cfg, got.Sets(), got.Config(), got.Len(), tt.sets, tt.cfg)
		}
	}
}

func TestInsertRejects(t *testing.T) {
	tests := []struct {
		name string
		e    vm.TLBEntry
		want error
	}{
		{name: "zero size", e: vm.TLBEntry{VA: 0x1000}, want: vm.ErrInvalidConfig},
		{name: "size not a power of two", e: vm.TLBEntry{VA: 0x3000, Size: 0x3000}, want: vm.ErrInvalidConfig},
		{name: "4K page at an odd address", e: vm.TLBEntry{VA: 0x1010, Size: vm.Size4K}, want: vm.ErrNotAligned},
		{name: "2M page at a 4K address", e: vm.TLBEntry{VA: 0x201000, Size: vm.Size2M}, want: vm.ErrNotAligned},
	}
	for _, tt := range tests {
		tl, _ := New(vm.TLBConfig{Entries: 8, Ways: 2})
		if err := tl.Insert(tt.e); !errors.Is(err, tt.want) {
			t.Errorf("%s: Insert(%v) = %v, want an error wrapping %v", tt.name, tt.e, err, tt.want)
		}
		if tl.Len() != 0 || tl.Stats() != (vm.TLBStats{}) {
			t.Errorf("%s: after a rejected Insert, Len() = %d, Stats() = %+v; want 0 and no counts", tt.name, tl.Len(), tl.Stats())
		}
	}
}

// TestFillOrder checks the documented placement: lowest invalid way first,
// then the least recently used way.
func TestFillOrder(t *testing.T) {
	tl, _ := New(vm.TLBConfig{Entries: 4, Ways: 4})
	page := func(i int) vm.TLBEntry {
		return vm.TLBEntry{ASID: 1, VA: vm.VAddr(i) << 12, Size: vm.Size4K, PFN: vm.PFN(i)}
	}
	for i := range 4 {
		if err := tl.Insert(page(i)); err != nil {
			t.Fatalf("Insert(%v) = %v", page(i), err)
		}
	}
	tl.FlushPage(1, page(1).VA)
	tl.FlushPage(1, page(2).VA)
	_ = tl.Insert(page(5)) // fills way 1, the lowest invalid one
	if got := tl.Entries(); got[1] != page(5) {
		t.Errorf("after filling way 1, Entries() = %v, want %v in way 1", got, page(5))
	}
	_ = tl.Insert(page(6)) // fills way 2
	tl.Lookup(1, page(0).VA)
	_ = tl.Insert(page(7)) // set full: LRU is page 3 in way 3
	want := []vm.TLBEntry{page(0), page(5), page(6), page(7)}
	got := tl.Entries()
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("Entries() = %v, want %v", got, want)
		}
	}
	if s := tl.Stats(); s.Evictions != 1 {
		t.Errorf("Stats().Evictions = %d, want 1", s.Evictions)
	}
}

// TestHugeReplacesSmall checks that a huge page replaces the small entries
// of its ASID it covers, and only those, even when they span every set.
func TestHugeReplacesSmall(t *testing.T) {
	tl, _ := New(vm.TLBConfig{Entries: 16, Ways: 2})
	for i := range 8 { // 8 pages of asid 1 inside the first 2M page, in sets 0..7
		_ = tl.Insert(vm.TLBEntry{ASID: 1, VA: vm.VAddr(i) << 12, Size: vm.Size4K, PFN: vm.PFN(i)})
	}
	_ = tl.Insert(vm.TLBEntry{ASID: 2, VA: 0x5000, Size: vm.Size4K, PFN: 0x55})
	_ = tl.Insert(vm.TLBEntry{ASID: 1, VA: 0x200000, Size: vm.Size4K, PFN: 0x99}) // next 2M page
	huge := vm.TLBEntry{ASID: 1, VA: 0, Size: vm.Size2M, PFN: 0x400}
	if err := tl.Insert(huge); err != nil {
		t.Fatalf("Insert(%v) = %v", huge, err)
	}
	if tl.Len() != 3 {
		t.Errorf("after Insert(%v), Len() = %d, want 3 (the huge page, asid 2's page, the page past it); entries %v", huge, tl.Len(), tl.Entries())
	}
	if e, ok := tl.Peek(1, 0x7abc); !ok || e != huge {
		t.Errorf("Peek(asid 1, 0x7abc) = %v, %v; want %v", e, ok, huge)
	}
	if e, ok := tl.Peek(2, 0x5000); !ok || e.PFN != 0x55 {
		t.Errorf("Peek(asid 2, 0x5000) = %v, %v; want asid 2's own page", e, ok)
	}
	if s := tl.Stats(); s.Evictions != 0 {
		t.Errorf("Stats().Evictions = %d, want 0: replacing is not evicting", s.Evictions)
	}
	small := vm.TLBEntry{ASID: 0, VA: 0x3000, Size: vm.Size4K, PFN: 3, Global: true}
	_ = tl.Insert(small) // a global 4K page inside asid 1's huge page replaces it
	if _, ok := tl.Peek(1, 0x7abc); ok || tl.Len() != 3 {
		t.Errorf("after Insert(%v): Peek(asid 1, 0x7abc) hit = %v, Len() = %d; want miss, 3", small, ok, tl.Len())
	}
}

func TestHotPathsDoNotAllocate(t *testing.T) {
	tl, _ := New(vm.TLBConfig{Entries: 64, Ways: 4})
	e := vm.TLBEntry{ASID: 1, VA: 0x3000, Size: vm.Size4K, PFN: 7}
	huge := vm.TLBEntry{ASID: 1, VA: 0x40000000, Size: vm.Size1G, PFN: 0x40000}
	tests := []struct {
		name string
		f    func()
	}{
		{name: "Lookup hit", f: func() { tl.Lookup(1, 0x3004) }},
		{name: "Lookup miss", f: func() { tl.Lookup(2, 0x3004) }},
		{name: "Peek", f: func() { tl.Peek(1, 0x3004) }},
		{name: "Insert", f: func() { _ = tl.Insert(e) }},
		{name: "Insert huge", f: func() { _ = tl.Insert(huge) }},
		{name: "FlushPage", f: func() { tl.FlushPage(1, 0x3000); _ = tl.Insert(e) }},
	}
	_ = tl.Insert(e)
	for _, tt := range tests {
		if n := testing.AllocsPerRun(100, tt.f); n != 0 {
			t.Errorf("%s: %v allocations per call, want 0", tt.name, n)
		}
	}
}

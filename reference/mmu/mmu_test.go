package mmu_test

import (
	"errors"
	"testing"

	"github.com/vmkata/vmkata/reference/mmu"
	"github.com/vmkata/vmkata/reference/phys"
	"github.com/vmkata/vmkata/reference/tlb"
	"github.com/vmkata/vmkata/vm"
)

func TestNewRejects(t *testing.T) {
	mem, _ := phys.NewMemory(16, vm.Size4K)
	small, _ := phys.NewMemory(16, 64)
	tl, _ := tlb.New(vm.TLBConfig{Entries: 4, Ways: 4})
	wide := vm.X86_64
	wide.LevelBits = [vm.MaxLevels]uint8{9, 9, 9, 10} // 10 index bits of 8 bytes overflow a 4K table
	wide.VABits = 49
	tests := []struct {
		name string
		cfg  vm.MMUConfig
	}{
		{name: "nil TLB", cfg: vm.MMUConfig{Geometry: vm.X86_64, Mem: mem}},
		{name: "nil memory", cfg: vm.MMUConfig{Geometry: vm.X86_64, TLB: tl}},
		{name: "zero geometry", cfg: vm.MMUConfig{TLB: tl, Mem: mem}},
		{name: "table larger than a page", cfg: vm.MMUConfig{Geometry: wide, TLB: tl, Mem: mem}},
		{name: "frame size mismatch", cfg: vm.MMUConfig{Geometry: vm.X86_64, TLB: tl, Mem: small}},
		{name: "software TLB without Refill", cfg: vm.MMUConfig{Geometry: vm.X86_64, TLB: tl, Mem: mem, SoftwareTLB: true}},
	}
	for _, tt := range tests {
		if _, err := mmu.New(tt.cfg); !errors.Is(err, vm.ErrInvalidConfig) {
			t.Errorf("New(%s) = %v, want an error wrapping %v", tt.name, err, vm.ErrInvalidConfig)
		}
	}
}

func TestTranslateAllocatesNothing(t *testing.T) {
	hit := newMachine(t, 2, vm.TLBConfig{Entries: 64, Ways: 4})
	if _, err := hit.mmu.Translate(0x400000, vm.UserWrite); err != nil {
		t.Fatal(err)
	}
	if n := testing.AllocsPerRun(100, func() { _, _ = hit.mmu.Translate(0x400008, vm.UserRead) }); n != 0 {
		t.Errorf("Translate on a TLB hit: %v allocations, want 0", n)
	}
	miss := newMachine(t, 2, vm.TLBConfig{Entries: 1, Ways: 1})
	va := vm.VAddr(0x400000)
	if n := testing.AllocsPerRun(100, func() {
		va ^= 0x1000 // two pages, one TLB entry: every translation walks
		_, _ = miss.mmu.Translate(va, vm.UserWrite)
	}); n != 0 {
		t.Errorf("Translate on a TLB miss: %v allocations, want 0", n)
	}
	if s := miss.mmu.Stats(); s.TLBHits != 0 || s.Walks != s.Translations {
		t.Errorf("the miss loop hit the TLB: Stats() = %v, want every translation to walk", s)
	}
	buf := make([]byte, 16)
	if n := testing.AllocsPerRun(100, func() {
		_ = hit.mmu.Store(0x400ff8, buf, true) // crosses into the second page
		_ = hit.mmu.Load(0x400ff8, buf, true)
	}); n != 0 {
		t.Errorf("Store and Load across a page boundary: %v allocations, want 0", n)
	}
}

func TestTranslateNonCanonicalAddressesPerGeometry(t *testing.T) {
	tests := []struct {
		g         vm.Geometry
		va        vm.VAddr
		canonical bool
	}{
		{vm.X86_64, 0x00007fffffffffff, true},
		{vm.X86_64, 0x0000800000000000, false},
		{vm.X86_64, 0xffff800000000000, true},
		{vm.X86_64, 0xfeff800000000000, false},
		{vm.X86_64_5Level, 0x00ffffffffffffff, true},
		{vm.X86_64_5Level, 0x0100000000000000, false},
		{vm.X86_32, 0xffffffff, true},
		{vm.X86_32, 0x100000000, false},
		{vm.Textbook, 0x3fff, true},
		{vm.Textbook, 0x4000, false},
	}
	for _, tt := range tests {
		mem, _ := phys.NewMemory(64, tt.g.PageSize())
		tl, _ := tlb.New(vm.TLBConfig{Entries: 4, Ways: 4})
		m, err := mmu.New(vm.MMUConfig{Geometry: tt.g, TLB: tl, Mem: mem})
		if err != nil {
			t.Fatalf("New(%v) = %v", tt.g, err)
		}
		m.LoadCR3(emptyTable{}, 0, false)
		_, err = m.Translate(tt.va, vm.SupervisorRead)
		if got := !errors.Is(err, vm.ErrNonCanonical); got != tt.canonical {
			t.Errorf("%v: Translate(%v) = %v; canonical = %v, want %v", tt.g, tt.va, err, got, tt.canonical)
		}
	}
}

// emptyTable is a page table that maps nothing.
type emptyTable struct{}

func (emptyTable) Map(vm.Mapping) error               { return vm.ErrOutOfMemory }
func (emptyTable) Unmap(vm.VAddr) (vm.Mapping, error) { return vm.Mapping{}, vm.ErrNotMapped }
func (emptyTable) Protect(vm.VAddr, vm.Perm) error    { return vm.ErrNotMapped }
func (emptyTable) Walk(va vm.VAddr) (vm.Walk, error)  { return vm.Walk{VA: va, Steps: 1}, nil }
func (emptyTable) MarkAccessed(vm.VAddr, bool) error  { return vm.ErrNotMapped }
func (emptyTable) Root() vm.PAddr                     { return 0 }

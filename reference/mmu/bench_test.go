package mmu_test

import (
	"testing"

	"github.com/vmkata/vmkata/vm"
)

// The working set of the translation benchmarks: 64 pages, each touched
// at a different offset, in a pre-built order.
const benchPages = 64

func benchAddrs() []vm.VAddr {
	addrs := make([]vm.VAddr, 1024)
	for i := range addrs {
		page := (i * 37) % benchPages
		addrs[i] = vm.VAddr(0x400000 + page<<12 + (i*8)%4096)
	}
	return addrs
}

// BenchmarkTranslateTLBHit translates addresses whose pages all fit in a
// 64-entry 4-way TLB (an L1 dTLB's shape): after the first pass, every
// translation hits.
func BenchmarkTranslateTLBHit(b *testing.B) {
	m := newMachine(b, benchPages, vm.TLBConfig{Entries: 64, Ways: 4})
	addrs := benchAddrs()
	for _, va := range addrs {
		_, _ = m.mmu.Translate(va, vm.UserRead)
	}
	b.ReportAllocs()
	b.ResetTimer()
	var sink vm.PAddr
	for i := 0; b.Loop(); i++ {
		pa, _ := m.mmu.Translate(addrs[i%len(addrs)], vm.UserRead)
		sink ^= pa
	}
	b.StopTimer()
	if s := m.mmu.Stats(); s.Walks != benchPages {
		b.Fatalf("Stats() = %v: the hit benchmark walked after warming up", s)
	}
	_ = sink
}

// BenchmarkTranslateTLBMiss translates the same addresses through a
// one-entry TLB: consecutive addresses lie on different pages, so every
// translation misses and walks the four levels.
func BenchmarkTranslateTLBMiss(b *testing.B) {
	m := newMachine(b, benchPages, vm.TLBConfig{Entries: 1, Ways: 1})
	addrs := benchAddrs()
	for _, va := range addrs {
		_, _ = m.mmu.Translate(va, vm.UserRead) // set the A bits once
	}
	b.ReportAllocs()
	b.ResetTimer()
	var sink vm.PAddr
	for i := 0; b.Loop(); i++ {
		pa, _ := m.mmu.Translate(addrs[i%len(addrs)], vm.UserRead)
		sink ^= pa
	}
	b.StopTimer()
	if s := m.mmu.Stats(); s.TLBHits != 0 {
		b.Fatalf("Stats() = %v: the miss benchmark hit the TLB", s)
	}
	_ = sink
}

// BenchmarkGoMapTranslate is the peer: the same translations as a Go map
// lookup from virtual page number to frame number plus the offset, with no
// permissions, no A/D bits and no statistics.
func BenchmarkGoMapTranslate(b *testing.B) {
	table := make(map[uint64]uint64, benchPages)
	for i := range benchPages {
		table[uint64(0x400000>>12+i)] = uint64(1024 + i)
	}
	addrs := benchAddrs()
	b.ReportAllocs()
	b.ResetTimer()
	var sink uint64
	for i := 0; b.Loop(); i++ {
		va := uint64(addrs[i%len(addrs)])
		pfn, ok := table[va>>12]
		if !ok {
			b.Fatalf("no page for %#x", va)
		}
		sink ^= pfn<<12 | va&0xfff
	}
	_ = sink
}

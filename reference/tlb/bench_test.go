package tlb

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/vmkata/vmkata/vm"
)

// Benchmark geometries: an x86 L1 dTLB and a second-level TLB (STLB).
var benchConfigs = []vm.TLBConfig{
	{Entries: 64, Ways: 4},
	{Entries: 1536, Ways: 12},
}

// workingSet returns cfg.Entries 4K pages spread over three ASIDs, which
// fill every set exactly, and a trace of 4096 addresses inside them, in
// random order (seeded).
func workingSet(cfg vm.TLBConfig) (pages []vm.TLBEntry, asids []vm.ASID, vas []vm.VAddr) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := range cfg.Entries {
		pages = append(pages, vm.TLBEntry{ASID: vm.ASID(i % 3), VA: vm.VAddr(0x400000 + i<<12), Size: vm.Size4K, PFN: vm.PFN(i), Perm: vm.PermRW | vm.PermUser})
	}
	for range 4096 {
		p := pages[r.IntN(len(pages))]
		asids = append(asids, p.ASID)
		vas = append(vas, p.VA+vm.VAddr(r.IntN(4096)))
	}
	return pages, asids, vas
}

func filled(b *testing.B, cfg vm.TLBConfig, pages []vm.TLBEntry) *TLB {
	t, err := New(cfg)
	if err != nil {
		b.Fatal(err)
	}
	for _, p := range pages {
		if err := t.Insert(p); err != nil {
			b.Fatal(err)
		}
	}
	if t.Len() != len(pages) {
		b.Fatalf("Len() = %d after inserting %d pages that fill every set", t.Len(), len(pages))
	}
	return t
}

func BenchmarkLookupHit(b *testing.B) {
	for _, cfg := range benchConfigs {
		b.Run(fmt.Sprintf("%dx%d", cfg.Entries, cfg.Ways), func(b *testing.B) {
			pages, asids, vas := workingSet(cfg)
			t := filled(b, cfg, pages)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				j := i & 4095
				if _, ok := t.Lookup(asids[j], vas[j]); !ok {
					b.Fatalf("Lookup(%v, %v) missed in a TLB holding the working set", asids[j], vas[j])
				}
			}
			b.ReportMetric(t.Stats().HitRatio(), "hit-ratio")
		})
	}
}

// BenchmarkLookupHitMixedSizes is BenchmarkLookupHit with a 2M entry also
// present, so every lookup probes two sets (one per page size held).
func BenchmarkLookupHitMixedSizes(b *testing.B) {
	cfg := benchConfigs[0]
	pages, asids, vas := workingSet(cfg)
	t := filled(b, cfg, pages[:len(pages)-1])
	_ = t.Insert(vm.TLBEntry{VA: 0x40000000, Size: vm.Size2M, Global: true})
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		j := i & 4095
		t.Lookup(asids[j], vas[j])
	}
}

func BenchmarkLookupMiss(b *testing.B) {
	for _, cfg := range benchConfigs {
		b.Run(fmt.Sprintf("%dx%d", cfg.Entries, cfg.Ways), func(b *testing.B) {
			pages, asids, vas := workingSet(cfg)
			t := filled(b, cfg, pages)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				j := i & 4095
				if _, ok := t.Lookup(asids[j]+3, vas[j]); ok { // an ASID that holds nothing
					b.Fatal("hit for an ASID that holds nothing")
				}
			}
		})
	}
}

// BenchmarkInsert inserts a stream of pages four times the capacity, so
// that once warm every Insert evicts the least recently used entry of a
// full set.
func BenchmarkInsert(b *testing.B) {
	for _, cfg := range benchConfigs {
		b.Run(fmt.Sprintf("%dx%d", cfg.Entries, cfg.Ways), func(b *testing.B) {
			t, err := New(cfg)
			if err != nil {
				b.Fatal(err)
			}
			stream := make([]vm.TLBEntry, 4*cfg.Entries)
			for i := range stream {
				stream[i] = vm.TLBEntry{ASID: vm.ASID(i % 3), VA: vm.VAddr(i) << 12, Size: vm.Size4K, PFN: vm.PFN(i)}
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				if err := t.Insert(stream[i%len(stream)]); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkGoMapLookup is the peer: a plain Go map from asid<<48|vpn to a
// frame number, looked up over the same working set and trace as
// BenchmarkLookupHit. It has no capacity, no recency and no page sizes; it
// shows what a lookup costs at the least.
func BenchmarkGoMapLookup(b *testing.B) {
	for _, cfg := range benchConfigs {
		b.Run(fmt.Sprintf("%dx%d", cfg.Entries, cfg.Ways), func(b *testing.B) {
			pages, asids, vas := workingSet(cfg)
			m := make(map[uint64]uint64, len(pages))
			for _, p := range pages {
				m[uint64(p.ASID)<<48|uint64(p.VA)>>12] = uint64(p.PFN)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				j := i & 4095
				if _, ok := m[uint64(asids[j])<<48|uint64(vas[j])>>12]; !ok {
					b.Fatal("map lookup missed")
				}
			}
		})
	}
}

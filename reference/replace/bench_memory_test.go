package replace

import (
	"runtime"
	"testing"

	"github.com/vmkata/vmkata/vm"
)

// BenchmarkMemoryPerPage reports what each policy holds per resident page:
// the heap it allocates for 20 000 frames, filled with distinct pages
// (history and ghost lists included, so ARC, 2Q, CLOCK-Pro and S3-FIFO pay
// for the pages they remember after evicting them). The policies are
// NewFast's, what the simulator runs.
func BenchmarkMemoryPerPage(b *testing.B) {
	const frames = 20_000
	future := make([]vm.PageID, 2*frames)
	for i := range future {
		future[i] = vm.PageID(i)
	}
	for _, name := range Names() {
		b.Run(name, func(b *testing.B) {
			var perPage float64
			for range b.N {
				var before, after runtime.MemStats
				runtime.GC()
				runtime.ReadMemStats(&before)
				p, err := NewFast(name, frames, Options{Future: future, Seed: 1})
				if err != nil {
					b.Fatalf("NewFast(%q, %d): %v", name, frames, err)
				}
				for _, pg := range future {
					p.Access(pg, false)
				}
				runtime.ReadMemStats(&after)
				perPage = float64(after.TotalAlloc-before.TotalAlloc) / frames
				runtime.KeepAlive(p)
			}
			b.ReportMetric(perPage, "bytes/page")
		})
	}
}

package replace

import (
	"math/rand/v2"
	"sort"
	"strconv"
	"sync"
	"testing"

	"github.com/vmkata/vmkata/vm"
)

// The benchmark trace: 10M references drawn from a Zipf(α = 1.0)
// distribution over 1M pages, built once by a seeded generator (inverse CDF
// over the harmonic weights), with page numbers scattered so that popular
// pages are not the small ones.
const (
	benchRefs  = 10_000_000
	benchPages = 1_000_000
)

var (
	benchOnce  sync.Once
	benchTrace []vm.PageID
)

func zipfTrace() []vm.PageID {
	benchOnce.Do(func() {
		cdf := make([]float64, benchPages)
		sum := 0.0
		for i := range cdf {
			sum += 1 / float64(i+1) // α = 1
			cdf[i] = sum
		}
		rng := rand.New(rand.NewPCG(1, 2))
		benchTrace = make([]vm.PageID, benchRefs)
		for i := range benchTrace {
			rank := sort.SearchFloat64s(cdf, rng.Float64()*sum)
			// A bijective scramble of the rank: popular pages get arbitrary ids.
			benchTrace[i] = vm.PageID(uint64(rank)*0x9E3779B97F4A7C15>>20 | uint64(rank))
		}
	})
	return benchTrace
}

// benchPolicy replays the trace b.N times in total accesses: each iteration
// is one access, so ns/op is the cost of one Access. The policy is NewFast's,
// what Simulate and vmsim run.
func benchPolicy(b *testing.B, name string, frames int) {
	trace := zipfTrace()
	opts := Options{Seed: 1}
	if name == "opt" {
		opts.Future = trace
	}
	p, err := NewFast(name, frames, opts)
	if err != nil {
		b.Skip(err)
	}
	var hits uint64
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		j := i % len(trace)
		if j == 0 && i > 0 && name == "opt" {
			b.StopTimer()
			p, _ = NewFast(name, frames, opts) // opt's future is the trace once
			b.StartTimer()
		}
		if hit, _, _ := p.Access(trace[j], j%4 == 0); hit {
			hits++
		}
	}
	reportRate(b, hits)
}

func BenchmarkClassic(b *testing.B) {
	for _, name := range classic {
		for _, pct := range []int{1, 10} {
			frames := benchPages * pct / 100
			b.Run(name+"/"+strconv.Itoa(pct)+"%", func(b *testing.B) { benchPolicy(b, name, frames) })
		}
	}
}

// BenchmarkNextUses builds opt's next-use table for the whole benchmark
// trace, as vmsim does for a trace without next-access times.
func BenchmarkNextUses(b *testing.B) {
	trace := zipfTrace()
	b.ReportAllocs()
	for b.Loop() {
		NextUses(trace)
	}
	b.ReportMetric(float64(b.N)*float64(len(trace))/b.Elapsed().Seconds(), "refs/s")
}

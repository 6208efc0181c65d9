package replace

import (
	"math/rand/v2"
	"sort"
	"strconv"
	"sync"
	"testing"

	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/hashicorp/golang-lru/v2/simplelru"
	"github.com/vmkata/vmkata/vm"
)

// The modern policies and their peers replay one in-memory trace, 10M
// references drawn from Zipf(α = 1.0) over 1M pages (modernTrace: the same
// seeded generator, seed and page scramble as the classic policies'
// benchmark trace), with 1% and 10% of the pages as frames. One iteration is one access; run with
// -benchtime=10000000x so that every policy sees the whole trace once, from
// cold, and the hit ratios compare:
//
//	go test -run='^$' -bench='Modern|Peer' -benchtime=10000000x ./reference/replace/
//
// The peers are hashicorp/golang-lru v2: simplelru.LRU (no lock) and the
// 2Q cache of the root package (a mutex around three simplelru lists),
// driven the way a cache is: Get, and Add on a miss.
func BenchmarkModern(b *testing.B) {
	for _, name := range modern {
		for _, pct := range []int{1, 10} {
			frames := modernPages * pct / 100
			b.Run(name+"/"+strconv.Itoa(pct)+"%", func(b *testing.B) {
				trace := modernTrace()
				p, err := New(name, frames, Options{})
				if err != nil {
					b.Fatal(err)
				}
				var hits uint64
				b.ReportAllocs()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					if hit, _, _ := p.Access(trace[i%len(trace)], false); hit {
						hits++
					}
				}
				reportRate(b, hits)
			})
		}
	}
}

const (
	modernRefs  = 10_000_000
	modernPages = 1_000_000
)

var (
	modernOnce   sync.Once
	modernPageID []vm.PageID
)

// modernTrace builds the benchmark trace once: ranks drawn by inverse CDF
// over the harmonic weights with a PCG(1, 2) generator, each rank scrambled
// to an arbitrary page number so that popular pages are not the small ones.
func modernTrace() []vm.PageID {
	modernOnce.Do(func() {
		cdf := make([]float64, modernPages)
		sum := 0.0
		for i := range cdf {
			sum += 1 / float64(i+1) // α = 1
			cdf[i] = sum
		}
		rng := rand.New(rand.NewPCG(1, 2))
		modernPageID = make([]vm.PageID, modernRefs)
		for i := range modernPageID {
			rank := sort.SearchFloat64s(cdf, rng.Float64()*sum)
			modernPageID[i] = vm.PageID(uint64(rank)*0x9E3779B97F4A7C15>>20 | uint64(rank))
		}
	})
	return modernPageID
}

// reportRate reports accesses per second of benchmark time and the hit ratio.
func reportRate(b *testing.B, hits uint64) {
	b.StopTimer()
	if sec := b.Elapsed().Seconds(); sec > 0 {
		b.ReportMetric(float64(b.N)/sec, "accesses/s")
	}
	b.ReportMetric(float64(hits)/float64(b.N), "hit-ratio")
}

// peerCache is what the peers offer: Get, and Add on a miss.
type peerCache interface {
	Get(vm.PageID) (struct{}, bool)
	Add(vm.PageID, struct{})
}

// simpleLRU adapts simplelru.LRU, whose Add reports an eviction, to peerCache.
type simpleLRU struct {
	*simplelru.LRU[vm.PageID, struct{}]
}

func (c simpleLRU) Add(k vm.PageID, v struct{}) { c.LRU.Add(k, v) }

func BenchmarkPeer(b *testing.B) {
	peers := []struct {
		name string
		make func(frames int) (peerCache, error)
	}{
		{"golang-lru-simplelru", func(n int) (peerCache, error) {
			c, err := simplelru.NewLRU[vm.PageID, struct{}](n, nil)
			return simpleLRU{c}, err
		}},
		{"golang-lru-2q", func(n int) (peerCache, error) { return lru.New2Q[vm.PageID, struct{}](n) }},
	}
	for _, peer := range peers {
		for _, pct := range []int{1, 10} {
			frames := modernPages * pct / 100
			b.Run(peer.name+"/"+strconv.Itoa(pct)+"%", func(b *testing.B) {
				trace := modernTrace()
				c, err := peer.make(frames)
				if err != nil {
					b.Fatal(err)
				}
				var hits uint64
				b.ReportAllocs()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					p := trace[i%len(trace)]
					if _, ok := c.Get(p); ok {
						hits++
					} else {
						c.Add(p, struct{}{})
					}
				}
				reportRate(b, hits)
			})
		}
	}
}

// BenchmarkPageIndex measures the open-addressing index against a Go map on
// the lookups a policy makes: trace pages looked up in a table holding
// frames of them (about the hit ratio's share are found).
func BenchmarkPageIndex(b *testing.B) {
	trace := modernTrace()
	for _, pct := range []int{1, 10} {
		frames := modernPages * pct / 100
		x := newPageIndex(2 * frames) // as the ghost-keeping policies size it
		m := make(map[vm.PageID]int32, 2*frames)
		for i := 0; len(m) < frames; i++ {
			if _, ok := m[trace[i]]; !ok {
				m[trace[i]] = int32(len(m))
				x.put(trace[i], int32(len(m)))
			}
		}
		b.Run("index/"+strconv.Itoa(pct)+"%", func(b *testing.B) {
			found := 0
			for i := 0; i < b.N; i++ {
				if _, ok := x.get(trace[i%len(trace)]); ok {
					found++
				}
			}
			b.ReportMetric(float64(found)/float64(b.N), "found")
		})
		b.Run("map/"+strconv.Itoa(pct)+"%", func(b *testing.B) {
			found := 0
			for i := 0; i < b.N; i++ {
				if _, ok := m[trace[i%len(trace)]]; ok {
					found++
				}
			}
			b.ReportMetric(float64(found)/float64(b.N), "found")
		})
	}
}

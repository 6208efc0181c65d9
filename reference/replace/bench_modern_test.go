package replace

import (
	"strconv"
	"testing"

	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/hashicorp/golang-lru/v2/simplelru"
	"github.com/vmkata/vmkata/vm"
)

// The modern policies and their peers replay the classic policies'
// in-memory trace (zipfTrace: 10M references drawn from Zipf(α = 1.0) over
// 1M pages), with 1% and 10% of the pages as frames. One iteration is one access; run with
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
			frames := benchPages * pct / 100
			b.Run(name+"/"+strconv.Itoa(pct)+"%", func(b *testing.B) { benchPolicy(b, name, frames) })
		}
	}
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
			frames := benchPages * pct / 100
			b.Run(peer.name+"/"+strconv.Itoa(pct)+"%", func(b *testing.B) {
				trace := zipfTrace()
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
	trace := zipfTrace()
	for _, pct := range []int{1, 10} {
		frames := benchPages * pct / 100
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

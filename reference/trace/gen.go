package trace

import (
	"fmt"
	"math/rand/v2"

	"github.com/vmkata/vmkata/vm"
)

// The generators build synthetic reference strings, all reads, with pages
// numbered from 0. The random ones draw from math/rand/v2's PCG seeded with
// (seed, 0), so the same arguments give the same string on every platform
// and Go version. Each returns an error wrapping vm.ErrInvalidConfig for a
// negative n or a parameter out of range, and never panics.

// newRand returns the generators' seeded source.
func newRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0)) }

func checkN(gen string, n int) error {
	if n < 0 {
		return fmt.Errorf("trace: %s: length %d is negative: %w", gen, n, vm.ErrInvalidConfig)
	}
	return nil
}

func checkPositive(gen, what string, v int) error {
	if v < 1 {
		return fmt.Errorf("trace: %s: %s %d: need at least 1: %w", gen, what, v, vm.ErrInvalidConfig)
	}
	return nil
}

// Sequential returns n references that scan an array of pages pages once,
// front to back, as a loop over its bytes would: reference i touches page
// i*pages/n, so each page is referenced about n/pages times in a row (pure
// spatial locality). Every policy with at least one frame faults exactly
// min(n, pages) times: compulsory misses only.
func Sequential(n, pages int) ([]Ref, error) {
	if err := checkN("sequential", n); err != nil {
		return nil, err
	}
	if err := checkPositive("sequential", "pages", pages); err != nil {
		return nil, err
	}
	refs := make([]Ref, n)
	for i := range refs {
		refs[i].Page = vm.PageID(uint64(i) * uint64(pages) / uint64(n))
	}
	return refs, nil
}

// Loop returns n references that cycle through pages 0..loopLen-1 over and
// over: 0 1 2 … loopLen-1 0 1 2 …. With fewer than loopLen frames, LRU and
// FIFO fault on every reference (each page is evicted just before it is
// needed again) while opt keeps frames-1 of them: the classic case against
// LRU.
func Loop(n, loopLen int) ([]Ref, error) {
	if err := checkN("loop", n); err != nil {
		return nil, err
	}
	if err := checkPositive("loop", "loop length", loopLen); err != nil {
		return nil, err
	}
	refs := make([]Ref, n)
	for i := range refs {
		refs[i].Page = vm.PageID(i % loopLen)
	}
	return refs, nil
}

// Uniform returns n references to pages drawn independently and uniformly
// from 0..pages-1: no locality at all, so every policy's hit ratio is about
// frames/pages.
func Uniform(n, pages int, seed uint64) ([]Ref, error) {
	if err := checkN("uniform", n); err != nil {
		return nil, err
	}
	if err := checkPositive("uniform", "pages", pages); err != nil {
		return nil, err
	}
	rng := newRand(seed)
	refs := make([]Ref, n)
	for i := range refs {
		refs[i].Page = vm.PageID(rng.IntN(pages))
	}
	return refs, nil
}

// Zipf returns n references to pages 0..pages-1 drawn independently with
// Zipf's law: page k is referenced with probability proportional to
// 1/(k+1)^alpha, so page 0 is the most popular. alpha = 0 is uniform; web
// and file-cache popularity measure alpha near 1. Any alpha >= 0 works,
// alpha = 1 included (math/rand's Zipf needs alpha > 1); see ZipfSampler.
func Zipf(n, pages int, alpha float64, seed uint64) ([]Ref, error) {
	if err := checkN("zipf", n); err != nil {
		return nil, err
	}
	z, err := NewZipfSampler(pages, alpha)
	if err != nil {
		return nil, err
	}
	rng := newRand(seed)
	refs := make([]Ref, n)
	for i := range refs {
		refs[i].Page = vm.PageID(z.Sample(rng) - 1)
	}
	return refs, nil
}

// Phases returns n references in phases of phaseLen references (the last
// phase may be shorter). Each phase draws a working set of workingSetSize
// distinct pages at random from 0..pages-1 and references pages of it
// uniformly at random: Denning's model of a program moving from one locality
// to the next. Fault curves of such a trace show the knee at workingSetSize
// frames, and a burst of faults at each phase change.
func Phases(n, phaseLen, workingSetSize, pages int, seed uint64) ([]Ref, error) {
	if err := checkN("phases", n); err != nil {
		return nil, err
	}
	for _, c := range []struct {
		what string
		v    int
	}{{"phase length", phaseLen}, {"working-set size", workingSetSize}, {"pages", pages}} {
		if err := checkPositive("phases", c.what, c.v); err != nil {
			return nil, err
		}
	}
	if workingSetSize > pages {
		return nil, fmt.Errorf("trace: phases: working-set size %d exceeds %d pages: %w", workingSetSize, pages, vm.ErrInvalidConfig)
	}
	rng := newRand(seed)
	refs := make([]Ref, n)
	ws := make([]vm.PageID, 0, workingSetSize)
	chosen := make(map[vm.PageID]bool, workingSetSize)
	for i := range refs {
		if i%phaseLen == 0 {
			ws = pickDistinct(rng, ws[:0], chosen, workingSetSize, pages)
		}
		refs[i].Page = ws[rng.IntN(len(ws))]
	}
	return refs, nil
}

// pickDistinct appends k distinct pages drawn uniformly from 0..pages-1 to
// dst, by Floyd's algorithm (k draws whatever pages is).
func pickDistinct(rng *rand.Rand, dst []vm.PageID, chosen map[vm.PageID]bool, k, pages int) []vm.PageID {
	clear(chosen)
	for j := pages - k; j < pages; j++ {
		p := vm.PageID(rng.IntN(j + 1))
		if chosen[p] {
			p = vm.PageID(j)
		}
		chosen[p] = true
		dst = append(dst, p)
	}
	return dst
}

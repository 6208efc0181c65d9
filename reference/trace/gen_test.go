package trace

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vmkata/vmkata/reference/replace"
	"github.com/vmkata/vmkata/vm"
)

func pagesOf(refs []Ref) []vm.PageID {
	out := make([]vm.PageID, len(refs))
	for i, r := range refs {
		out[i] = r.Page
	}
	return out
}

func TestSequentialAndLoop(t *testing.T) {
	seq, err := Sequential(9, 3)
	require.NoError(t, err)
	assert.Equal(t, []vm.PageID{0, 0, 0, 1, 1, 1, 2, 2, 2}, pagesOf(seq), "Sequential(9, 3)")
	seq, err = Sequential(2, 5)
	require.NoError(t, err)
	assert.Equal(t, []vm.PageID{0, 2}, pagesOf(seq), "Sequential(2, 5)")
	loop, err := Loop(7, 3)
	require.NoError(t, err)
	assert.Equal(t, []vm.PageID{0, 1, 2, 0, 1, 2, 0}, pagesOf(loop), "Loop(7, 3)")

	// The documented fault counts: a scan faults once a page, a loop longer
	// than memory defeats LRU.
	seq, _ = Sequential(1000, 40)
	res, err := replace.Simulate("lru", 4, seq, replace.Options{}, nil)
	require.NoError(t, err)
	assert.Equal(t, uint64(40), res.Faults, "LRU faults on Sequential(1000, 40)")
	loop, _ = Loop(100, 5)
	res, err = replace.Simulate("lru", 4, loop, replace.Options{}, nil)
	require.NoError(t, err)
	assert.Equal(t, uint64(100), res.Faults, "LRU faults on Loop(100, 5) with 4 frames")
}

func TestGeneratorsAreSeeded(t *testing.T) {
	gens := []struct {
		name string
		gen  func(seed uint64) ([]Ref, error)
		max  vm.PageID
	}{
		{name: "uniform", gen: func(s uint64) ([]Ref, error) { return Uniform(2000, 50, s) }, max: 50},
		{name: "zipf", gen: func(s uint64) ([]Ref, error) { return Zipf(2000, 50, 1.0, s) }, max: 50},
		{name: "phases", gen: func(s uint64) ([]Ref, error) { return Phases(2000, 300, 8, 50, s) }, max: 50},
	}
	for _, g := range gens {
		a, err := g.gen(7)
		require.NoError(t, err, g.name)
		b, _ := g.gen(7)
		c, _ := g.gen(8)
		assert.Equal(t, a, b, "%s: the same seed gives the same string", g.name)
		assert.NotEqual(t, a, c, "%s: another seed gives another string", g.name)
		assert.Len(t, a, 2000, g.name)
		for i, r := range a {
			if r.Page >= g.max || r.Write {
				t.Fatalf("%s: reference %d = %v, want a read of a page below %d", g.name, i, r, g.max)
			}
		}
	}
}

func TestPhasesWorkingSets(t *testing.T) {
	const n, phaseLen, ws, pages = 1000, 100, 6, 1000
	refs, err := Phases(n, phaseLen, ws, pages, 3)
	require.NoError(t, err)
	var sets []map[vm.PageID]bool
	for start := 0; start < n; start += phaseLen {
		set := map[vm.PageID]bool{}
		for _, r := range refs[start : start+phaseLen] {
			set[r.Page] = true
		}
		assert.LessOrEqual(t, len(set), ws, "phase at %d touches %d pages, want at most %d", start, len(set), ws)
		sets = append(sets, set)
	}
	assert.NotEqual(t, sets[0], sets[1], "the working set changes between phases")
	// With ws frames LRU faults only at phase changes (and the first few).
	res, err := replace.Simulate("lru", ws, refs, replace.Options{}, nil)
	require.NoError(t, err)
	assert.LessOrEqual(t, res.Faults, uint64(ws*n/phaseLen), "LRU with the working set in memory")

	full, err := Phases(10, 3, 5, 5, 1)
	require.NoError(t, err)
	assert.Len(t, full, 10)
}

func TestZipfDistribution(t *testing.T) {
	const pages, draws = 10, 100_000
	for _, alpha := range []float64{0, 0.5, 0.99, 1, 1.01, 1.5, 3} {
		z, err := NewZipfSampler(pages, alpha)
		require.NoError(t, err)
		rng := rand.New(rand.NewPCG(11, 0))
		var count [pages + 1]int
		for range draws {
			k := z.Sample(rng)
			require.True(t, k >= 1 && k <= pages, "Sample() = %d, want 1..%d", k, pages)
			count[k]++
		}
		norm := 0.0
		for k := 1; k <= pages; k++ {
			norm += math.Pow(float64(k), -alpha)
		}
		for k := 1; k <= pages; k++ {
			want := math.Pow(float64(k), -alpha) / norm
			got := float64(count[k]) / draws
			if math.Abs(got-want) > 0.006 {
				t.Errorf("zipf alpha=%v: P(%d) measured %.4f, want %.4f", alpha, k, got, want)
			}
		}
	}
}

func TestGeneratorErrors(t *testing.T) {
	errs := map[string]func() ([]Ref, error){
		"Sequential(-1, 3)":            func() ([]Ref, error) { return Sequential(-1, 3) },
		"Sequential(3, 0)":             func() ([]Ref, error) { return Sequential(3, 0) },
		"Loop(3, 0)":                   func() ([]Ref, error) { return Loop(3, 0) },
		"Uniform(3, 0, 1)":             func() ([]Ref, error) { return Uniform(3, 0, 1) },
		"Zipf(3, 0, 1, 1)":             func() ([]Ref, error) { return Zipf(3, 0, 1, 1) },
		"Zipf(3, 5, -1, 1)":            func() ([]Ref, error) { return Zipf(3, 5, -1, 1) },
		"Zipf(3, 5, NaN, 1)":           func() ([]Ref, error) { return Zipf(3, 5, math.NaN(), 1) },
		"Zipf(3, 5, +Inf, 1)":          func() ([]Ref, error) { return Zipf(3, 5, math.Inf(1), 1) },
		"Zipf(-3, 5, 1, 1)":            func() ([]Ref, error) { return Zipf(-3, 5, 1, 1) },
		"Phases(10, 0, 2, 5, 1)":       func() ([]Ref, error) { return Phases(10, 0, 2, 5, 1) },
		"Phases(10, 3, 6, 5, 1)":       func() ([]Ref, error) { return Phases(10, 3, 6, 5, 1) },
		"Phases(10, 3, 0, 5, 1)":       func() ([]Ref, error) { return Phases(10, 3, 0, 5, 1) },
		"Phases(-10, 3, 2, 5, 1)":      func() ([]Ref, error) { return Phases(-10, 3, 2, 5, 1) },
		"Uniform(-1, 3, 1)":            func() ([]Ref, error) { return Uniform(-1, 3, 1) },
		"Loop(-1, 3)":                  func() ([]Ref, error) { return Loop(-1, 3) },
		"Phases(10, 3, 2, 0, 1) pages": func() ([]Ref, error) { return Phases(10, 3, 2, 0, 1) },
	}
	for call, f := range errs {
		refs, err := f()
		assert.ErrorIs(t, err, vm.ErrInvalidConfig, "%s = %v, %v", call, refs, err)
	}
	refs, err := Uniform(0, 3, 1)
	assert.NoError(t, err)
	assert.Empty(t, refs, "Uniform(0, 3, 1)")
}

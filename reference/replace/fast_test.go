package replace

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/vmkata/vmkata/vm"
)

// The fast simulation versions must be indistinguishable from the readable
// ones: the same answer to every Access and Remove, the same resident pages
// in the same order, the same hand and the same aging counters, on traces
// with locality (so that R and D bits and ages vary) and without.

// fastPolicies are the policies NewFast builds otherwise than New.
var fastPolicies = []string{"enhanced-clock", "aging", "wsclock", "opt", "ws", "lfu", "mfu"}

type fastCase struct {
	policy string
	frames int
	pages  int
	opts   Options
}

func fastCases() []fastCase {
	var cases []fastCase
	for _, policy := range fastPolicies {
		for _, frames := range []int{1, 2, 3, 5, 8, 64, 130} {
			for _, pages := range []int{frames + 1, 2 * frames, 10 * frames} {
				cases = append(cases, fastCase{policy, frames, pages, Options{}})
			}
		}
	}
	for _, tick := range []int{1, 3, 17} {
		cases = append(cases, fastCase{"aging", 40, 80, Options{AgingTick: tick}})
	}
	for _, window := range []int{1, 5, 300} {
		cases = append(cases, fastCase{"wsclock", 40, 80, Options{Window: window}})
		cases = append(cases, fastCase{"ws", 40, 80, Options{Window: window}})
	}
	for _, decay := range []int{1, 2, 7, 100} {
		cases = append(cases, fastCase{"lfu", 40, 80, Options{DecayEvery: decay}})
		cases = append(cases, fastCase{"mfu", 40, 80, Options{DecayEvery: decay}})
	}
	return cases
}

// differentialOps draws n operations: mostly accesses, a quarter of them
// writes, half of them to a hot tenth of the pages, and one Remove in 50.
func differentialOps(rng *rand.Rand, n, pages int) []op {
	hot := max(1, pages/10)
	ops := make([]op, n)
	for i := range ops {
		page := rng.IntN(pages)
		if rng.IntN(2) == 0 {
			page = rng.IntN(hot)
		}
		ops[i] = op{page: vm.PageID(page), write: rng.IntN(4) == 0, remove: rng.IntN(50) == 0}
	}
	return ops
}

// plannedFuture is the future opt plans with for ops: the page of each
// access; or, if !exact, except that one in 20 is another page and the last
// accesses are left out, so that opt also meets references it did not plan
// for.
func plannedFuture(rng *rand.Rand, ops []op, pages int, exact bool) []vm.PageID {
	var future []vm.PageID
	for _, o := range ops {
		if o.remove {
			continue
		}
		p := o.page
		if !exact && rng.IntN(20) == 0 {
			p = vm.PageID(rng.IntN(pages))
		}
		future = append(future, p)
	}
	if exact {
		return future
	}
	return future[:len(future)*9/10]
}

// skippingNextUses is a next-use table for future such as a trace may
// give: valid, but every third entry skips the next reference to its page
// for the one after it.
func skippingNextUses(future []vm.PageID) []int32 {
	next := NextUses(future)
	for i, j := range next {
		if i%3 == 0 && j != never {
			next[i] = next[j]
		}
	}
	return next
}

type op struct {
	page   vm.PageID
	write  bool
	remove bool
}

type hander interface{ Hand() int }
type counterer interface {
	Counter(vm.PageID) (uint8, bool) // aging's counter
}
type refCounter interface {
	Count(vm.PageID) (uint64, bool) // lfu's and mfu's count
}

func TestFastMatchesReadable(t *testing.T) {
	for _, c := range fastCases() {
		for seed := uint64(1); seed <= 3; seed++ {
			name := fmt.Sprintf("%s/frames=%d/pages=%d/tick=%d/window=%d/seed=%d", c.policy, c.frames, c.pages, c.opts.AgingTick, c.opts.Window, seed)
			t.Run(name, func(t *testing.T) {
				rng := rand.New(rand.NewPCG(seed, 7))
				ops := differentialOps(rng, 3000, c.pages)
				opts := c.opts
				opts.Future = plannedFuture(rng, ops, c.pages, seed != 3)
				if seed == 2 {
					opts.NextUse = skippingNextUses(opts.Future)
				}
				slow, err := New(c.policy, c.frames, opts)
				if err != nil {
					t.Fatal(err)
				}
				fast, err := NewFast(c.policy, c.frames, opts)
				if err != nil {
					t.Fatal(err)
				}
				if fmt.Sprintf("%T", slow) == fmt.Sprintf("%T", fast) {
					t.Fatalf("NewFast(%q) = %T, the readable version", c.policy, fast)
				}
				compareOps(t, slow, fast, ops)
			})
		}
	}
}

func compareOps(t *testing.T, slow, fast vm.Policy, ops []op) {
	t.Helper()
	var rs, rf []vm.PageID
	for i, o := range ops {
		if o.remove {
			if s, f := slow.Remove(o.page), fast.Remove(o.page); s != f {
				t.Fatalf("step %d: Remove(%v) = %v, readable %v", i, o.page, f, s)
			}
		} else {
			sh, sv, se := slow.Access(o.page, o.write)
			fh, fv, fe := fast.Access(o.page, o.write)
			if sh != fh || se != fe || sv != fv {
				t.Fatalf("step %d: Access(%v, %v) = (%v, %v, %v), readable (%v, %v, %v)", i, o.page, o.write, fh, fv, fe, sh, sv, se)
			}
		}
		if r, ok := slow.(vm.Releaser); ok && !o.remove {
			s, f := r.Released(nil), fast.(vm.Releaser).Released(nil)
			if !slices.Equal(s, f) {
				t.Fatalf("step %d: Released() = %v, readable %v", i, f, s)
			}
		}
		rs, rf = slow.Resident(rs[:0]), fast.Resident(rf[:0])
		if !slices.Equal(rs, rf) {
			t.Fatalf("step %d: Resident() = %v, readable %v", i, rf, rs)
		}
		if h, ok := slow.(hander); ok && h.Hand() != fast.(hander).Hand() {
			t.Fatalf("step %d: Hand() = %d, readable %d", i, fast.(hander).Hand(), h.Hand())
		}
		if c, ok := slow.(refCounter); ok {
			for _, p := range rs {
				s, _ := c.Count(p)
				if f, _ := fast.(refCounter).Count(p); f != s {
					t.Fatalf("step %d: Count(%v) = %d, readable %d", i, p, f, s)
				}
			}
		}
		if c, ok := slow.(counterer); ok {
			for _, p := range rs {
				s, _ := c.Counter(p)
				if f, _ := fast.(counterer).Counter(p); f != s {
					t.Fatalf("step %d: Counter(%v) = %d, readable %d", i, p, f, s)
				}
			}
		}
		if slow.Len() != fast.Len() || slow.Frames() != fast.Frames() || slow.Name() != fast.Name() {
			t.Fatalf("step %d: Len/Frames/Name = %d/%d/%s, readable %d/%d/%s", i,
				fast.Len(), fast.Frames(), fast.Name(), slow.Len(), slow.Frames(), slow.Name())
		}
	}
}

// TestFastLargeTrace runs them over a longer Zipf-like trace with many
// frames, where a walk and a search would part ways if either were wrong
// about where the hand may skip.
func TestFastLargeTrace(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	ops := make([]op, 60_000)
	for i := range ops {
		page := int(float64(4000) / (1 + 400*rng.Float64())) // skewed toward small pages
		ops[i] = op{page: vm.PageID(page), write: rng.IntN(3) == 0}
	}
	future := make([]vm.PageID, len(ops))
	for i, o := range ops {
		future[i] = o.page
	}
	for _, policy := range fastPolicies {
		t.Run(policy, func(t *testing.T) {
			slow, _ := New(policy, 500, Options{Future: future})
			fast, _ := NewFast(policy, 500, Options{Future: future})
			compareOps(t, slow, fast, ops)
		})
	}
}

func TestBitTree(t *testing.T) {
	for _, n := range []int{1, 63, 64, 65, 4096, 4097, 300_000} {
		tr := newBitTree(n)
		set := map[int32]bool{}
		rng := rand.New(rand.NewPCG(uint64(n), 1))
		for step := 0; step < 2000; step++ {
			i := int32(rng.IntN(n))
			if rng.IntN(3) == 0 {
				tr.remove(i)
				delete(set, i)
			} else {
				tr.add(i)
				set[i] = true
			}
			from := int32(rng.IntN(n))
			want := int32(-1)
			for j := from; j < int32(n); j++ {
				if set[j] {
					want = j
					break
				}
			}
			if got := tr.next(from); got != want {
				t.Fatalf("n=%d step %d: next(%d) = %d, want %d", n, step, from, got, want)
			}
		}
	}
}

func TestNextUses(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, pages := range []int{1, 3, 1000, 100_000} {
		future := make([]vm.PageID, 50_000)
		for i := range future {
			future[i] = vm.PageID(rng.Uint64N(uint64(pages)) * 0x10001) // spread, to probe the table
		}
		got := NextUses(future)
		last := map[vm.PageID]int32{}
		for i := len(future) - 1; i >= 0; i-- {
			want, ok := last[future[i]]
			if !ok {
				want = never
			}
			if got[i] != want {
				t.Fatalf("pages=%d: NextUses[%d] = %d, want %d", pages, i, got[i], want)
			}
			last[future[i]] = int32(i)
		}
		if _, err := NewOPTWithNextUse(3, future, got); err != nil {
			t.Fatalf("NewOPTWithNextUse with NextUses' table: %v", err)
		}
	}
}

func TestOPTWithBadNextUse(t *testing.T) {
	future := []vm.PageID{1, 2, 1, 2}
	for _, next := range [][]int32{{2, 3, never}, {2, 3, never, 0}, {1, 3, never, never}, {2, 4, never, never}} {
		if _, err := NewOPTWithNextUse(2, future, next); err == nil {
			t.Errorf("NewOPTWithNextUse(%v, %v) = nil error, want one", future, next)
		}
	}
}

func TestNewFastErrorsAreNews(t *testing.T) {
	for _, c := range []struct {
		name   string
		frames int
		opts   Options
	}{
		{"enhanced-clock", 0, Options{}},
		{"aging", 3, Options{AgingTick: -1}},
		{"wsclock", 3, Options{Window: -1}},
		{"wsclock", 3, Options{Small: 1}},
		{"lfu", 3, Options{DecayEvery: -1}},
		{"mfu", 0, Options{}},
		{"ws", 3, Options{Window: -2}},
		{"opt", 0, Options{}},
		{"opt", 2, Options{Future: []vm.PageID{1, 2}, NextUse: []int32{1, never}}},
		{"nope", 3, Options{}},
	} {
		_, want := New(c.name, c.frames, c.opts)
		_, got := NewFast(c.name, c.frames, c.opts)
		if want == nil || got == nil || got.Error() != want.Error() {
			t.Errorf("NewFast(%q, %d, %+v) = %v, New's error is %v", c.name, c.frames, c.opts, got, want)
		}
	}
}

func TestMinTree(t *testing.T) {
	for _, n := range []int{1, 5, 16, 17, 100, 1000} {
		tr := newMinTree(n)
		vals := make([]int64, n)
		for i := range vals {
			vals[i] = empty
		}
		rng := rand.New(rand.NewPCG(uint64(n), 2))
		for step := 0; step < 3000; step++ {
			i := int32(rng.IntN(n))
			vals[i] = rng.Int64N(50)
			tr.set(i, vals[i])
			lo, hi := int32(rng.IntN(n+1)), int32(rng.IntN(n+1))
			thr := rng.Int64N(60)
			want := int32(-1)
			for j := lo; j < hi; j++ {
				if vals[j] < thr {
					want = j
					break
				}
			}
			if got := tr.firstBelow(lo, hi, thr); got != want {
				t.Fatalf("n=%d step %d: firstBelow(%d, %d, %d) = %d, want %d", n, step, lo, hi, thr, got, want)
			}
			if m := slices.Min(vals); tr.min() != m {
				t.Fatalf("n=%d step %d: min() = %d, want %d", n, step, tr.min(), m)
			}
		}
	}
}

// TestFastStaleEntriesAreDropped checks that the structures that keep stale
// entries (opt's heap, wsclock's FIFO of cleared pages) drop them rather
// than grow past the room they were given.
func TestFastStaleEntriesAreDropped(t *testing.T) {
	const frames = 50
	rng := rand.New(rand.NewPCG(8, 9))
	ops := differentialOps(rng, 40_000, 4*frames)
	future := plannedFuture(rng, ops, 4*frames, false)
	opt, _ := NewFast("opt", frames, Options{Future: future})
	for _, window := range []int{0, 1000 * frames} {
		ws, _ := NewFast("wsclock", frames, Options{Window: window})
		for _, o := range ops {
			if o.remove {
				opt.Remove(o.page)
				ws.Remove(o.page)
			} else {
				opt.Access(o.page, o.write)
				ws.Access(o.page, o.write)
			}
		}
		if got := cap(ws.(*fastWSClock).cleared.q); got != 2*frames {
			t.Errorf("wsclock with window %d: the FIFO of cleared pages has room for %d entries, want %d", window, got, 2*frames)
		}
	}
	if got := cap(opt.(*fastOPT).heap); got != 2*frames {
		t.Errorf("opt: the heap has room for %d entries, want %d", got, 2*frames)
	}
}

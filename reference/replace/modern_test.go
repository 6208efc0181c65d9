package replace

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/vmkata/vmkata/vm"
	"pgregory.net/rapid"
)

// modern lists the adaptive policies this file tests.
var modern = []string{"2q", "linux", "arc", "clock-pro", "sieve", "s3-fifo"}

// outcomes replays trace (pages separated by spaces) through p and renders
// each step as "H" (hit), "F" (fault, free frame) or "F<victim>".
func outcomes(t *testing.T, p vm.Policy, trace string) string {
	t.Helper()
	var out []string
	for _, f := range strings.Fields(trace) {
		var page vm.PageID
		if _, err := fmt.Sscan(f, &page); err != nil {
			t.Fatalf("bad trace %q: %v", trace, err)
		}
		hit, victim, evicted := p.Access(page, false)
		switch {
		case hit:
			out = append(out, "H")
		case evicted:
			out = append(out, "F"+victim.String())
		default:
			out = append(out, "F")
		}
		if err := checkInternals(p); err != nil {
			t.Fatalf("after Access(%v): %v", page, err)
		}
	}
	return strings.Join(out, " ")
}

func must[P vm.Policy](p P, err error) vm.Policy {
	if err != nil {
		panic(err)
	}
	return p
}

// TestModernTextbook replays small traces whose victims were derived by hand
// from each type's documented rules; the derivation is in the comments.
func TestModernTextbook(t *testing.T) {
	tests := []struct {
		name     string
		policy   vm.Policy
		trace    string
		want     string
		resident []vm.PageID // in the policy's documented order
	}{
		{
			// SIEVE, 3 frames. Queue shown head (new) .. tail (old).
			// 1 2 3 → [3 2 1]; 1 hit: 1 visited. 4: hand at tail 1, visited →
			// clear, step toward head to 2, unvisited → evict 2, hand = 3.
			// 2: 3 unvisited → evict 3, hand = 4 ([2 4 1]). 5: evict 4, hand
			// = 2 ([5 2 1]). 1 hit: visited again. 6: evict 2, hand = 5
			// ([6 5 1]). 5, 6 hits. 7: 5 visited → clear; 6 visited →
			// clear; past the head the hand wraps to the tail: 1 visited →
			// clear; 5 unvisited → evict 5. 1 survives every sweep in place.
			name:     "sieve",
			policy:   must(NewSIEVE(3)),
			trace:    "1 2 3 1 4 2 5 1 6 5 6 7",
			want:     "F F F H F2 F3 F4 H F2 H H F5",
			resident: []vm.PageID{1, 6, 7},
		},
		{
			// S3-FIFO, 4 frames: S target 1, M gets the rest, G holds 3.
			// 1-4 fill S. 5: S tail 1 (freq 0) → G [1]. 1: ghost hit → M;
			// S tail 2 → G. 3 3: freq 2. 6: S tail 3 has freq 2 > 1 → M
			// head; S tail 4 → G. 1: hit in M (freq 1). 7: 5 → G. 8: 6 → G,
			// G over 3 drops 2. 2 (forgotten): new; 7 → G, drops 4. 5: ghost
			// hit → M; 8 → G. 6: ghost hit → M; 2 → G; S is empty. 9: evict
			// from M [6 5 3 1]: 1 freq 1 → 0, reinserted; 3 freq 2 → 1,
			// reinserted; 5 freq 0 → evicted.
			name:     "s3-fifo",
			policy:   must(NewS3FIFO(4, 0, 0)),
			trace:    "1 2 3 4 5 1 3 3 6 1 7 8 2 5 6 9",
			want:     "F F F F F1 F2 H H F4 H F5 F6 F7 F8 F2 F5",
			resident: []vm.PageID{9, 6, 1, 3},
		},
		{
			// ARC, c = 2 (lists shown MRU first). 1 2 → T1 [2 1]. 1 → T2 [1].
			// 3: IV.B (total 2 >= c), REPLACE with p = 0: |T1| = 1 > p → 2 to
			// B1. 2: in B1, p = 1; REPLACE: |T1| = 1 = p, x not in B2 → T2's
			// 1 to B2; T2 [2]. 1: in B2, p = 0; REPLACE: |T1| > 0 → 3 to B1;
			// T2 [1 2]. 4: IV.B, T1 empty → T2's LRU 2 to B2. 5: IV.A
			// (|T1|+|B1| = 2 = c, |T1| < c): drop 3 from B1, REPLACE → 4 to
			// B1. 3: IV.A again: drop 4, REPLACE → 5 to B1. 2: in B2, δ2 = 1,
			// p = 0; REPLACE → 3 to B1; T2 [2 1].
			name:     "arc",
			policy:   must(NewARC(2)),
			trace:    "1 2 1 3 2 1 4 5 3 2",
			want:     "F F H F2 F1 F3 F2 F4 F5 F3",
			resident: []vm.PageID{1, 2},
		},
		{
			// ARC, c = 2, a scan: 3 finds |T1| = c, so T1's LRU 1 is dropped
			// outright (IV.A, not into B1); so is 2 when 1 returns.
			name:     "arc scan",
			policy:   must(NewARC(2)),
			trace:    "1 2 3 1",
			want:     "F F F1 F2",
			resident: []vm.PageID{3, 1},
		},
		{
			// 2Q, 4 frames: Kin = 1, Kout = 2 (lists shown newest first).
			// 1-4 → A1in. 1: hit in A1in, nothing moves. 5, 6: A1in over Kin
			// → 1, 2 to A1out. 1: in A1out → reclaim (3 to A1out) and 1 →
			// Am. 7: 4 to A1out, which drops 2. 2: forgotten, new; 5 out.
			// 1: hit in Am. 3, 4: new; 6, 7 out (A1out [7 6]). 6: in A1out
			// → Am, 2 out. 7: in A1out → Am, 3 out. 8: |A1in| = 1, not over
			// Kin → Am's LRU 1 is evicted (and not remembered).
			name:     "2q",
			policy:   must(NewTwoQ(4, 0, 0)),
			trace:    "1 2 3 4 1 5 6 1 7 2 1 3 4 6 7 8",
			want:     "F F F F H F1 F2 F3 F4 F5 H F6 F7 F2 F3 F1",
			resident: []vm.PageID{4, 8, 6, 7},
		},
		{
			// Linux, 4 frames, at most 2 active. 1-4 → inactive. 1 1: first
			// hit sets referenced, second promotes; so do 2 2 and 3 3; 3
			// makes 3 active, so the active tail 1 (unreferenced) is demoted
			// to the inactive head. 5: inactive tail 4 → evicted. 2: active,
			// referenced. 4: inactive tail 1 → evicted. 5: referenced. 6:
			// inactive tail 5 is referenced → cleared, rotated; 4 evicted.
			// 5 5: promoted; active [5 3 2] over 2: tail 2 referenced →
			// rotated, 3 demoted.
			name:     "linux",
			policy:   must(NewLinux(4, 0)),
			trace:    "1 2 3 4 1 1 2 2 3 3 5 2 4 5 6 5 5",
			want:     "F F F F H H H H H H F4 H F1 H F4 H H",
			resident: []vm.PageID{6, 3, 5, 2},
		},
		{
			// CLOCK-Pro, 3 frames, m_c = 1 (hot pages up to 2). 1 2 3 cold
			// in test; 1 hit. 4: HAND_cold finds 1 referenced in test → hot,
			// to the head; 2 unreferenced → evicted, non-resident. 2: test
			// hit → m_c 2; HAND_cold evicts 3; 2 back hot; hot 2 > 3-2 →
			// HAND_hot meets non-resident 3: expires (m_c 1). 5: HAND_cold
			// passes hot 1, evicts 4. 1 2 hits. 6: HAND_cold passes hot 2,
			// evicts 5. 4: test hit (m_c 2); HAND_hot clears 1's and 2's
			// bits, expires 5 (m_c 1); HAND_cold evicts 6; 4 hot, HAND_hot
			// expires 6 and demotes 1 to cold (no test). 7: HAND_cold evicts
			// 1, which leaves the clock.
			name:     "clock-pro",
			policy:   must(NewClockPro(3, 0.2)),
			trace:    "1 2 3 1 4 2 5 1 2 6 4 7",
			want:     "F F F H F2 F3 F4 H H F5 F6 F1",
			resident: []vm.PageID{2, 4, 7},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := outcomes(t, tt.policy, tt.trace); got != tt.want {
				t.Errorf("%s on %q:\n got %s\nwant %s", tt.policy.Name(), tt.trace, got, tt.want)
			}
			if got := tt.policy.Resident(nil); !slices.Equal(got, tt.resident) {
				t.Errorf("Resident() = %v, want %v", got, tt.resident)
			}
		})
	}
}

// TestModernState checks the lists the hand derivations above end with.
func TestModernState(t *testing.T) {
	a, _ := NewARC(2)
	outcomes(t, a, "1 2 1 3 2 1 4 5 3 2")
	if got, want := a.t.appendTailToHead(nil, &a.b1), []vm.PageID{5, 3}; a.Target() != 0 || !slices.Equal(got, want) || a.b2.n != 0 {
		t.Errorf("ARC: p = %d, B1 = %v, |B2| = %d; want p = 0, B1 = %v (LRU first), B2 empty", a.Target(), got, a.b2.n, want)
	}
	q, _ := NewTwoQ(4, 0, 0)
	outcomes(t, q, "1 2 3 4 1 5 6 1 7 2 1 3 4 6 7 8")
	if got, want := q.t.appendTailToHead(nil, &q.out), []vm.PageID{2, 3}; !slices.Equal(got, want) {
		t.Errorf("2Q: A1out = %v, want %v (oldest first)", got, want)
	}
	c, _ := NewClockPro(3, 0.2)
	outcomes(t, c, "1 2 3 1 4 2 5 1 2 6 4 7")
	if !c.Hot(2) || !c.Hot(4) || c.Hot(7) || c.ColdTarget() != 1 {
		t.Errorf("CLOCK-Pro: Hot(2, 4, 7) = %v %v %v, m_c = %d; want true true false, 1", c.Hot(2), c.Hot(4), c.Hot(7), c.ColdTarget())
	}
	l, _ := NewLinux(4, 0)
	outcomes(t, l, "1 2 3 4 1 1 2 2 3 3 5 2 4 5 6 5 5")
	if !l.Active(5) || !l.Active(2) || l.Active(3) {
		t.Errorf("linux: Active(5, 2, 3) = %v %v %v, want true true false", l.Active(5), l.Active(2), l.Active(3))
	}
}

// checkInternals verifies the bookkeeping of a modern policy: every chain's
// count and tags, the index against the slots, and the list bounds each
// paper states.
func checkInternals(p vm.Policy) error {
	switch p := p.(type) {
	case *SIEVE:
		return checkTable(&p.t, map[uint8]*chain{sieveQueue: &p.q}, nil)
	case *S3FIFO:
		if err := checkTable(&p.t, map[uint8]*chain{s3Small: &p.small, s3Main: &p.main, s3Ghost: &p.ghost}, nil); err != nil {
			return err
		}
		if p.ghost.n > p.ghostSize || p.Len() > p.frames {
			return fmt.Errorf("s3-fifo: |S|+|M| = %d (max %d), |G| = %d (max %d)", p.Len(), p.frames, p.ghost.n, p.ghostSize)
		}
		for i := range p.t.s {
			if s := p.t.s[i]; s.where != whereFree && s.bits > 3 {
				return fmt.Errorf("s3-fifo: page %v has freq %d > 3", s.page, s.bits)
			}
		}
	case *TwoQ:
		if err := checkTable(&p.t, map[uint8]*chain{twoQIn: &p.in, twoQOut: &p.out, twoQAm: &p.am}, nil); err != nil {
			return err
		}
		if p.out.n > p.kout || p.Len() > p.frames {
			return fmt.Errorf("2q: |A1in|+|Am| = %d (max %d), |A1out| = %d (max Kout %d)", p.Len(), p.frames, p.out.n, p.kout)
		}
	case *ARC:
		if err := checkTable(&p.t, map[uint8]*chain{arcT1: &p.t1, arcT2: &p.t2, arcB1: &p.b1, arcB2: &p.b2}, nil); err != nil {
			return err
		}
		t1, t2, b1, b2, c := p.t1.n, p.t2.n, p.b1.n, p.b2.n, p.c
		if t1+t2 > c || t1+b1 > c || t1+t2+b1+b2 > 2*c || p.p < 0 || p.p > c {
			return fmt.Errorf("arc: |T1| %d |T2| %d |B1| %d |B2| %d p %d breaks the invariants for c = %d", t1, t2, b1, b2, p.p, c)
		}
	case *Linux:
		if err := checkTable(&p.t, map[uint8]*chain{linuxActive: &p.active, linuxInactive: &p.inactive}, nil); err != nil {
			return err
		}
		if p.active.n > p.activeMax || p.Len() > p.frames {
			return fmt.Errorf("linux: %d active (max %d), %d resident (max %d)", p.active.n, p.activeMax, p.Len(), p.frames)
		}
	case *ClockPro:
		counts := map[uint8]int{}
		if err := checkTable(&p.t, nil, counts); err != nil {
			return err
		}
		if err := checkRing(p); err != nil {
			return err
		}
		if counts[cpHot] != p.nHot || counts[cpCold] != p.nCold || counts[cpNonResident] != p.nTest {
			return fmt.Errorf("clock-pro: counted %d hot, %d cold, %d non-resident; fields say %d, %d, %d", counts[cpHot], counts[cpCold], counts[cpNonResident], p.nHot, p.nCold, p.nTest)
		}
		if p.Len() > p.frames || p.nTest > p.frames || p.coldTarget < 1 || p.coldTarget > p.frames || p.nHot > p.frames-p.coldTarget {
			return fmt.Errorf("clock-pro: %d hot, %d cold, %d non-resident, m_c %d breaks the bounds for %d frames", p.nHot, p.nCold, p.nTest, p.coldTarget, p.frames)
		}
	}
	return nil
}

// checkTable checks that the index holds exactly the used slots, that each
// chain's links are consistent with its count and that its slots carry its
// tag. With counts not nil, it counts the used slots per tag instead.
func checkTable(t *slotTable, chains map[uint8]*chain, counts map[uint8]int) error {
	used := 0
	for i, s := range t.s {
		if s.where == whereFree {
			continue
		}
		used++
		if counts != nil {
			counts[s.where]++
		}
		if j, ok := t.index.get(s.page); !ok || j != int32(i) {
			return fmt.Errorf("slot %d holds page %v, but the index says (%d, %v)", i, s.page, j, ok)
		}
	}
	n := 0
	for i := range t.index.cells {
		if t.index.cells[i].val != 0 {
			n++
		}
	}
	if n != used {
		return fmt.Errorf("index holds %d pages, %d slots are used", n, used)
	}
	total := 0
	for tag, c := range chains {
		seen, prev := 0, noSlot
		for i := c.head; i != noSlot; i = t.s[i].next {
			if t.s[i].where != tag || t.s[i].prev != prev {
				return fmt.Errorf("chain %d: slot %d (page %v) has tag %d, prev %d; want %d, %d", tag, i, t.s[i].page, t.s[i].where, t.s[i].prev, tag, prev)
			}
			prev = i
			if seen++; seen > len(t.s) {
				return fmt.Errorf("chain %d loops", tag)
			}
		}
		if seen != c.n || prev != c.tail {
			return fmt.Errorf("chain %d: walked %d slots ending at %d, count %d tail %d", tag, seen, prev, c.n, c.tail)
		}
		total += seen
	}
	if chains != nil && total != used {
		return fmt.Errorf("chains hold %d slots, %d are used", total, used)
	}
	return nil
}

// checkRing checks CLOCK-Pro's circular list and that every hand is on it.
func checkRing(c *ClockPro) error {
	size := c.nHot + c.nCold + c.nTest
	if size == 0 {
		if c.handHot != noSlot || c.handCold != noSlot || c.handTest != noSlot {
			return errors.New("clock-pro: empty clock with a hand on a page")
		}
		return nil
	}
	on := map[int32]bool{}
	i := c.handHot
	for range size {
		if on[i] || c.t.s[i].where == whereFree || c.t.s[c.t.s[i].next].prev != i {
			return fmt.Errorf("clock-pro: clock broken at slot %d", i)
		}
		on[i] = true
		i = c.t.s[i].next
	}
	if i != c.handHot || !on[c.handCold] || !on[c.handTest] {
		return fmt.Errorf("clock-pro: the clock is not a ring of %d pages holding all hands", size)
	}
	return nil
}

// Random Access and Remove sequences keep the vm.Policy contract (Check) and
// each policy's own invariants, ghost-list bounds included.
func TestPropertyModernContract(t *testing.T) {
	for _, name := range modern {
		t.Run(name, func(t *testing.T) {
			rapid.Check(t, func(t *rapid.T) {
				frames := rapid.IntRange(1, 8).Draw(t, "frames")
				pages := rapid.IntRange(1, 3*frames).Draw(t, "pages")
				steps := rapid.IntRange(0, 120).Draw(t, "steps")
				opts := Options{
					Small: rapid.SampledFrom([]float64{0, 0.1, 0.25, 0.5, 0.9}).Draw(t, "small"),
					Ghost: rapid.SampledFrom([]float64{0, 0.25, 1, 2}).Draw(t, "ghost"),
				}
				p, err := New(name, frames, opts)
				if err != nil {
					t.Fatal(err)
				}
				var refs []Ref
				for i := range steps {
					page := vm.PageID(rapid.IntRange(1, pages).Draw(t, "page"))
					if rapid.IntRange(0, 5).Draw(t, "op") == 0 {
						t.Logf("Remove(%v)", page)
						was, n := p.Contains(page), p.Len()
						if got := p.Remove(page); got != was || p.Contains(page) || (was && p.Len() != n-1) {
							t.Fatalf("step %d: Remove(%v) = %v; resident before %v, Len %d -> %d", i, page, got, was, n, p.Len())
						}
					} else {
						t.Logf("Access(%v)", page)
						refs = append(refs[:0], Ref{Page: page})
						if err := Check(p, refs); err != nil {
							t.Fatalf("step %d: %v", i, err)
						}
					}
					if err := checkInternals(p); err != nil {
						t.Fatalf("step %d: %v", i, err)
					}
				}
			})
		})
	}
}

// A trace whose pages all fit in memory faults once per distinct page (cold
// misses) and never evicts; hits + faults = accesses on any trace.
func TestPropertyModernColdMissesOnly(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		refs := drawTrace(t)
		distinct := map[vm.PageID]bool{}
		for _, r := range refs {
			distinct[r.Page] = true
		}
		frames := len(distinct) + rapid.IntRange(0, 3).Draw(t, "spare")
		frames = max(frames, 1)
		for _, name := range modern {
			res, err := Simulate(name, frames, refs, Options{}, nil)
			if err != nil {
				t.Fatal(err)
			}
			if res.Hits+res.Faults != res.Accesses || res.Faults != uint64(len(distinct)) || res.Evictions != 0 {
				t.Fatalf("Simulate(%s, %d frames, %v) = %+v; want %d faults (one per distinct page), no evictions", name, frames, refs, res, len(distinct))
			}
		}
	})
}

// The page index against a Go map, over random puts and deletes.
func TestPropertyPageIndex(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		capacity := rapid.IntRange(1, 40).Draw(t, "capacity")
		x := newPageIndex(capacity)
		model := map[vm.PageID]int32{}
		keys := rapid.SliceOfN(rapid.Uint64Range(0, 64), 1, 8).Draw(t, "keys")
		for i := range rapid.IntRange(0, 200).Draw(t, "ops") {
			k := vm.PageID(keys[rapid.IntRange(0, len(keys)-1).Draw(t, "key")] * 1 << rapid.IntRange(0, 40).Draw(t, "shift"))
			if _, ok := model[k]; ok {
				x.del(k)
				delete(model, k)
			} else if len(model) < capacity {
				x.put(k, int32(i))
				model[k] = int32(i)
			}
			for k, v := range model {
				if got, ok := x.get(k); !ok || got != v {
					t.Fatalf("after op %d: get(%v) = %d, %v; want %d, true", i, k, got, ok, v)
				}
			}
		}
	})
}

func TestModernNewErrors(t *testing.T) {
	tests := []struct {
		call string
		err  error
	}{
		{"NewSIEVE(0)", second(NewSIEVE(0))},
		{"NewARC(-1)", second(NewARC(-1))},
		{"NewTwoQ(4, 1, 0)", second(NewTwoQ(4, 1, 0))},
		{"NewTwoQ(4, 0, -0.5)", second(NewTwoQ(4, 0, -0.5))},
		{"NewLinux(4, 1.5)", second(NewLinux(4, 1.5))},
		{"NewClockPro(0, 0)", second(NewClockPro(0, 0))},
		{"NewClockPro(4, -1)", second(NewClockPro(4, -1))},
		{"NewS3FIFO(4, 0, -1)", second(NewS3FIFO(4, 0, -1))},
		{"NewS3FIFO(4, 1, 0)", second(NewS3FIFO(4, 1, 0))},
	}
	for _, tt := range tests {
		if !errors.Is(tt.err, vm.ErrInvalidConfig) {
			t.Errorf("%s error = %v, want one wrapping vm.ErrInvalidConfig", tt.call, tt.err)
		}
	}
	for _, name := range modern {
		if _, err := New(name, 0, Options{}); !errors.Is(err, vm.ErrInvalidConfig) {
			t.Errorf("New(%q, 0) error = %v, want vm.ErrInvalidConfig", name, err)
		}
	}
}

func second[T any](_ T, err error) error { return err }

func TestModernAccessDoesNotAllocate(t *testing.T) {
	const frames = 64
	for _, c := range constructorsUnderTest {
		for _, name := range modern {
			p, err := c.new(name, frames, Options{})
			if err != nil {
				t.Fatal(err)
			}
			var refs []Ref
			for i := range 4096 {
				// A mix of hot pages (hits) and a long tail (misses, ghost hits).
				page := vm.PageID((i * 7919) % 400)
				if i%2 == 0 {
					page = vm.PageID(i % 16)
				}
				refs = append(refs, Ref{Page: page})
			}
			for _, r := range refs {
				p.Access(r.Page, r.Write)
			}
			i := 0
			allocs := testing.AllocsPerRun(2000, func() {
				r := refs[i%len(refs)]
				i++
				p.Access(r.Page, r.Write)
				if i%97 == 0 {
					p.Remove(r.Page)
				}
			})
			if allocs != 0 {
				t.Errorf("%s(%q): Access allocates %v times per call after warm-up, want 0", c.name, name, allocs)
			}
		}
	}
}

// A hot set of three pages, interrupted by a one-time scan of ten pages, with
// four frames. LRU loses the hot set to the scan (3 + 10 + 3 faults). ARC and
// S3-FIFO keep it: ARC's T2 and S3-FIFO's main queue hold pages seen twice,
// and the scan only churns T1 and the small queue. 2Q does not: the hot
// pages never left A1in, and hits there count for nothing, so to 2Q they are
// still pages seen once.
func ExampleSimulate_scanResistance() {
	var refs []Ref
	hot := Reads(1, 2, 3, 1, 2, 3, 1, 2, 3)
	refs = append(refs, hot...)
	for p := vm.PageID(100); p < 110; p++ {
		refs = append(refs, Ref{Page: p})
	}
	refs = append(refs, hot...)
	for _, name := range []string{"lru", "2q", "arc", "s3-fifo"} {
		res, _ := Simulate(name, 4, refs, Options{}, nil)
		fmt.Printf("%-8s %2d faults\n", name, res.Faults)
	}
	// Output:
	// lru      16 faults
	// 2q       16 faults
	// arc      13 faults
	// s3-fifo  13 faults
}

func ExampleSIEVE() {
	p, _ := NewSIEVE(3)
	for _, page := range []vm.PageID{1, 2, 3, 1, 4, 5} {
		hit, victim, evicted := p.Access(page, false)
		switch {
		case hit:
			fmt.Printf("%v hit\n", page)
		case evicted:
			fmt.Printf("%v fault, evicted %v\n", page, victim)
		default:
			fmt.Printf("%v fault\n", page)
		}
	}
	fmt.Println("resident, oldest first:", p.Resident(nil))
	// Output:
	// 1 fault
	// 2 fault
	// 3 fault
	// 1 hit
	// 4 fault, evicted 2
	// 5 fault, evicted 3
	// resident, oldest first: [1 4 5]
}

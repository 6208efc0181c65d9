package replacespec

import (
	"fmt"
	"slices"
	"strings"

	"pgregory.net/rapid"

	"github.com/vmkata/vmkata/reference/replace"
	"github.com/vmkata/vmkata/vm"
)

// drawRefs draws a trace of 8 to 60 references over 3 to 7 pages, so that
// pages come back and memory fills at every frame count a property tries;
// about one in four is a write. Draws shrink towards page 1, reads and
// short traces.
func drawRefs(t *rapid.T) []replace.Ref {
	alphabet := rapid.IntRange(3, 7).Draw(t, "pages")
	return rapid.SliceOfN(rapid.Custom(func(t *rapid.T) replace.Ref {
		return replace.Ref{
			Page:  vm.PageID(rapid.IntRange(1, alphabet).Draw(t, "page")),
			Write: rapid.IntRange(0, 3).Draw(t, "write") == 3,
		}
	}), 8, 60).Draw(t, "trace")
}

// optionsFor draws the options both sides of a comparison use: the decay
// period of lfu and mfu (0: none), the tick of aging (0: every frames
// accesses) and the small and ghost fractions of s3-fifo (0: the defaults)
// vary, the other options are fixed.
func optionsFor(t *rapid.T, policy string, refs []replace.Ref) replace.Options {
	opts := replace.Options{Future: pages(refs), Seed: 42, AgingTick: 3, DecayEvery: 5, Window: 4}
	switch policy {
	case "lfu", "mfu":
		opts.DecayEvery = rapid.IntRange(0, 6).Draw(t, "decayEvery")
	case "aging":
		opts.AgingTick = rapid.IntRange(0, 5).Draw(t, "tick")
	case "s3-fifo":
		opts.Small = rapid.SampledFrom([]float64{0, 0.25, 0.5}).Draw(t, "small")
		opts.Ghost = rapid.SampledFrom([]float64{0, 0.5, 1, 2}).Draw(t, "ghost")
	}
	return opts
}

func pages(refs []replace.Ref) []vm.PageID {
	out := make([]vm.PageID, len(refs))
	for i, r := range refs {
		out[i] = r.Page
	}
	return out
}

// op is one call of a differential run: an Access, or a Remove.
type op struct {
	ref    replace.Ref
	remove bool
}

// String prints "3", "3w" (a write) or "rm(3)".
func (o op) String() string {
	if o.remove {
		return fmt.Sprintf("rm(%v)", o.ref.Page)
	}
	return o.ref.String()
}

func traceString[T fmt.Stringer](ops []T) string {
	s := make([]string, len(ops))
	for i, o := range ops {
		s[i] = o.String()
	}
	return strings.Join(s, " ")
}

func outcome(hit bool, victim vm.PageID, evicted bool) string {
	switch {
	case hit:
		return "hit"
	case evicted:
		return fmt.Sprintf("fault, evicted %v", victim)
	}
	return "fault, nothing evicted"
}

// differential drives the policy under test and the reference policy of the
// same name with one random trace (with Remove calls if removes is set),
// with every number of frames up to maxFrames.
func differential(t *rapid.T, policy string, newPolicy Factory, removes bool) {
	var ops []op
	if removes {
		alphabet := rapid.IntRange(3, 7).Draw(t, "pages")
		ops = rapid.SliceOfN(rapid.Custom(func(t *rapid.T) op {
			return op{
				ref: replace.Ref{
					Page:  vm.PageID(rapid.IntRange(1, alphabet).Draw(t, "page")),
					Write: rapid.IntRange(0, 3).Draw(t, "write") == 3,
				},
				remove: rapid.IntRange(0, 5).Draw(t, "remove") == 5,
			}
		}), 8, 60).Draw(t, "ops")
	} else {
		for _, r := range drawRefs(t) {
			ops = append(ops, op{ref: r})
		}
	}
	var accesses []replace.Ref
	for _, o := range ops {
		if !o.remove {
			accesses = append(accesses, o.ref)
		}
	}
	opts := optionsFor(t, policy, accesses)
	for frames := 1; frames <= maxFrames; frames++ {
		compare(t, policy, newPolicy, ops, frames, opts)
	}
}

// maxFrames is the most frames a property tries: every trace is played
// with 1, 2, …, maxFrames frames, so that a bug shows whatever the draw.
const maxFrames = 5

// compare plays ops on the policy under test and the reference with frames
// frames and fails at the first call whose result, or resident set
// afterwards, differs.
func compare(t *rapid.T, policy string, newPolicy Factory, ops []op, frames int, opts replace.Options) {
	setting := params(policy, frames, opts)
	got, err := newPolicy(frames, opts)
	if err != nil {
		t.Fatalf("New(%s) = %v, want a policy", setting, err)
	}
	want, err := replace.New(policy, frames, opts)
	if err != nil {
		t.Fatalf("reference New(%q, %s): %v", policy, setting, err)
	}
	where := func(i int) string {
		return fmt.Sprintf("trace %s with %s: step %d (%v)", traceString(ops), setting, i, ops[i])
	}
	var gotRes, wantRes []vm.PageID
	for i, o := range ops {
		if o.remove {
			g, w := got.Remove(o.ref.Page), want.Remove(o.ref.Page)
			t.Logf("Remove(%v) = %v", o.ref.Page, g)
			if g != w {
				t.Fatalf("%s: Remove(%v) = %v, want %v", where(i), o.ref.Page, g, w)
			}
		} else {
			gh, gv, ge := got.Access(o.ref.Page, o.ref.Write)
			wh, wv, we := want.Access(o.ref.Page, o.ref.Write)
			t.Logf("Access(%v, write=%v) = %s", o.ref.Page, o.ref.Write, outcome(gh, gv, ge))
			switch {
			case gh != wh || ge != we:
				t.Fatalf("%s: %s, want %s", where(i), outcome(gh, gv, ge), outcome(wh, wv, we))
			case ge && gv != wv:
				t.Fatalf("%s: evicted %v, want %v", where(i), gv, wv)
			}
		}
		gotRes, wantRes = got.Resident(gotRes[:0]), want.Resident(wantRes[:0])
		if !equal(sorted(gotRes), sorted(wantRes)) {
			t.Fatalf("%s: resident pages afterwards %v, want %v", where(i), sorted(gotRes), sorted(wantRes))
		}
		if !equal(gotRes, wantRes) {
			t.Fatalf("%s: Resident() = %v, want %v: the right pages in the wrong order (the type's comment documents the order)",
				where(i), gotRes, wantRes)
		}
	}
}

// sorted returns a sorted copy of pages.
func sorted(pages []vm.PageID) []vm.PageID {
	out := slices.Clone(pages)
	slices.Sort(out)
	return out
}

func equal(a, b []vm.PageID) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

package replace

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/vmkata/vmkata/vm"
)

// Reference strings of the textbooks.
var (
	// Silberschatz, Operating System Concepts, ch. 10.
	silberschatz = []vm.PageID{7, 0, 1, 2, 0, 3, 0, 4, 2, 3, 0, 3, 2, 1, 2, 0, 1, 7, 0, 1}
	// Belady, Nelson and Shedler (1969): FIFO faults more with 4 frames than 3.
	belady = []vm.PageID{1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5}
)

// classic lists the policies this file's tests cover.
var classic = []string{"fifo", "opt", "lru", "clock", "second-chance", "enhanced-clock", "lfu", "mfu", "aging", "random", "ws", "wsclock"}

func TestTextbookFaults(t *testing.T) {
	tests := []struct {
		policy string
		frames int
		refs   []vm.PageID
		want   uint64
	}{
		{policy: "fifo", frames: 3, refs: silberschatz, want: 15},
		{policy: "lru", frames: 3, refs: silberschatz, want: 12},
		{policy: "opt", frames: 3, refs: silberschatz, want: 9},
		// Worked by hand in Clock's doc style: 14 faults (hits at 0, 0, 3, 2, 1, 0).
		{policy: "clock", frames: 3, refs: silberschatz, want: 14},
		{policy: "second-chance", frames: 3, refs: silberschatz, want: 14},
		{policy: "fifo", frames: 3, refs: belady, want: 9},
		{policy: "fifo", frames: 4, refs: belady, want: 10},
		{policy: "lru", frames: 3, refs: belady, want: 10},
		{policy: "lru", frames: 4, refs: belady, want: 8},
		{policy: "opt", frames: 3, refs: belady, want: 7},
		{policy: "opt", frames: 4, refs: belady, want: 6},
	}
	for _, tt := range tests {
		res, err := Simulate(tt.policy, tt.frames, Reads(tt.refs...), Options{}, nil)
		if err != nil {
			t.Errorf("Simulate(%s, %d, %v) error: %v", tt.policy, tt.frames, tt.refs, err)
			continue
		}
		if res.Faults != tt.want {
			t.Errorf("Simulate(%s, %d, %v).Faults = %d, want %d", tt.policy, tt.frames, tt.refs, res.Faults, tt.want)
		}
		if res.Hits+res.Faults != res.Accesses || res.Accesses != uint64(len(tt.refs)) {
			t.Errorf("Simulate(%s, %d, …) = %+v: hits+faults != accesses", tt.policy, tt.frames, res)
		}
	}
}

func w(p vm.PageID) Ref { return Ref{Page: p, Write: true} }
func r(p vm.PageID) Ref { return Ref{Page: p} }

func TestTextbookVictims(t *testing.T) {
	tests := []struct {
		policy string
		frames int
		opts   Options
		refs   []Ref
		want   []vm.PageID // victims, in order
	}{
		// Clock's doc: every R is set when 4 comes, so the hand clears all and evicts 1.
		{policy: "clock", frames: 3, refs: Reads(1, 2, 3, 2, 4, 1, 5), want: []vm.PageID{1, 2, 3}},
		{policy: "second-chance", frames: 3, refs: Reads(1, 2, 3, 2, 4, 1, 5), want: []vm.PageID{1, 2, 3}},
		// A hit after the sweep saves a page: 4 evicts 1 (all R cleared), 2 hits (R=1), 5 passes 2 and evicts 3.
		{policy: "clock", frames: 3, refs: Reads(1, 2, 3, 4, 2, 5), want: []vm.PageID{1, 3}},
		// Enhanced clock prefers the clean 2 over the older dirty 1, then 3, then 1 (only (0,1) left).
		{policy: "enhanced-clock", frames: 3, refs: []Ref{w(1), r(2), r(3), r(4), r(5), r(6)}, want: []vm.PageID{2, 3, 1}},
		{policy: "clock", frames: 3, refs: []Ref{w(1), r(2), r(3), r(4), r(5), r(6)}, want: []vm.PageID{1, 2, 3}},
		// OPT: at 5, 4 is never used again; at 6, 1, 2 and 5 are all never
		// used again, and 5 was used least recently.
		{policy: "opt", frames: 3, refs: Reads(1, 2, 4, 5, 1, 2, 6), want: []vm.PageID{4, 5}},
		{policy: "opt", frames: 2, refs: Reads(4, 5, 6, 4), want: []vm.PageID{5}},
		{policy: "opt", frames: 2, refs: Reads(4, 5, 6), want: []vm.PageID{4}},
		// LFU: counts 1:2 2:2 3:1 -> 3; then 4 (count 1) goes.
		{policy: "lfu", frames: 3, refs: Reads(1, 2, 3, 2, 1, 4, 3), want: []vm.PageID{3, 4}},
		// LFU tie at count 2: the least recently used, 3.
		{policy: "lfu", frames: 3, refs: Reads(1, 2, 3, 3, 2, 1, 4), want: []vm.PageID{3}},
		{policy: "lfu", frames: 3, refs: Reads(1, 1, 2, 3, 4), want: []vm.PageID{2}},
		{policy: "mfu", frames: 3, refs: Reads(1, 1, 2, 3, 4), want: []vm.PageID{1}},
		{policy: "mfu", frames: 3, refs: Reads(1, 2, 3, 3, 2, 1, 4), want: []vm.PageID{3}},
		// LFU with decay every 4 accesses: after 1 1 1 2 counts halve to 1:1 2:0, so 2 goes, then
		// 3 (count 1, used after 1).
		{policy: "lfu", frames: 2, opts: Options{DecayEvery: 4}, refs: Reads(1, 1, 1, 2, 3, 4), want: []vm.PageID{2, 1}},
		// Aging, tick every 2: 1 2 | tick: 1=0x80 2=0x80 | 3 evicts? no, 3 frames.
		// 1 2 (tick: 1,2 = 0x80) 1 3 (tick: 1=0xC0 2=0x40 3=0x80) 4 evicts 2.
		{policy: "aging", frames: 3, opts: Options{AgingTick: 2}, refs: Reads(1, 2, 1, 3, 4), want: []vm.PageID{2}},
		// Working set, τ=3: after 1 2 3 4, page 1 (last use 1 <= 4-3) is released, not evicted.
		{policy: "ws", frames: 4, opts: Options{Window: 3}, refs: Reads(1, 2, 3, 4, 1), want: nil},
		// Working set limited by frames: LRU victim.
		{policy: "ws", frames: 2, opts: Options{Window: 10}, refs: Reads(1, 2, 1, 3), want: []vm.PageID{2}},
	}
	for _, tt := range tests {
		var got []vm.PageID
		_, err := Simulate(tt.policy, tt.frames, tt.refs, tt.opts, func(s Step, _ vm.Policy) {
			if s.HasEvicted {
				got = append(got, s.Evicted)
			}
		})
		if err != nil {
			t.Errorf("Simulate(%s, %d, %v) error: %v", tt.policy, tt.frames, tt.refs, err)
			continue
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("Simulate(%s, %d, %v) victims = %v, want %v", tt.policy, tt.frames, tt.refs, got, tt.want)
		}
	}
}

func TestWorkingSetReleases(t *testing.T) {
	ws, err := NewWorkingSet(10, 3)
	if err != nil {
		t.Fatalf("NewWorkingSet(10, 3): %v", err)
	}
	var rel []vm.PageID
	for _, p := range []vm.PageID{1, 2, 3, 4} {
		ws.Access(p, false)
		rel = ws.Released(rel[:0])
	}
	if !slices.Equal(rel, []vm.PageID{1}) {
		t.Errorf("Released after 1 2 3 4 with τ=3 = %v, want [1]", rel)
	}
	if got := ws.Resident(nil); !slices.Equal(got, []vm.PageID{2, 3, 4}) {
		t.Errorf("Resident after 1 2 3 4 with τ=3 = %v, want [2 3 4]", got)
	}
	if hit, _, _ := ws.Access(1, false); hit {
		t.Errorf("Access(1) after it left the window = hit, want fault")
	}
}

func TestResidentOrder(t *testing.T) {
	refs := Reads(1, 2, 3, 1, 4)
	tests := []struct {
		policy string
		want   []vm.PageID
	}{
		{policy: "fifo", want: []vm.PageID{2, 3, 4}},
		{policy: "lru", want: []vm.PageID{3, 1, 4}},
		{policy: "lfu", want: []vm.PageID{3, 4, 1}},
		{policy: "mfu", want: []vm.PageID{2, 3, 4}}, // 4 evicted 1, the only page with count 2
	}
	for _, tt := range tests {
		var got []vm.PageID
		_, err := Simulate(tt.policy, 3, refs, Options{}, func(s Step, p vm.Policy) {
			if s.Index == len(refs)-1 {
				got = p.Resident(nil)
			}
		})
		if err != nil || !slices.Equal(got, tt.want) {
			t.Errorf("%s: Resident after %v = %v (err %v), want %v", tt.policy, refs, got, err, tt.want)
		}
	}
}

func TestNewErrors(t *testing.T) {
	tests := []struct {
		name   string
		frames int
		opts   Options
		want   string
	}{
		{name: "nope", frames: 3, want: "unknown policy"},
		{name: "lru", frames: 0, want: "at least 1"},
		{name: "fifo", frames: -1, want: "at least 1"},
		{name: "ws", frames: 3, opts: Options{Window: -1}, want: "window"},
		{name: "lfu", frames: 3, opts: Options{DecayEvery: -2}, want: "decay"},
	}
	for _, tt := range tests {
		p, err := New(tt.name, tt.frames, tt.opts)
		if err == nil || !errors.Is(err, vm.ErrInvalidConfig) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("New(%q, %d, %+v) = %v, %v; want an error wrapping ErrInvalidConfig mentioning %q", tt.name, tt.frames, tt.opts, p, err, tt.want)
		}
	}
	if _, err := New("nope", 1, Options{}); err == nil || !strings.Contains(err.Error(), "fifo, opt, lru") {
		t.Errorf("New(nope) = %v, want the known names listed", err)
	}
	if _, err := FaultCurve("lru", nil, 3, 2, Options{}); !errors.Is(err, vm.ErrInvalidConfig) {
		t.Errorf("FaultCurve(lru, nil, 3, 2) error = %v, want ErrInvalidConfig", err)
	}
}

func TestNamesAreRegistered(t *testing.T) {
	for _, n := range classic {
		p, err := New(n, 4, Options{})
		if err != nil {
			t.Errorf("New(%q, 4) error: %v", n, err)
			continue
		}
		if p.Name() != n || p.Frames() != 4 || p.Len() != 0 {
			t.Errorf("New(%q, 4): Name, Frames, Len = %q, %d, %d; want %q, 4, 0", n, p.Name(), p.Frames(), p.Len(), n)
		}
	}
	if got := Names(); len(got) != 18 || got[0] != "fifo" || got[17] != "s3-fifo" {
		t.Errorf("Names() = %v, want 18 names from fifo to s3-fifo", got)
	}
}

func TestFaultCurveShowsBelady(t *testing.T) {
	curve, err := FaultCurve("fifo", Reads(belady...), 1, 5, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []uint64
	for _, r := range curve {
		got = append(got, r.Faults)
	}
	if want := []uint64{12, 12, 9, 10, 5}; !slices.Equal(got, want) {
		t.Errorf("FaultCurve(fifo, belady, 1, 5) faults = %v, want %v", got, want)
	}
}

func TestRunStreams(t *testing.T) {
	i := 0
	next := func() (Ref, bool, error) {
		if i == len(silberschatz) {
			return Ref{}, false, nil
		}
		i++
		return Ref{Page: silberschatz[i-1]}, true, nil
	}
	lru, err := NewLRU(3)
	if err != nil {
		t.Fatalf("NewLRU(3): %v", err)
	}
	res, err := Run(lru, next, nil)
	if err != nil || res.Faults != 12 || res.Accesses != 20 {
		t.Errorf("Run(lru, silberschatz) = %v, %v; want 12 faults in 20 accesses", res, err)
	}
	boom := errors.New("boom")
	lru, _ = NewLRU(3)
	res, err = Run(lru, func() (Ref, bool, error) { return Ref{}, false, boom }, nil)
	if !errors.Is(err, boom) || res.Accesses != 0 {
		t.Errorf("Run with a failing source = %v, %v; want 0 accesses and the error", res, err)
	}
}

// Every constructor refuses fewer than one frame and negative parameters
// with vm.ErrInvalidConfig, as New does.
func TestConstructorsValidate(t *testing.T) {
	ctors := map[string]func(frames, arg int) error{
		"fifo":           func(f, _ int) error { _, err := NewFIFO(f); return err },
		"lru":            func(f, _ int) error { _, err := NewLRU(f); return err },
		"clock":          func(f, _ int) error { _, err := NewClock(f); return err },
		"second-chance":  func(f, _ int) error { _, err := NewSecondChance(f); return err },
		"enhanced-clock": func(f, _ int) error { _, err := NewEnhancedClock(f); return err },
		"random":         func(f, _ int) error { _, err := NewRandom(f, 1); return err },
		"lfu":            func(f, a int) error { _, err := NewLFU(f, a); return err },
		"mfu":            func(f, a int) error { _, err := NewMFU(f, a); return err },
		"aging":          func(f, a int) error { _, err := NewAging(f, a); return err },
		"ws":             func(f, a int) error { _, err := NewWorkingSet(f, a); return err },
		"wsclock":        func(f, a int) error { _, err := NewWSClock(f, a); return err },
	}
	for name, ctor := range ctors {
		for _, frames := range []int{0, -1} {
			if err := ctor(frames, 0); !errors.Is(err, vm.ErrInvalidConfig) {
				t.Errorf("%s with %d frames: error %v, want one wrapping %v", name, frames, err, vm.ErrInvalidConfig)
			}
		}
		if err := ctor(1, 0); err != nil {
			t.Errorf("%s with 1 frame: %v", name, err)
		}
	}
	for _, name := range []string{"lfu", "mfu", "aging", "ws", "wsclock"} {
		if err := ctors[name](3, -1); !errors.Is(err, vm.ErrInvalidConfig) {
			t.Errorf("%s with a negative parameter: error %v, want one wrapping %v", name, err, vm.ErrInvalidConfig)
		}
	}
}

package replace

import (
	"fmt"

	"github.com/vmkata/vmkata/vm"
)

// Ref is one memory reference of a trace: the page touched and whether the
// access wrote it.
type Ref struct {
	Page  vm.PageID
	Write bool
}

// String prints the page, with a "w" suffix for a write: "7", "7w".
func (r Ref) String() string {
	if r.Write {
		return r.Page.String() + "w"
	}
	return r.Page.String()
}

// Reads returns a trace of read references to pages, in order: the reference
// strings of textbooks ("7 0 1 2 0 3 …").
func Reads(pages ...vm.PageID) []Ref {
	refs := make([]Ref, len(pages))
	for i, p := range pages {
		refs[i] = Ref{Page: p}
	}
	return refs
}

// Step is what one reference did, as reported to a Simulate or Run observer.
type Step struct {
	Index      int       // position in the trace, from 0
	Page       vm.PageID // the page referenced
	Write      bool      // the reference wrote the page
	Hit        bool      // the page was resident
	Evicted    vm.PageID // the victim, if HasEvicted
	HasEvicted bool      // the fault evicted a page (memory was full)
}

// String prints e.g. "step 5: 4 fault, evicted 2" or "step 6: 1 hit".
func (s Step) String() string {
	switch {
	case s.Hit:
		return fmt.Sprintf("step %d: %v hit", s.Index, Ref{s.Page, s.Write})
	case s.HasEvicted:
		return fmt.Sprintf("step %d: %v fault, evicted %v", s.Index, Ref{s.Page, s.Write}, s.Evicted)
	default:
		return fmt.Sprintf("step %d: %v fault", s.Index, Ref{s.Page, s.Write})
	}
}

// Result counts what a policy did over a trace.
//
// Invariant: Hits + Faults == Accesses; Evictions <= Faults.
type Result struct {
	Policy    string
	Frames    int
	Accesses  uint64
	Hits      uint64
	Faults    uint64 // misses: references to a page that was not resident
	Evictions uint64 // faults that had to evict a page because memory was full
}

// FaultRate returns Faults / Accesses, or 0 for an empty trace.
func (r Result) FaultRate() float64 {
	if r.Accesses == 0 {
		return 0
	}
	return float64(r.Faults) / float64(r.Accesses)
}

// HitRatio returns Hits / Accesses, or 0 for an empty trace.
func (r Result) HitRatio() float64 {
	if r.Accesses == 0 {
		return 0
	}
	return float64(r.Hits) / float64(r.Accesses)
}

// String prints e.g. "lru with 3 frames: 20 accesses, 12 faults (60.0%)".
func (r Result) String() string {
	return fmt.Sprintf("%s with %d frames: %d accesses, %d faults (%.1f%%)",
		r.Policy, r.Frames, r.Accesses, r.Faults, 100*r.FaultRate())
}

// Simulate replays refs through a new policy called name with frames frames
// (built by NewFast) and counts hits and faults. It works for every policy,
// opt included: when
// name is "opt" and opts.Future is nil, Simulate hands opt the trace's pages
// as its future. onStep, if not nil, is called after every reference with
// what happened and the policy (for looking, e.g. Resident; not for
// driving).
//
// Errors are New's: an unknown name, frames < 1, a bad option.
func Simulate(name string, frames int, refs []Ref, opts Options, onStep func(Step, vm.Policy)) (Result, error) {
	if name == "opt" && opts.Future == nil {
		opts.Future = pagesOf(refs)
	}
	p, err := NewFast(name, frames, opts)
	if err != nil {
		return Result{}, err
	}
	res := Result{Policy: p.Name(), Frames: frames}
	for i, r := range refs {
		hit, victim, evicted := p.Access(r.Page, r.Write)
		res.count(hit, evicted)
		if onStep != nil {
			onStep(Step{Index: i, Page: r.Page, Write: r.Write, Hit: hit, Evicted: victim, HasEvicted: evicted}, p)
		}
	}
	return res, nil
}

// Run streams references from next through p until next reports false or an
// error, and counts hits and faults; it returns the counts so far with the
// error. Run suits traces too large to hold in memory, and online policies
// only: opt plans with the whole future, so it must be built with
// Options.Future holding exactly the references next will produce (or use
// Simulate).
func Run(p vm.Policy, next func() (Ref, bool, error), onStep func(Step, vm.Policy)) (Result, error) {
	res := Result{Policy: p.Name(), Frames: p.Frames()}
	for i := 0; ; i++ {
		r, ok, err := next()
		if err != nil {
			return res, err
		}
		if !ok {
			return res, nil
		}
		hit, victim, evicted := p.Access(r.Page, r.Write)
		res.count(hit, evicted)
		if onStep != nil {
			onStep(Step{Index: i, Page: r.Page, Write: r.Write, Hit: hit, Evicted: victim, HasEvicted: evicted}, p)
		}
	}
}

// FaultCurve simulates policy name over refs once for each frame count from
// minFrames to maxFrames inclusive and returns the results in that order:
// the data of a faults-versus-frames plot, where Belady's anomaly shows as a
// curve that goes up. It returns an error wrapping vm.ErrInvalidConfig when
// minFrames < 1 or maxFrames < minFrames.
func FaultCurve(name string, refs []Ref, minFrames, maxFrames int, opts Options) ([]Result, error) {
	if minFrames < 1 || maxFrames < minFrames {
		return nil, fmt.Errorf("replace: fault curve of %s over frames [%d, %d]: need 1 <= min <= max: %w", name, minFrames, maxFrames, vm.ErrInvalidConfig)
	}
	if name == "opt" && opts.Future == nil {
		opts.Future = pagesOf(refs)
	}
	out := make([]Result, 0, maxFrames-minFrames+1)
	for k := minFrames; k <= maxFrames; k++ {
		r, err := Simulate(name, k, refs, opts, nil)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

func (r *Result) count(hit, evicted bool) {
	r.Accesses++
	if hit {
		r.Hits++
	} else {
		r.Faults++
	}
	if evicted {
		r.Evictions++
	}
}

func pagesOf(refs []Ref) []vm.PageID {
	pages := make([]vm.PageID, len(refs))
	for i, r := range refs {
		pages[i] = r.Page
	}
	return pages
}

// BeladyAnomaly looks for Belady's anomaly of FIFO on the reference string
// refs: it counts FIFO's faults with 1, 2, …, maxFrames frames and returns
// the smallest k < maxFrames with faults(k+1) > faults(k), and true; or 0
// and false if the fault curve never goes up (and for maxFrames < 2).
func BeladyAnomaly(refs []vm.PageID, maxFrames int) (frames int, found bool) {
	prev := uint64(0)
	for k := 1; k <= maxFrames; k++ {
		f, _ := NewFIFO(k) // k >= 1, so it cannot fail
		faults := uint64(0)
		for _, p := range refs {
			if hit, _, _ := f.Access(p, false); !hit {
				faults++
			}
		}
		if k > 1 && faults > prev {
			return k - 1, true
		}
		prev = faults
	}
	return 0, false
}

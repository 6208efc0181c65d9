// Package run grades one exercise: it builds the exercise's test binary,
// runs it in its own process under a time and memory limit, and turns
// Ginkgo's JSON report into per-spec results weighted by points.
//
// Learner code that panics, hangs, exits or allocates without bound costs
// only the specs it breaks: when the whole-suite run dies before writing its
// report, each spec is run again in a process of its own.
package run

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/vmkata/vmkata/catalog"
	"github.com/vmkata/vmkata/grader/internal/similarity"
)

// Spec is the outcome of one spec.
type Spec struct {
	Name     string   // the full text: containers and leaf, space-separated
	Labels   []string // every label on the spec and its containers
	Points   int      // from a "points:N" label; 1 when the spec carries none
	State    string   // passed, failed, panicked, timedout, killed, …
	Failure  string   // what went wrong, for people; empty when passed
	Location string   // file:line of the failure, when known
	Duration time.Duration
	// Notes are what the spec asks the grade to say beside its outcome:
	// the values of its Ginkgo report entries named NoteEntry (exercise
	// 20 says whose each part is).
	Notes []string
}

// NoteEntry names the Ginkgo report entries (ginkgo.AddReportEntry) whose
// values the grade shows as notes; specs write it as a literal.
const NoteEntry = "grade note"

// Passed reports whether the spec passed.
func (s Spec) Passed() bool { return s.State == "passed" }

// Result is the grade of one exercise.
type Result struct {
	Exercise  catalog.Exercise
	Specs     []Spec
	Points    int // points of the passed specs
	MaxPoints int // points of every spec (the catalog's, when the specs could not be listed)
	// Problem, when set, says why the exercise could not be graded normally
	// (it does not compile, it imports the reference, the suite crashed);
	// it is shown to the learner before any spec failure.
	Problem  string
	Seed     uint64
	Duration time.Duration
	// Similarity says, per learner file, how much of it is found in the
	// exercise's reference (package similarity). It is reported for the
	// instructor to weigh and never changes Points.
	Similarity []similarity.Match
}

// Passed counts the passed specs.
func (r Result) Passed() int {
	n := 0
	for _, s := range r.Specs {
		if s.Passed() {
			n++
		}
	}
	return n
}

// Complete reports whether every point was earned and every spec passed,
// the random properties (which carry no points) included.
func (r Result) Complete() bool {
	return r.Problem == "" && r.MaxPoints > 0 && r.Points == r.MaxPoints && r.Passed() == len(r.Specs)
}

// Notes returns the notes of every spec, in run order, each once.
func (r Result) Notes() []string {
	var out []string
	for _, s := range r.Specs {
		for _, n := range s.Notes {
			if !slices.Contains(out, n) {
				out = append(out, n)
			}
		}
	}
	return out
}

// FirstFailure returns the first failed spec in run order, if any.
func (r Result) FirstFailure() (Spec, bool) {
	for _, s := range r.Specs {
		if !s.Passed() {
			return s, true
		}
	}
	return Spec{}, false
}

// pointsOf reads the weight of a spec from its labels: 0 for a random
// property (labelled "property"), which is a second net whose verdict may
// depend on rapid's seed, so that a score never does; else the first
// "points:N" with N > 0, or 1. A property's failure is still reported.
func pointsOf(labels []string) int {
	if slices.Contains(labels, "property") {
		return 0
	}
	for _, l := range labels {
		if v, ok := strings.CutPrefix(l, "points:"); ok {
			if n, err := strconv.Atoi(v); err == nil && n > 0 {
				return n
			}
		}
	}
	return 1
}

func (r *Result) total() {
	r.Points, r.MaxPoints = 0, 0
	for _, s := range r.Specs {
		r.MaxPoints += s.Points
		if s.Passed() {
			r.Points += s.Points
		}
	}
}

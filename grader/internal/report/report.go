// Package report writes a grade in the formats the grader offers: text for
// people at a terminal, markdown for a pull-request comment, JSON for
// scripts, Gradescope's results.json, JUnit XML for CI systems, and the
// result of a GitHub Classroom test runner.
package report

import (
	"fmt"
	"io"
	"path"
	"sort"
	"strings"

	"github.com/vmkata/vmkata/catalog"
	"github.com/vmkata/vmkata/grader/internal/run"
	"github.com/vmkata/vmkata/grader/internal/similarity"
)

// Grade is the outcome of one grading run, over one or more exercises.
type Grade struct {
	Results []run.Result
	Seed    uint64 // the rapid seed every exercise ran with
	// Protections says, in one line, which protections of the learner's
	// processes were in force (memory limit, network …), and which were not.
	Protections string
}

// Points returns the points earned and available over all exercises.
func (g Grade) Points() (earned, max int) {
	for _, r := range g.Results {
		earned += r.Points
		max += r.MaxPoints
	}
	return earned, max
}

// Next returns the first exercise, in learning-path order, that is not
// complete.
func (g Grade) Next() (run.Result, bool) {
	for _, r := range g.Results {
		if !r.Complete() {
			return r, true
		}
	}
	return run.Result{}, false
}

// Formats lists the names Write accepts.
var Formats = []string{"text", "markdown", "json", "gradescope", "junit", "classroom"}

// Write writes g in the named format.
func Write(w io.Writer, format string, g Grade) error {
	switch format {
	case "text":
		return writeText(w, g)
	case "markdown":
		return writeMarkdown(w, g)
	case "json":
		return writeJSON(w, g)
	case "gradescope":
		return writeGradescope(w, g)
	case "junit":
		return writeJUnit(w, g)
	case "classroom":
		return writeClassroom(w, g)
	}
	return fmt.Errorf("unknown format %q; want one of %s", format, strings.Join(Formats, ", "))
}

func status(r run.Result) string {
	switch {
	case r.Complete():
		return "done"
	case r.Problem != "" && len(r.Specs) == 0:
		return "no credit"
	case r.Points > 0:
		return "in progress"
	}
	return "to do"
}

func writeText(w io.Writer, g Grade) error {
	var b strings.Builder
	fmt.Fprintf(&b, "vmkata grade (rapid seed %d)\n", g.Seed)
	if g.Protections != "" {
		fmt.Fprintf(&b, "sandbox: %s\n", g.Protections)
	}
	b.WriteString("\n")
	fmt.Fprintf(&b, "  %-24s %9s %9s  %s\n", "exercise", "specs", "points", "status")
	for _, r := range g.Results {
		fmt.Fprintf(&b, "  %-24s %9s %9s  %s\n", r.Exercise.ID,
			fmt.Sprintf("%d/%d", r.Passed(), len(r.Specs)),
			fmt.Sprintf("%d/%d", r.Points, r.MaxPoints), status(r))
	}
	earned, max := g.Points()
	fmt.Fprintf(&b, "  %-24s %9s %9s\n", "total", "", fmt.Sprintf("%d/%d", earned, max))
	if similar := withSimilarity(g); len(similar) > 0 {
		b.WriteString("\nSimilarity to the reference (reported, not scored):\n")
		for _, r := range similar {
			fmt.Fprintf(&b, "  %-24s %s\n", r.Exercise.ID, similarityLine(r.Similarity))
		}
	}
	if next, ok := g.Next(); ok {
		b.WriteString("\n")
		b.WriteString(firstProblem(next))
		fmt.Fprintf(&b, "\nNext: %s — %s\n  read  %s/README.md\n  test  go test ./%s/\n  hints %s/HINTS.md\n",
			next.Exercise.ID, next.Exercise.Title, next.Exercise.Dir(), next.Exercise.Dir(), next.Exercise.Dir())
		fmt.Fprintf(&b, "  replay this grade: go run ./grader --exercise %s --seed %d\n", next.Exercise.ID[:2], g.Seed)
	} else if len(g.Results) > 0 {
		b.WriteString("\nEvery exercise graded here is complete.\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// firstProblem describes what to fix first in r: the reason it could not
// be graded, or its first failing spec.
func firstProblem(r run.Result) string {
	var b strings.Builder
	if r.Problem != "" {
		fmt.Fprintf(&b, "%s: %s\n", r.Exercise.ID, indent(r.Problem))
	}
	if s, ok := r.FirstFailure(); ok {
		fmt.Fprintf(&b, "First failure in %s (%d point%s):\n  %s\n", r.Exercise.ID, s.Points, plural(s.Points), s.Name)
		if s.Location != "" {
			fmt.Fprintf(&b, "  at %s\n", s.Location)
		}
		fmt.Fprintf(&b, "  %s\n", indent(limitLines(s.Failure, 40)))
	}
	return b.String()
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func indent(s string) string { return strings.ReplaceAll(s, "\n", "\n  ") }

func limitLines(s string, n int) string {
	lines := strings.Split(s, "\n")
	if len(lines) <= n {
		return s
	}
	return strings.Join(lines[:n], "\n") + fmt.Sprintf("\n… (%d more lines)", len(lines)-n)
}

func writeMarkdown(w io.Writer, g Grade) error {
	var b strings.Builder
	earned, max := g.Points()
	fmt.Fprintf(&b, "## vmkata grade: %d / %d\n\n", earned, max)
	b.WriteString("| exercise | specs | points | status |\n|---|---:|---:|---|\n")
	for _, r := range g.Results {
		fmt.Fprintf(&b, "| %s | %d/%d | %d/%d | %s |\n", r.Exercise.ID, r.Passed(), len(r.Specs), r.Points, r.MaxPoints, status(r))
	}
	if similar := withSimilarity(g); len(similar) > 0 {
		b.WriteString("\n| exercise | similarity to the reference (not scored) |\n|---|---|\n")
		for _, r := range similar {
			fmt.Fprintf(&b, "| %s | %s |\n", r.Exercise.ID, similarityLine(r.Similarity))
		}
	}
	fmt.Fprintf(&b, "\nrapid seed: `%d`\n", g.Seed)
	if g.Protections != "" {
		fmt.Fprintf(&b, "\nsandbox: %s\n", g.Protections)
	}
	if next, ok := g.Next(); ok {
		fmt.Fprintf(&b, "\n### Next: %s\n\n```\n%s```\n", next.Exercise.ID, firstProblem(next))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// specsByExercise yields every spec with its exercise, in order; an
// exercise that could not be graded yields one synthetic failed spec worth
// its catalog points, so that totals add up in every format.
func specsByExercise(g Grade, f func(e catalog.Exercise, s run.Spec)) {
	for _, r := range g.Results {
		if len(r.Specs) == 0 {
			f(r.Exercise, run.Spec{Name: "grading", Points: r.MaxPoints, State: "failed", Failure: r.Problem})
			continue
		}
		for _, s := range r.Specs {
			f(r.Exercise, s)
		}
	}
}

// topics returns the topic labels of s, sorted, without the "topic:" prefix.
func topics(s run.Spec) []string {
	var out []string
	for _, l := range s.Labels {
		if t, ok := strings.CutPrefix(l, "topic:"); ok {
			out = append(out, t)
		}
	}
	sort.Strings(out)
	return out
}

// withSimilarity returns the results of g that carry a similarity report.
func withSimilarity(g Grade) []run.Result {
	var out []run.Result
	for _, r := range g.Results {
		if len(r.Similarity) > 0 {
			out = append(out, r)
		}
	}
	return out
}

// similarityLine describes an exercise's similarity report on one line:
// "tlb.go 9 % (reference/tlb/tlb.go); extra.go 0 %".
func similarityLine(ms []similarity.Match) string {
	parts := make([]string, len(ms))
	for i, m := range ms {
		parts[i] = fmt.Sprintf("%s %d %%", path.Base(m.File), m.Percent)
		if m.Reference != "" {
			parts[i] += " (" + m.Reference + ")"
		}
	}
	return strings.Join(parts, "; ")
}

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
	"github.com/vmkata/vmkata/grader/internal/i18n"
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
	// Lang is the language of the formats people read (text, markdown).
	Lang i18n.Lang
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

func status(r run.Result) i18n.Text {
	switch {
	case r.Complete():
		return i18n.Text{EN: "done", KO: "완료"}
	case r.Problem != "" && len(r.Specs) == 0:
		return i18n.Text{EN: "no credit", KO: "점수 없음"}
	case r.Points > 0:
		return i18n.Text{EN: "in progress", KO: "진행 중"}
	}
	return i18n.Text{EN: "to do", KO: "시작 전"}
}

func writeText(w io.Writer, g Grade) error {
	var b strings.Builder
	l := g.Lang
	b.WriteString(i18n.F("vmkata grade (rapid seed %d)\n", "vmkata 채점 결과 (rapid 시드 %d)\n", g.Seed).In(l))
	if g.Protections != "" {
		b.WriteString(i18n.F("sandbox: %s\n", "샌드박스: %s\n", g.Protections).In(l))
	}
	b.WriteString("\n")
	head := i18n.Text{EN: "exercise specs points status", KO: "연습문제 스펙 점수 상태"}
	h := strings.Fields(head.In(l))
	fmt.Fprintf(&b, "  %-24s %9s %9s  %s\n", h[0], h[1], h[2], h[3])
	for _, r := range g.Results {
		fmt.Fprintf(&b, "  %-24s %9s %9s  %s\n", r.Exercise.ID,
			fmt.Sprintf("%d/%d", r.Passed(), len(r.Specs)),
			fmt.Sprintf("%d/%d", r.Points, r.MaxPoints), status(r).In(l))
	}
	earned, max := g.Points()
	fmt.Fprintf(&b, "  %-24s %9s %9s\n", i18n.Text{EN: "total", KO: "합계"}.In(l), "", fmt.Sprintf("%d/%d", earned, max))
	if similar := withSimilarity(g); len(similar) > 0 {
		b.WriteString(i18n.Text{EN: "\nSimilarity to the reference (reported, not scored):\n", KO: "\n참조 구현과의 유사도 (보고만 하며 점수에는 반영하지 않음):\n"}.In(l))
		for _, r := range similar {
			fmt.Fprintf(&b, "  %-24s %s\n", r.Exercise.ID, similarityLine(r.Similarity))
		}
	}
	for _, r := range g.Results {
		if notes := r.Notes(); len(notes) > 0 {
			b.WriteString(i18n.F("\nNotes on %s:\n", "\n%s에 대한 참고:\n", r.Exercise.ID).In(l))
			for _, n := range notes {
				fmt.Fprintf(&b, "  %s\n", indent(n))
			}
		}
	}
	if next, ok := g.Next(); ok {
		e := next.Exercise
		b.WriteString("\n")
		b.WriteString(FirstProblem(next, l))
		b.WriteString(i18n.F("\nNext: %s — %s\n  read  %s/README.md\n  test  go test ./%s/\n  hints go run ./grader hint %s\n",
			"\n다음: %s — %s\n  읽기   %s/README.ko.md\n  테스트 go test ./%s/\n  힌트   go run ./grader hint %s\n", e.ID, e.Title, e.Dir(), e.Dir(), e.ID[:2]).In(l))
		b.WriteString(i18n.F("  replay this grade: go run ./grader --exercise %s --seed %d\n",
			"  같은 채점 다시 하기: go run ./grader --exercise %s --seed %d\n", e.ID[:2], g.Seed).In(l))
	} else if len(g.Results) > 0 {
		b.WriteString(i18n.Text{EN: "\nEvery exercise graded here is complete.\n", KO: "\n여기서 채점한 연습 문제를 모두 끝냈습니다.\n"}.In(l))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// FirstProblem describes, in lang, what to fix first in r: the reason it
// could not be graded, or its first failing spec (the spec's own message
// stays as the spec wrote it).
func FirstProblem(r run.Result, lang i18n.Lang) string {
	var b strings.Builder
	if r.Problem != "" {
		fmt.Fprintf(&b, "%s: %s\n", r.Exercise.ID, indent(r.Problem))
	}
	if s, ok := r.FirstFailure(); ok {
		b.WriteString(i18n.F("First failure in %s (%d point%s):\n  %s\n", "%[1]s의 첫 실패 (%[2]d점):\n  %[4]s\n",
			r.Exercise.ID, s.Points, plural(s.Points), s.Name).In(lang))
		if s.Location != "" {
			b.WriteString(i18n.F("  at %s\n", "  위치 %s\n", s.Location).In(lang))
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
		fmt.Fprintf(&b, "| %s | %d/%d | %d/%d | %s |\n", r.Exercise.ID, r.Passed(), len(r.Specs), r.Points, r.MaxPoints, status(r).In(g.Lang))
	}
	if similar := withSimilarity(g); len(similar) > 0 {
		b.WriteString("\n| exercise | similarity to the reference (not scored) |\n|---|---|\n")
		for _, r := range similar {
			fmt.Fprintf(&b, "| %s | %s |\n", r.Exercise.ID, similarityLine(r.Similarity))
		}
	}
	for _, r := range g.Results {
		if notes := r.Notes(); len(notes) > 0 {
			fmt.Fprintf(&b, "\n%s\n\n", i18n.F("Notes on %s:", "%s에 대한 참고:", r.Exercise.ID).In(g.Lang))
			for _, n := range notes {
				fmt.Fprintf(&b, "- %s\n", n)
			}
		}
	}
	fmt.Fprintf(&b, "\nrapid seed: `%d`\n", g.Seed)
	if g.Protections != "" {
		fmt.Fprintf(&b, "\nsandbox: %s\n", g.Protections)
	}
	if next, ok := g.Next(); ok {
		fmt.Fprintf(&b, "\n### Next: %s\n\n```\n%s```\n", next.Exercise.ID, FirstProblem(next, g.Lang))
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

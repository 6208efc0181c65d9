// Package selfcheck proves the kit: for every exercise in the catalog, the
// solution build earns every point, the untouched stub earns none (and
// each of its failures names the function to implement), and every mutant
// (a classic wrong implementation) fails at least one spec.
//
// The working tree is never modified: mutants are swapped in for the stub
// through "go test -overlay".
package selfcheck

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/vmkata/vmkata/catalog"
	"github.com/vmkata/vmkata/grader/internal/run"
)

// Options configure the self-check.
type Options struct {
	Run      run.Options // Root, Go, Seed, Checks, limits; WorkDir is set per job
	Parallel int         // concurrent jobs; default 2
	Log      io.Writer   // progress, one line per job
}

// job is one grading run the self-check needs and what it expects of it.
type job struct {
	ex     catalog.Exercise
	kind   string // "solution", "stub" or "mutant NAME"
	opt    run.Options
	verify func(run.Result) error
	err    error
	res    run.Result
}

// Run checks every exercise in list and returns an error listing every
// expectation that failed.
func Run(ctx context.Context, list []catalog.Exercise, opt Options) error {
	if err := catalog.Check(catalog.Exercises); err != nil {
		return err
	}
	if opt.Parallel <= 0 {
		opt.Parallel = 2
	}
	var jobs []*job
	var problems []string
	for _, e := range list {
		if err := checkFolder(opt.Run.Root, e); err != nil {
			problems = append(problems, err.Error())
		}
		js, err := jobsFor(e, opt.Run)
		if err != nil {
			problems = append(problems, err.Error())
			continue
		}
		jobs = append(jobs, js...)
	}
	sem := make(chan struct{}, opt.Parallel)
	var wg sync.WaitGroup
	var mu sync.Mutex
	for i, j := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			dir, err := os.MkdirTemp("", "vmkata-selfcheck-")
			if err != nil {
				j.err = err
				return
			}
			defer os.RemoveAll(dir)
			j.opt.WorkDir = dir
			if j.opt.Overlay != nil {
				if j.opt.Overlay, err = materialize(dir, j.opt.Overlay); err != nil {
					j.err = err
					return
				}
			}
			j.res, j.err = run.Grade(ctx, j.ex, j.opt)
			if j.err == nil {
				j.err = j.verify(j.res)
			}
			if opt.Log != nil {
				mu.Lock()
				verdict := "ok"
				if j.err != nil {
					verdict = "FAIL"
				}
				fmt.Fprintf(opt.Log, "selfcheck %3d/%d %-24s %-32s %d/%d points, %d specs, %.1fs  %s\n", i+1, len(jobs),
					j.ex.ID, j.kind, j.res.Points, j.res.MaxPoints, len(j.res.Specs), j.res.Duration.Seconds(), verdict)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	for _, j := range jobs {
		if j.err != nil {
			problems = append(problems, fmt.Sprintf("%s (%s): %v", j.ex.ID, j.kind, j.err))
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("selfcheck: %d problem(s):\n  %s", len(problems), strings.Join(problems, "\n  "))
	}
	return nil
}

func jobsFor(e catalog.Exercise, base run.Options) ([]*job, error) {
	solution := base
	solution.Tags = []string{"solution"}
	solution.AllowReference = true
	jobs := []*job{
		{ex: e, kind: "solution", opt: solution, verify: func(r run.Result) error { return fullMarks(e, r) }},
		{ex: e, kind: "stub", opt: base, verify: func(r run.Result) error { return noMarks(r) }},
	}
	mutants, err := catalog.Mutants(e.ID)
	if err != nil {
		return nil, err
	}
	if len(mutants) < 3 {
		return nil, fmt.Errorf("%s: %d mutants, want at least 3 classic wrong implementations", e.ID, len(mutants))
	}
	for _, m := range mutants {
		overlay, err := mutantOverlay(base.Root, e, m)
		if err != nil {
			return nil, err
		}
		o := base
		o.Overlay = overlay
		o.AllowReference = true
		jobs = append(jobs, &job{ex: e, kind: "mutant " + m.Name, opt: o, verify: func(r run.Result) error { return killed(m, r) }})
	}
	return jobs, nil
}

func fullMarks(e catalog.Exercise, r run.Result) error {
	if r.Problem != "" {
		return fmt.Errorf("the solution build could not be graded: %s", r.Problem)
	}
	if len(r.Specs) == 0 {
		return fmt.Errorf("the solution build ran no specs")
	}
	if s, ok := r.FirstFailure(); ok {
		return fmt.Errorf("the solution build fails %q: %s", s.Name, s.Failure)
	}
	if r.MaxPoints != e.Points {
		return fmt.Errorf("the specs are worth %d points but the catalog says %d; update catalog.Exercises", r.MaxPoints, e.Points)
	}
	return nil
}

func noMarks(r run.Result) error {
	if r.Problem != "" && len(r.Specs) == 0 {
		return fmt.Errorf("the stub could not be graded: %s", r.Problem)
	}
	var passed, silent []string
	for _, s := range r.Specs {
		if s.Passed() {
			passed = append(passed, s.Name)
		} else if !strings.Contains(s.Failure, "not implemented") {
			silent = append(silent, s.Name)
		}
	}
	if len(passed) > 0 {
		return fmt.Errorf("%d spec(s) pass on the untouched stub, so they test nothing: %s", len(passed), strings.Join(passed, "; "))
	}
	if len(silent) > 0 {
		return fmt.Errorf("%d spec(s) fail on the stub without naming the function to implement (no \"not implemented\" in the failure): %s",
			len(silent), strings.Join(silent, "; "))
	}
	if r.Points != 0 {
		return fmt.Errorf("the stub earns %d points", r.Points)
	}
	return nil
}

func killed(m catalog.Mutant, r run.Result) error {
	if r.Problem != "" && len(r.Specs) == 0 {
		return fmt.Errorf("the mutant could not be graded (does it still apply to the reference?): %s", r.Problem)
	}
	if _, ok := r.FirstFailure(); !ok {
		return fmt.Errorf("the mutant survives every spec: %s", m.Why)
	}
	return nil
}

// checkFolder verifies that an exercise folder has what a learner needs.
func checkFolder(root string, e catalog.Exercise) error {
	dir := filepath.Join(root, e.Dir())
	for _, f := range []string{"README.md", "README.ko.md", "HINTS.md"} {
		data, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			return fmt.Errorf("%s: missing %s", e.ID, f)
		}
		if len(strings.TrimSpace(string(data))) < 200 {
			return fmt.Errorf("%s: %s is nearly empty", e.ID, f)
		}
	}
	hints, _ := os.ReadFile(filepath.Join(dir, "HINTS.md"))
	for i := 1; i <= 3; i++ {
		if !strings.Contains(string(hints), fmt.Sprintf("Hint %d", i)) {
			return fmt.Errorf("%s: HINTS.md has no \"Hint %d\"", e.ID, i)
		}
	}
	stubs, solution, tests, err := classify(dir)
	if err != nil {
		return fmt.Errorf("%s: %v", e.ID, err)
	}
	switch {
	case len(stubs) == 0:
		return fmt.Errorf("%s: no stub file (a .go file with //go:build !solution)", e.ID)
	case len(solution) == 0:
		return fmt.Errorf("%s: no solution file (a .go file with //go:build solution)", e.ID)
	case len(tests) == 0:
		return fmt.Errorf("%s: no _test.go file", e.ID)
	}
	return nil
}

// classify sorts the exercise's Go files into stubs (!solution), solution
// aliases (solution) and tests. Any other non-test file is an error: every
// file a learner edits must be swapped out by the solution build.
func classify(dir string) (stubs, solution, tests []string, err error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil, nil, err
	}
	for _, ent := range entries {
		name := ent.Name()
		if ent.IsDir() || !strings.HasSuffix(name, ".go") {
			continue
		}
		if strings.HasSuffix(name, "_test.go") {
			tests = append(tests, name)
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return nil, nil, nil, err
		}
		switch constraint(string(data)) {
		case "!solution":
			stubs = append(stubs, name)
		case "solution":
			solution = append(solution, name)
		default:
			return nil, nil, nil, fmt.Errorf("%s has no //go:build solution or //go:build !solution line", name)
		}
	}
	return stubs, solution, tests, nil
}

func constraint(src string) string {
	for _, line := range strings.Split(src, "\n") {
		if c, ok := strings.CutPrefix(strings.TrimSpace(line), "//go:build "); ok {
			return strings.TrimSpace(c)
		}
		if strings.HasPrefix(line, "package ") {
			break
		}
	}
	return ""
}

// mutantOverlay maps the exercise's stub files away and the mutated
// reference package's files in. Values are file contents here; materialize
// writes them to disk.
func mutantOverlay(root string, e catalog.Exercise, m catalog.Mutant) (map[string]string, error) {
	refDir := filepath.Join(root, e.Reference)
	entries, err := os.ReadDir(refDir)
	if err != nil {
		return nil, fmt.Errorf("%s: reading %s: %w", e.ID, e.Reference, err)
	}
	files := map[string]string{}
	for _, ent := range entries {
		name := ent.Name()
		if ent.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		data, err := os.ReadFile(filepath.Join(refDir, name))
		if err != nil {
			return nil, err
		}
		files[name] = string(data)
	}
	changed, err := m.Apply(files)
	if err != nil {
		return nil, err
	}
	dir := filepath.Join(root, e.Dir())
	stubs, _, _, err := classify(dir)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", e.ID, err)
	}
	overlay := map[string]string{}
	for _, s := range stubs {
		overlay[filepath.Join(dir, s)] = "\x00delete"
	}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		content := files[name]
		if c, ok := changed[name]; ok {
			content = c
		}
		overlay[filepath.Join(dir, "zz_ref_"+name)] = content
	}
	return overlay, nil
}

// materialize writes overlay contents into dir and returns the path map
// "go build -overlay" wants.
func materialize(dir string, contents map[string]string) (map[string]string, error) {
	out := map[string]string{}
	i := 0
	for target, content := range contents {
		if content == "\x00delete" {
			out[target] = ""
			continue
		}
		i++
		f := filepath.Join(dir, fmt.Sprintf("overlay%03d.go", i))
		if err := os.WriteFile(f, []byte(content), 0o644); err != nil {
			return nil, err
		}
		out[target] = f
	}
	return out, nil
}

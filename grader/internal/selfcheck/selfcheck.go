// Package selfcheck proves the kit: for every exercise in the catalog, the
// solution build earns every point and passes a spec of every rule of the
// exercise's contract, the untouched stub earns none (and each of its
// failures names the function to implement), and every mutant (a classic
// wrong implementation) fails at least one rule-labelled spec, a
// deterministic one: a mutant that only a random property catches is a hole
// in the specs. With several seeds, each mutant must also lose the same
// points at every seed.
//
// The working tree is never modified: mutants are swapped in for the stub
// through "go test -overlay".
package selfcheck

import (
	"context"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
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
	// Seeds is how many seeds the solution and every mutant are graded
	// under: Run.Seed, Run.Seed+1, …; default 1. A mutant whose points
	// differ between seeds fails the check.
	Seeds int
	// MutantFilter, if set, is the Ginkgo label filter of mutant runs. A
	// mutant must lose points through a deterministic (rule) spec, so
	// "!property" judges it as fully as the whole suite, much faster.
	MutantFilter string
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

// name says which job it is in the log and in problems: its kind, and its
// seed when several are graded.
func (j *job) name(seeds int) string {
	if seeds > 1 && j.kind != "stub" {
		return fmt.Sprintf("%s, seed %d", j.kind, j.opt.Seed)
	}
	return j.kind
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
	if opt.Seeds <= 0 {
		opt.Seeds = 1
	}
	var jobs []*job
	var problems []string
	for _, e := range list {
		if err := checkFolder(opt.Run.Root, e); err != nil {
			problems = append(problems, err.Error())
		}
		js, err := jobsFor(e, opt.Run, opt.Seeds, opt.MutantFilter)
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
			if j.err = ctx.Err(); j.err != nil {
				return // stopped: check nothing more
			}
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
				fmt.Fprintf(opt.Log, "selfcheck %3d/%d %-24s %-40s %d/%d points, %d specs, %.1fs  %s\n", i+1, len(jobs),
					j.ex.ID, j.name(opt.Seeds), j.res.Points, j.res.MaxPoints, len(j.res.Specs), j.res.Duration.Seconds(), verdict)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("selfcheck: stopped: %w", err)
	}
	for _, j := range jobs {
		if j.err != nil {
			problems = append(problems, fmt.Sprintf("%s (%s): %v", j.ex.ID, j.name(opt.Seeds), j.err))
		}
	}
	problems = append(problems, seedDependent(jobs)...)
	if len(problems) > 0 {
		return fmt.Errorf("selfcheck: %d problem(s):\n  %s", len(problems), strings.Join(problems, "\n  "))
	}
	return nil
}

// jobsFor returns the runs that check e: the stub once, the solution and
// every mutant at each of seeds seeds.
func jobsFor(e catalog.Exercise, base run.Options, seeds int, mutantFilter string) ([]*job, error) {
	rules, err := catalog.Rules(base.Root, e)
	if err != nil {
		return nil, err
	}
	jobs := []*job{{ex: e, kind: "stub", opt: base, verify: func(r run.Result) error { return noMarks(r) }}}
	at := func(o run.Options, i int) run.Options {
		o.Seed += uint64(i)
		return o
	}
	solution := base
	solution.Tags = []string{"solution"}
	solution.AllowReference = true
	for i := range seeds {
		jobs = append(jobs, &job{ex: e, kind: "solution", opt: at(solution, i), verify: func(r run.Result) error {
			if err := fullMarks(e, r); err != nil {
				return err
			}
			if err := everyRulePasses(rules, r); err != nil {
				return err
			}
			return specCountsAsListed(base.Root, e, r)
		}})
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
		o.LabelFilter = mutantFilter
		for i := range seeds {
			jobs = append(jobs, &job{ex: e, kind: "mutant " + m.Name, opt: at(o, i), verify: func(r run.Result) error { return killed(m, r) }})
		}
	}
	return jobs, nil
}

// everyRulePasses checks that the solution run passed at least one spec
// labelled with each rule.
func everyRulePasses(rules []catalog.Rule, r run.Result) error {
	passed := map[string]bool{}
	for _, s := range r.Specs {
		if s.Passed() {
			for _, l := range s.Labels {
				passed[l] = true
			}
		}
	}
	var missing []string
	for _, rule := range rules {
		if !passed[rule.Label()] {
			missing = append(missing, fmt.Sprintf("%s (%s:%d)", rule.ID, rule.File, rule.Line))
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("no passing spec labelled with %d rule(s): %s", len(missing), strings.Join(missing, ", "))
	}
	return nil
}

// seedDependent reports every mutant whose points differ between the seeds
// it was graded under.
func seedDependent(jobs []*job) []string {
	type key struct{ ex, kind string }
	runs := map[key][]*job{}
	var order []key
	for _, j := range jobs {
		if !strings.HasPrefix(j.kind, "mutant ") || len(j.res.Specs) == 0 {
			continue
		}
		k := key{j.ex.ID, j.kind}
		if _, ok := runs[k]; !ok {
			order = append(order, k)
		}
		runs[k] = append(runs[k], j)
	}
	var out []string
	for _, k := range order {
		same := true
		var points []string
		for _, j := range runs[k] {
			same = same && j.res.Points == runs[k][0].res.Points
			points = append(points, fmt.Sprintf("%d at seed %d", j.res.Points, j.opt.Seed))
		}
		if !same {
			out = append(out, fmt.Sprintf("%s (%s): the points depend on the seed (%s); a deterministic spec must catch the bug",
				k.ex, k.kind, strings.Join(points, ", ")))
		}
	}
	return out
}

// specCountsAsListed checks the number of specs each README's rule table
// gives a rule (when the table has that column) against the specs of the
// graded suite r, hidden specs included, that carry the rule's label.
func specCountsAsListed(root string, e catalog.Exercise, r run.Result) error {
	count := map[string]int{}
	for _, s := range r.Specs {
		for _, l := range s.Labels {
			if id, ok := strings.CutPrefix(l, catalog.RuleLabelPrefix); ok {
				count[id]++
			}
		}
	}
	var wrong []string
	for _, name := range slices.Sorted(maps.Keys(catalog.READMEHeadings)) {
		rows, err := catalog.READMERules(filepath.Join(root, e.Dir(), name), catalog.READMEHeadings[name], catalog.READMESpecsColumn[name])
		if err != nil {
			return err
		}
		for _, row := range rows {
			if row.Specs >= 0 && row.Specs != count[row.ID] {
				wrong = append(wrong, fmt.Sprintf("%s gives rule %s %d specs, the suite has %d", name, row.ID, row.Specs, count[row.ID]))
			}
		}
	}
	if len(wrong) > 0 {
		return fmt.Errorf("the READMEs' spec counts are out of date: %s", strings.Join(wrong, "; "))
	}
	return nil
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
	var byProperty []string
	for _, s := range r.Specs {
		if s.Passed() {
			continue
		}
		if ruleLabelled(s) {
			return nil
		}
		byProperty = append(byProperty, s.Name)
	}
	return fmt.Errorf("the mutant is killed only by spec(s) without a rule label (%s): %s; give the rule it breaks a deterministic spec",
		strings.Join(byProperty, "; "), m.Why)
}

// ruleLabelled reports whether s carries a rule label.
func ruleLabelled(s run.Spec) bool {
	for _, l := range s.Labels {
		if strings.HasPrefix(l, catalog.RuleLabelPrefix) {
			return true
		}
	}
	return false
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
		switch catalog.BuildConstraint(string(data)) {
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

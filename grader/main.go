// Command grader grades vmkata's exercises and proves the kit itself.
//
//	go run ./grader                       grade every exercise, print a table and what to do next
//	go run ./grader --exercise 04         grade one exercise
//	go run ./grader --format gradescope -o results.json
//	go run ./grader --submission DIR      grade a learner's files with this (trusted) kit
//	go run ./grader watch                 grade the current exercise on every save
//	go run ./grader list                  the learning path and your status
//	go run ./grader progress              your points and mastery per topic
//	go run ./grader hint 04               the next hint of exercise 04
//	go run ./grader reset 04              put exercise 04's stub back as shipped
//	go run ./grader selfcheck             the kit's own check (part of make test)
//	go run ./grader selfcheck --seeds 5   the same at five seeds: no mutant's verdict may depend on one
//
// Grading is sealed: the learner's files (from --submission DIR, default
// this checkout) are laid into a throw-away copy of the kit and built into
// a subject process; the specs run in a judge process built from the kit
// alone, which calls the learner's code through proxies. rapid's seed is
// fresh on each run unless --seed is given, and is printed so a failure
// can be replayed. The exit status is 0 whenever grading ran,
// whatever the score; 2 on bad flags; 1 when grading itself could not run.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/vmkata/vmkata/catalog"
	"github.com/vmkata/vmkata/grader/internal/hidden"
	"github.com/vmkata/vmkata/grader/internal/report"
	"github.com/vmkata/vmkata/grader/internal/run"
	"github.com/vmkata/vmkata/grader/internal/sandbox"
	"github.com/vmkata/vmkata/grader/internal/selfcheck"
	"github.com/vmkata/vmkata/grader/internal/similarity"
	"github.com/vmkata/vmkata/grader/internal/submission"
	"github.com/vmkata/vmkata/grader/sealed/judge"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(cli(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// usageError is a mistake in the command line: exit status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func cli(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	err := dispatch(ctx, args, stdout, stderr)
	var ue usageError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "grader: %v\n", err)
		return 2
	default:
		fmt.Fprintf(stderr, "grader: %v\n", err)
		return 1
	}
}

func dispatch(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		switch args[0] {
		case "grade":
			return grade(ctx, args[1:], stdout, stderr)
		case "list", "progress", "hint", "reset", "watch":
			return learnerCommand(ctx, args[0], args[1:], stdout, stderr)
		case "selfcheck":
			return selfCheck(ctx, args[1:], stdout, stderr)
		case "quiz":
			return quizCommand(args[1:], stdout)
		case "help":
			fmt.Fprintln(stdout, usage)
			return nil
		}
		return usageError{fmt.Sprintf("unknown command %q; want grade, watch, list, progress, hint, reset, selfcheck, quiz or help", args[0])}
	}
	return grade(ctx, args, stdout, stderr)
}

const usage = `usage: go run ./grader [grade] [flags]   grade the exercises
       go run ./grader watch [--poll]       grade the current exercise on every save (keys: h hint, l list, q quit)
       go run ./grader list                 the learning path, with your status from the saved progress
       go run ./grader progress             your points, and mastery per topic
       go run ./grader hint NN [1|2|3]      the next hint of exercise NN (or the given level)
       go run ./grader reset NN [--yes]     put exercise NN's stub back as shipped (your files are backed up)
       go run ./grader selfcheck [flags]    prove the kit (solution passes, stubs fail, mutants die; --seeds N)
       go run ./grader quiz [flags]         interview self-assessment: generated questions, worked answers
       go run ./grader grade -h             the grading flags
Every command takes --lang en|ko (default: from the locale, LC_ALL/LC_MESSAGES/LANG).`

// common flags of grade and selfcheck.
type limits struct {
	seed     uint64
	checks   int
	timeout  time.Duration
	specTime time.Duration
	memMiB   uint64
}

func (l *limits) register(fs *flag.FlagSet) {
	fs.Uint64Var(&l.seed, "seed", 0, "rapid's random seed (default: a fresh one, printed)")
	fs.IntVar(&l.checks, "checks", 100, "rapid checks per property")
	fs.DurationVar(&l.timeout, "timeout", 60*time.Second, "time limit for one exercise's suite")
	fs.DurationVar(&l.specTime, "spec-timeout", 10*time.Second, "time limit for one call into the learner's code")
	fs.Uint64Var(&l.memMiB, "mem", 4096, "memory limit of the learner's processes, MiB (an address-space limit where the system bounds only that: a Go program reserves far more than it uses)")
}

func (l *limits) options(root string) run.Options {
	if l.seed == 0 {
		l.seed = rand.Uint64N(1<<53-1) + 1 // fits a JSON number exactly
	}
	return run.Options{Root: root, Seed: l.seed, Checks: l.checks, Timeout: l.timeout,
		SpecTimeout: l.specTime, MemoryLimit: l.memMiB << 20}
}

func grade(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("grade", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var (
		lim      limits
		exercise = fs.String("exercise", "", "grade only this exercise (ID, or its number: 04)")
		format   = fs.String("format", "text", "output format: "+strings.Join(report.Formats, ", "))
		output   = fs.String("o", "", "write the report to this file instead of standard output")
		sub      = fs.String("submission", "", "the learner's files to grade: a folder holding exercises/NN-*/ (default: this checkout, whose saved progress the grade updates)")
		parallel = fs.Int("parallel", 2, "exercises graded at once (each in its own process)")
	)
	lim.register(fs)
	lang := langFlag(fs)
	if _, err := parseArgs(fs, args, 0); err != nil {
		return err
	}
	if !validFormat(*format) {
		return usageError{fmt.Sprintf("unknown format %q; want one of %s", *format, strings.Join(report.Formats, ", "))}
	}
	l, err := lang.choose()
	if err != nil {
		return err
	}
	exercises, err := selectExercises(*exercise)
	if err != nil {
		return err
	}
	root, err := moduleRoot()
	if err != nil {
		return err
	}
	checkout := *sub == ""
	if checkout {
		*sub = root
	}
	gr, err := newGrading(root, &lim)
	if err != nil {
		return err
	}
	defer gr.close()
	kit, err := gr.prepare(*sub)
	if err != nil {
		return err
	}
	exercises = hidden.Apply(exercises, gr.sets)
	if *format == "text" && *output == "" {
		fmt.Fprintf(stderr, "grading %d exercise(s) with rapid seed %d …\n", len(exercises), gr.opt.Seed)
	}
	kit.opt.Judges.Prepare(ctx, kit.opt, exercises)
	g := report.Grade{Seed: gr.opt.Seed, Results: make([]run.Result, len(exercises)), Lang: l,
		Protections: sandbox.Describe(sandbox.Plan(judge.SubjectLimits(gr.opt.MemoryLimit)))}
	if err := gradeAll(ctx, exercises, kit.opt, *parallel, g.Results); err != nil {
		return err
	}
	for i, e := range exercises {
		var files []string
		for _, f := range kit.Files[e.ID] {
			files = append(files, filepath.Join(kit.Root, filepath.FromSlash(f)))
		}
		if len(files) > 0 {
			if g.Results[i].Similarity, err = similarity.CompareExercise(root, e, files); err != nil {
				return err
			}
		}
	}
	if checkout {
		if err := record(learner(root, l, stderr), g.Results); err != nil {
			return err
		}
	}
	w := stdout
	if *output != "" {
		f, err := os.Create(*output)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	if err := report.Write(w, *format, g); err != nil {
		return err
	}
	if *output != "" {
		earned, max := g.Points()
		fmt.Fprintf(stdout, "%d/%d points; %s report written to %s (rapid seed %d)\n", earned, max, *format, *output, g.Seed)
	}
	return nil
}

// grading is what every grade of one run shares: the options, the
// instructor's hidden specs, the judges built so far, and a scratch
// folder. close removes them.
type grading struct {
	root string
	opt  run.Options
	sets map[string]hidden.Set
	n    atomic.Int64 // kits prepared so far
}

func newGrading(root string, lim *limits) (*grading, error) {
	sets, err := hidden.Load(root)
	if err != nil {
		return nil, err
	}
	gr := &grading{root: root, opt: lim.options(root), sets: sets}
	gr.opt.Hidden = map[string][]string{}
	for id, set := range sets {
		gr.opt.Hidden[id] = set.Files
	}
	if gr.opt.WorkDir, err = os.MkdirTemp("", "vmkata-grade-"); err != nil {
		return nil, err
	}
	gr.opt.SubjectCache = run.DefaultSubjectCache()
	if gr.opt.Judges, err = run.NewJudges(run.DefaultJudgeCache()); err != nil {
		os.RemoveAll(gr.opt.WorkDir)
		return nil, err
	}
	return gr, nil
}

func (gr *grading) close() {
	gr.opt.Judges.Close()
	os.RemoveAll(gr.opt.WorkDir)
}

// preparedKit is a throw-away copy of the kit holding the learner's files,
// with the options that grade it.
type preparedKit struct {
	*submission.Copy
	opt run.Options
}

// prepare lays the learner's files found in sub into a fresh copy of the
// kit, in a scratch folder of its own.
func (gr *grading) prepare(sub string) (preparedKit, error) {
	work := filepath.Join(gr.opt.WorkDir, strconv.FormatInt(gr.n.Add(1), 10))
	kit, err := submission.Prepare(gr.root, sub, filepath.Join(work, "kit"))
	if err != nil {
		return preparedKit{}, usageError{err.Error()}
	}
	opt := gr.opt
	opt.SubjectRoot, opt.WorkDir = kit.Root, work
	return preparedKit{kit, opt}, nil
}

// checkoutGrader grades the learner's files in the folder sub (a checkout)
// as they are when asked: the watch's grader.
type checkoutGrader struct {
	*grading
	sub string
}

func (g checkoutGrader) Grade(ctx context.Context, e catalog.Exercise) (run.Result, error) {
	kit, err := g.prepare(g.sub)
	if err != nil {
		return run.Result{}, err
	}
	defer os.RemoveAll(kit.opt.WorkDir)
	return run.Grade(ctx, hidden.Apply([]catalog.Exercise{e}, g.sets)[0], kit.opt)
}

// gradeAll grades the exercises, at most parallel at a time, each with its
// own scratch folder, and stores the results in order.
func gradeAll(ctx context.Context, exercises []catalog.Exercise, opt run.Options, parallel int, out []run.Result) error {
	if parallel < 1 {
		parallel = 1
	}
	sem := make(chan struct{}, parallel)
	errs := make([]error, len(exercises))
	var wg sync.WaitGroup
	for i, e := range exercises {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			if errs[i] = ctx.Err(); errs[i] != nil {
				return // stopped: grade nothing more
			}
			o := opt
			o.WorkDir = filepath.Join(opt.WorkDir, e.ID)
			if errs[i] = os.MkdirAll(o.WorkDir, 0o755); errs[i] == nil {
				out[i], errs[i] = run.Grade(ctx, e, o)
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

func validFormat(f string) bool {
	for _, k := range report.Formats {
		if f == k {
			return true
		}
	}
	return false
}

func selfCheck(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("selfcheck", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var lim limits
	lim.register(fs)
	parallel := fs.Int("parallel", 2, "grading runs at once")
	exercise := fs.String("exercise", "", "check only this exercise (ID, or its number: 04)")
	mutantFilter := fs.String("mutant-filter", "!property", "Ginkgo label filter of the mutant runs (\"\" runs every spec); a mutant must lose points through a deterministic spec")
	seeds := fs.Int("seeds", 1, "grade the solution and every mutant under this many seeds (the seed, the seed+1, …); a mutant's points must not differ between them")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err.Error()}
	}
	if *seeds < 1 {
		return usageError{fmt.Sprintf("--seeds %d: want at least 1", *seeds)}
	}
	exercises, err := selectExercises(*exercise)
	if err != nil {
		return err
	}
	root, err := moduleRoot()
	if err != nil {
		return err
	}
	opt := lim.options(root)
	if opt.Judges, err = run.NewJudges(run.DefaultJudgeCache()); err != nil {
		return err
	}
	defer opt.Judges.Close()
	if *seeds > 1 {
		fmt.Fprintf(stdout, "selfcheck: %d exercises, rapid seeds %d..%d\n", len(exercises), opt.Seed, opt.Seed+uint64(*seeds)-1)
	} else {
		fmt.Fprintf(stdout, "selfcheck: %d exercises, rapid seed %d\n", len(exercises), opt.Seed)
	}
	start := time.Now()
	opt.Judges.Prepare(ctx, opt, exercises)
	if err := selfcheck.Run(ctx, exercises, selfcheck.Options{Run: opt, Parallel: *parallel, Log: stdout, Seeds: *seeds, MutantFilter: *mutantFilter}); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "selfcheck: ok in %v\n", time.Since(start).Round(time.Second))
	return nil
}

// selectExercises returns the exercise called name (ID or number), or
// every exercise when name is empty.
func selectExercises(name string) ([]catalog.Exercise, error) {
	if name == "" {
		return catalog.Exercises, nil
	}
	e, ok := catalog.Find(name)
	if !ok {
		return nil, usageError{fmt.Sprintf("no exercise %q; run 'go run ./grader list'", name)}
	}
	return []catalog.Exercise{e}, nil
}

// moduleRoot finds the directory holding the kit's go.mod, from the
// working directory upwards.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		data, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil && strings.Contains(strings.ReplaceAll(string(data), "\r\n", "\n"), "module "+catalog.Module+"\n") {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("not inside the vmkata module (no go.mod declaring %s above the working directory)", catalog.Module)
		}
		dir = parent
	}
}

package run

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"time"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/vmkata/vmkata/catalog"
	"github.com/vmkata/vmkata/grader/internal/integrity"
	"github.com/vmkata/vmkata/grader/sealed/judge"
)

// Options control how an exercise is graded. The zero value of each field
// means its documented default.
type Options struct {
	Root string // the trusted kit (holds go.mod): the judge is built from it; required
	// SubjectRoot is where the learner's package is built: a throw-away
	// copy of the kit holding the learner's files (see package submission).
	// Default Root, for the kit's own checks.
	SubjectRoot    string
	Go             string            // go command; default "go"
	Tags           []string          // build tags of the subject, e.g. "solution"
	Overlay        map[string]string // go build -overlay for the subject: absolute file path -> replacement ("" deletes the file)
	Seed           uint64            // rapid's seed; 0 lets rapid pick one
	Checks         int               // rapid checks per property; default 100
	Timeout        time.Duration     // limit for the whole suite; default 60s
	SpecTimeout    time.Duration     // limit for one call into the learner's code, and per spec when a crashed suite is rerun spec by spec; default 10s
	BuildTimeout   time.Duration     // limit for compiling; default 5m (a cold build cache is slow)
	MemoryLimit    uint64            // memory limit of the learner's process tree, bytes; default 4 GiB
	AllowReference bool              // skip the integrity check (the solution build aliases the reference)
	WorkDir        string            // scratch space for binaries and reports; required
	Judges         *Judges           // built judges to reuse; nil builds each one into WorkDir
	// SubjectCache, if set, is a folder where subjects are kept between
	// runs, so that the go command skips linking one whose sources have
	// not changed (see buildSubject).
	SubjectCache string
	// LabelFilter, if set, runs only the specs it selects (Ginkgo's label
	// filter syntax, e.g. "!property" for the deterministic specs alone).
	LabelFilter string
	// Hidden lists, by exercise ID, the instructor's hidden spec files
	// (absolute paths) built into the exercise's judge.
	Hidden map[string][]string
}

func (o *Options) defaults() {
	if o.Go == "" {
		o.Go = "go"
	}
	if o.SubjectRoot == "" {
		o.SubjectRoot = o.Root
	}
	if o.Checks == 0 {
		o.Checks = 100
	}
	if o.Timeout == 0 {
		o.Timeout = 60 * time.Second
	}
	if o.SpecTimeout == 0 {
		o.SpecTimeout = 10 * time.Second
	}
	if o.BuildTimeout == 0 {
		o.BuildTimeout = 5 * time.Minute
	}
	if o.MemoryLimit == 0 {
		o.MemoryLimit = 4 << 30
	}
}

// Grade grades exercise e: the learner's package, built from SubjectRoot,
// runs in a subject process; the specs run in a judge process built from
// Root alone, which reaches the learner's code only through proxies. It
// returns an error only when grading itself could not run (no go command,
// no scratch space, the kit's own judge does not build); everything the
// learner's code does wrong is reported in the Result.
func Grade(ctx context.Context, e catalog.Exercise, opt Options) (res Result, err error) {
	opt.defaults()
	start := time.Now()
	res = Result{Exercise: e, MaxPoints: e.Points, Seed: opt.Seed}
	defer func() { res.Duration = time.Since(start) }()

	overlayFile, err := writeOverlay(opt)
	if err != nil {
		return res, err
	}
	// The subject builds while the imports are checked: building runs none
	// of the learner's code, and the binary runs only once the check passed.
	subject := filepath.Join(opt.WorkDir, e.ID+".subject"+exeSuffix)
	type built struct {
		msg string
		err error
	}
	buildCtx, stopBuild := context.WithCancel(ctx)
	defer stopBuild()
	build := make(chan built, 1)
	go func() {
		msg, err := buildSubject(buildCtx, opt, overlayFile, e, subject)
		build <- built{msg, err}
	}()
	if !opt.AllowReference {
		policy := integrity.Policy{Module: catalog.Module, Learner: []string{"exercises"}, Shared: []string{"vm"},
			Forbidden: catalog.ForbiddenImports, Allowed: e.Imports}
		v, err := integrity.Check(ctx, integrity.Options{Root: opt.SubjectRoot, Go: opt.Go, Tags: opt.Tags, Overlay: overlayFile}, e.ImportPath(), policy)
		if err != nil || v != nil {
			stopBuild()
			<-build
		}
		if err != nil {
			res.Problem = "no credit: the exercise's imports could not be checked: " + err.Error()
			return res, nil
		}
		if v != nil {
			res.Problem = fmt.Sprintf("no credit: %v.", v)
			return res, nil
		}
	}
	if b := <-build; b.err != nil {
		return res, b.err
	} else if b.msg != "" {
		res.Problem = "does not compile:\n" + b.msg
		return res, nil
	}
	// The subject may run as an unprivileged user: it must reach its
	// binary, and nothing else of the scratch space.
	if err := reachable(opt.WorkDir, subject); err != nil {
		return res, err
	}
	judgeBin, err := opt.Judges.build(ctx, opt, e)
	if err != nil {
		return res, err
	}

	report := filepath.Join(opt.WorkDir, e.ID+".json")
	out := runJudge(ctx, opt, judgeBin, subject, report, opt.Timeout, "")
	rep, ok := readReport(report, opt.Root)
	if !ok || !out.finished() {
		// The judge stopped before reporting: list the specs to run them
		// one by one.
		listFile := filepath.Join(opt.WorkDir, e.ID+".list.json")
		listOut := runJudge(ctx, opt, judgeBin, subject, listFile, opt.SpecTimeout, "", "-ginkgo.dry-run")
		if rep, ok = readReport(listFile, opt.Root); !ok || len(rep.specs) == 0 {
			return res, fmt.Errorf("the judge of %s could not list its specs: %s%s", e.ID, listOut.describe(opt.SpecTimeout), listOut.tail())
		}
		for i := range rep.specs {
			rep.specs[i].State = "skipped"
		}
	}
	if opt.LabelFilter != "" {
		selected, err := types.ParseLabelFilter(opt.LabelFilter)
		if err != nil {
			return res, fmt.Errorf("label filter %q: %w", opt.LabelFilter, err)
		}
		kept := rep.specs[:0]
		for _, s := range rep.specs {
			if selected(s.Labels) {
				kept = append(kept, s)
			}
		}
		rep.specs = kept
	}
	// Specs the suite's time limit cut short, or never reached, run again
	// on their own, so that one slow spec costs only itself.
	cutShort := !out.finished()
	for _, s := range rep.specs {
		cutShort = cutShort || s.State == "timedout" || s.State == "interrupted"
	}
	rerun := 0
	for i, s := range rep.specs {
		if !cutShort || s.State != "skipped" && s.State != "timedout" && s.State != "interrupted" {
			continue
		}
		if err := ctx.Err(); err != nil {
			return res, err // stopped: a partial grade is no grade
		}
		rerun++
		one := filepath.Join(opt.WorkDir, fmt.Sprintf("%s.%d.json", e.ID, i))
		// Ginkgo matches a focus against the suite's description, a space
		// and the spec's full text.
		focus := "^" + regexp.QuoteMeta(rep.suite+" "+s.Name) + "$"
		limit := 2 * opt.SpecTimeout
		o := runJudge(ctx, opt, judgeBin, subject, one, limit, focus)
		if got, ok := readReport(one, opt.Root); ok && o.finished() {
			if g, found := named(got.specs, s.Name); found && g.State != "timedout" {
				rep.specs[i] = g
				continue
			}
		}
		s.State = "killed"
		s.Failure = "this spec did not finish within " + limit.String() + o.tail()
		rep.specs[i] = s
	}
	if rerun > 0 {
		res.Problem = fmt.Sprintf("the test suite did not finish within %v (%s); %d spec(s) were run again on their own", opt.Timeout, out.describe(opt.Timeout), rerun)
	}
	res.Specs = rep.specs
	res.total()
	return res, nil
}

// named returns the spec called name that actually ran (the others in a
// focused run's report are skipped).
func named(specs []Spec, name string) (Spec, bool) {
	for _, s := range specs {
		if s.Name == name && s.State != "skipped" {
			return s, true
		}
	}
	return Spec{}, false
}

func writeOverlay(opt Options) (string, error) {
	if len(opt.Overlay) == 0 {
		return "", nil
	}
	data, err := json.Marshal(struct{ Replace map[string]string }{opt.Overlay})
	if err != nil {
		return "", err
	}
	f := filepath.Join(opt.WorkDir, "overlay.json")
	return f, os.WriteFile(f, data, 0o644)
}

// judgeArgs are the flags of one judge run; focus, if set, selects specs by
// full text. Ginkgo's order is fixed (seed 1) so that a grade depends on
// rapid's seed alone.
func judgeArgs(opt Options, report string, limit time.Duration, focus string, extra []string) []string {
	args := []string{
		"-test.timeout=" + (limit + 30*time.Second).String(),
		"-ginkgo.timeout=" + limit.String(),
		"-ginkgo.json-report=" + report,
		"-ginkgo.no-color",
		"-ginkgo.seed=1",
		"-rapid.nofailfile",
		"-rapid.checks=" + strconv.Itoa(opt.Checks),
	}
	if opt.Seed != 0 {
		args = append(args, "-rapid.seed="+strconv.FormatUint(opt.Seed, 10))
	}
	if focus != "" {
		args = append(args, "-ginkgo.focus="+focus)
	}
	if opt.LabelFilter != "" {
		args = append(args, "-ginkgo.label-filter="+opt.LabelFilter)
	}
	return append(args, extra...)
}

// judgeEnv is what a judge process learns about its subject.
func judgeEnv(opt Options, subject string) []string {
	return append(os.Environ(),
		"GOMAXPROCS=2",
		judge.EnvSubject+"="+subject,
		judge.EnvCallTimeout+"="+opt.SpecTimeout.String(),
		judge.EnvMemory+"="+strconv.FormatUint(opt.MemoryLimit, 10),
	)
}

// reachable lets any user run bin, which lies in dir: the sandbox may run
// the learner's code as an unprivileged user. Every folder from dir up to
// the root becomes searchable by others (never readable), where it is not.
func reachable(dir, bin string) error {
	if err := os.Chmod(bin, 0o755); err != nil {
		return err
	}
	for d := filepath.Clean(dir); ; d = filepath.Dir(d) {
		info, err := os.Stat(d)
		if err != nil {
			return err
		}
		if perm := info.Mode().Perm(); perm&0o001 == 0 {
			if err := os.Chmod(d, perm|0o001); err != nil {
				return fmt.Errorf("making %s searchable for the learner's process: %w", d, err)
			}
		}
		if filepath.Dir(d) == d {
			return nil
		}
	}
}

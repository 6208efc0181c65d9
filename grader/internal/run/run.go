package run

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/vmkata/vmkata/catalog"
	"github.com/vmkata/vmkata/grader/internal/integrity"
)

// Options control how an exercise is graded. The zero value of each field
// means its documented default.
type Options struct {
	Root           string            // module root (holds go.mod); required
	Go             string            // go command; default "go"
	Tags           []string          // build tags, e.g. "solution"
	Overlay        map[string]string // go build -overlay: absolute file path -> replacement ("" deletes the file)
	Seed           uint64            // rapid's seed; 0 lets rapid pick one
	Checks         int               // rapid checks per property; default 100
	Timeout        time.Duration     // limit for the whole suite; default 60s
	SpecTimeout    time.Duration     // limit per spec when specs run one by one; default 20s
	BuildTimeout   time.Duration     // limit for compiling; default 5m (a cold build cache is slow)
	MemoryLimit    uint64            // address-space limit per test process, bytes; default 4 GiB (a Go test binary needs about 1.5 GiB of address space for its threads' stacks alone)
	AllowReference bool              // skip the integrity check (the solution build aliases the reference)
	WorkDir        string            // scratch space for binaries and reports; required
}

func (o *Options) defaults() {
	if o.Go == "" {
		o.Go = "go"
	}
	if o.Checks == 0 {
		o.Checks = 100
	}
	if o.Timeout == 0 {
		o.Timeout = 60 * time.Second
	}
	if o.SpecTimeout == 0 {
		o.SpecTimeout = 20 * time.Second
	}
	if o.BuildTimeout == 0 {
		o.BuildTimeout = 5 * time.Minute
	}
	if o.MemoryLimit == 0 {
		o.MemoryLimit = 4 << 30
	}
}

// Grade grades exercise e. It returns an error only when grading itself
// could not run (no go command, no scratch space); everything the learner's
// code does wrong is reported in the Result.
func Grade(ctx context.Context, e catalog.Exercise, opt Options) (res Result, err error) {
	opt.defaults()
	start := time.Now()
	res = Result{Exercise: e, MaxPoints: e.Points, Seed: opt.Seed}
	defer func() { res.Duration = time.Since(start) }()

	overlayFile, err := writeOverlay(opt)
	if err != nil {
		return res, err
	}
	if !opt.AllowReference {
		v, err := integrity.Check(ctx, integrity.Options{Root: opt.Root, Go: opt.Go, Tags: opt.Tags, Overlay: overlayFile}, e.ImportPath(), forbidden())
		if err != nil {
			return res, err
		}
		if v != nil {
			res.Problem = fmt.Sprintf("no credit: %v. Exercises may import only %s/vm and the standard library.", v, catalog.Module)
			return res, nil
		}
	}

	bin := filepath.Join(opt.WorkDir, e.ID+".test")
	if msg, err := build(ctx, opt, overlayFile, e, bin); err != nil {
		return res, err
	} else if msg != "" {
		res.Problem = "does not compile:\n" + msg
		return res, nil
	}

	dir := filepath.Join(opt.Root, e.Dir())
	report := filepath.Join(opt.WorkDir, e.ID+".json")
	out := runBinary(ctx, opt, bin, dir, report, opt.Timeout, "")
	if rep, ok := readReport(report, opt.Root); ok && out.finished() {
		res.Specs = rep.specs
		res.total()
		return res, nil
	}

	// The suite died before reporting: run each spec on its own so that one
	// crash or hang costs only that spec.
	listFile := filepath.Join(opt.WorkDir, e.ID+".list.json")
	listOut := runBinary(ctx, opt, bin, dir, listFile, opt.SpecTimeout, "", "-ginkgo.dry-run")
	list, ok := readReport(listFile, opt.Root)
	if !ok || len(list.specs) == 0 {
		res.Problem = "the test suite could not start: " + out.describe(opt.Timeout) + listOut.tail()
		return res, nil
	}
	res.Problem = "the test suite stopped early (" + out.describe(opt.Timeout) + "); each spec was run again on its own"
	for i, s := range list.specs {
		one := filepath.Join(opt.WorkDir, fmt.Sprintf("%s.%d.json", e.ID, i))
		// Ginkgo matches a focus against the suite's description, a space
		// and the spec's full text.
		focus := "^" + regexp.QuoteMeta(list.suite+" "+s.Name) + "$"
		o := runBinary(ctx, opt, bin, dir, one, opt.SpecTimeout, focus)
		if got, ok := readReport(one, opt.Root); ok && o.finished() {
			if g, found := named(got.specs, s.Name); found {
				res.Specs = append(res.Specs, g)
				continue
			}
		}
		s.State = "killed"
		s.Failure = "this spec " + o.describe(opt.SpecTimeout) + o.tail()
		res.Specs = append(res.Specs, s)
	}
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

// forbidden lists the package prefixes learner code may not depend on.
func forbidden() []string {
	return []string{catalog.Module + "/reference", catalog.Module + "/specs"}
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

// build compiles the exercise's test binary. It returns the compiler's
// message when the learner's code does not compile, and an error when the
// go command itself could not run.
func build(ctx context.Context, opt Options, overlay string, e catalog.Exercise, bin string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, opt.BuildTimeout)
	defer cancel()
	args := []string{"test", "-c", "-o", bin}
	if len(opt.Tags) > 0 {
		args = append(args, "-tags", strings.Join(opt.Tags, ","))
	}
	if overlay != "" {
		args = append(args, "-overlay", overlay)
	}
	args = append(args, "./"+e.Dir())
	cmd := exec.CommandContext(ctx, opt.Go, args...)
	cmd.Dir = opt.Root
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	if err == nil {
		return "", nil
	}
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		if ctx.Err() != nil {
			return fmt.Sprintf("compiling took longer than %v", opt.BuildTimeout), nil
		}
		return strings.TrimSpace(out.String()), nil
	}
	return "", fmt.Errorf("grader: running %s: %w", opt.Go, err)
}

// outcome is how a test process ended.
type outcome struct {
	timedOut bool
	code     int // exit status; -1 when killed by a signal
	signal   string
	stderr   string
}

// finished reports whether the process ended on its own with the status
// "go test" uses for success (0) or failed tests (1).
func (o outcome) finished() bool { return !o.timedOut && (o.code == 0 || o.code == 1) }

func (o outcome) describe(limit time.Duration) string {
	switch {
	case o.timedOut:
		return fmt.Sprintf("did not finish within %v (an endless loop, or a deadlock?)", limit)
	case o.signal != "":
		return "was killed by " + o.signal + " (out of memory?)"
	case o.code == 2 && strings.Contains(o.stderr, "out of memory"):
		return "ran out of memory"
	case o.code == 2 && strings.Contains(o.stderr, "goroutine "):
		return "crashed with a fatal runtime error"
	default:
		return fmt.Sprintf("exited with status %d before reporting (os.Exit or a fatal runtime error?)", o.code)
	}
}

// tail returns the last lines the process wrote to stderr, for context.
func (o outcome) tail() string {
	s := strings.TrimSpace(o.stderr)
	if s == "" {
		return ""
	}
	lines := strings.Split(s, "\n")
	if len(lines) > 12 {
		lines = lines[:12]
	}
	return "\n" + strings.Join(lines, "\n")
}

// runBinary runs the test binary in dir under the limits, writing Ginkgo's
// JSON report to report. focus, if set, selects specs by full text.
func runBinary(ctx context.Context, opt Options, bin, dir, report string, limit time.Duration, focus string, extra ...string) outcome {
	_ = os.Remove(report)
	args := []string{
		"-test.timeout=" + (limit + 30*time.Second).String(),
		"-ginkgo.json-report=" + report,
		"-ginkgo.no-color",
		"-rapid.nofailfile",
		"-rapid.checks=" + strconv.Itoa(opt.Checks),
	}
	if opt.Seed != 0 {
		args = append(args, "-rapid.seed="+strconv.FormatUint(opt.Seed, 10))
	}
	if focus != "" {
		args = append(args, "-ginkgo.focus="+focus)
	}
	args = append(args, extra...)
	// The shell applies the memory limit to the test process alone, then
	// becomes it.
	script := fmt.Sprintf("ulimit -v %d && exec \"$0\" \"$@\"", opt.MemoryLimit/1024)
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	cmd := exec.Command("/bin/sh", append([]string{"-c", script, bin}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOMAXPROCS=2")
	ownGroup(cmd)
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stderr, &stderr
	if err := cmd.Start(); err != nil {
		return outcome{code: -1, stderr: err.Error()}
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var o outcome
	select {
	case err := <-done:
		o = exitOutcome(cmd, err)
	case <-ctx.Done():
		killGroup(cmd)
		<-done
		o = outcome{timedOut: true, code: -1}
	}
	o.stderr = stderr.String()
	return o
}

func exitOutcome(cmd *exec.Cmd, err error) outcome {
	if err == nil {
		return outcome{}
	}
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return outcome{code: -1, signal: ws.Signal().String()}
	}
	return outcome{code: cmd.ProcessState.ExitCode()}
}

// suiteReport is what the grader reads from a Ginkgo JSON report.
type suiteReport struct {
	suite string // the suite's description, as given to RunSpecs
	specs []Spec // in run order
}

// readReport parses a Ginkgo JSON report, with locations relative to root.
// It reports false if the file is missing or not a report.
func readReport(path, root string) (suiteReport, bool) {
	data, err := os.ReadFile(path)
	if err != nil {
		return suiteReport{}, false
	}
	var reports []types.Report
	if err := json.Unmarshal(data, &reports); err != nil {
		return suiteReport{}, false
	}
	var out suiteReport
	for _, r := range reports {
		out.suite = r.SuiteDescription
		for _, sr := range r.SpecReports {
			if sr.LeafNodeType != types.NodeTypeIt {
				if sr.State.Is(types.SpecStateFailureStates) {
					// A failing BeforeSuite or similar fails the whole suite.
					out.specs = append(out.specs, Spec{Name: sr.LeafNodeType.String(), State: sr.State.String(),
						Failure: failureText(sr), Location: relative(root, sr.Failure.Location)})
				}
				continue
			}
			labels := sr.Labels()
			s := Spec{
				Name:     sr.FullText(),
				Labels:   labels,
				Points:   pointsOf(labels),
				State:    sr.State.String(),
				Duration: sr.RunTime,
			}
			if sr.State.Is(types.SpecStateFailureStates) {
				s.Failure = failureText(sr)
				s.Location = relative(root, sr.Failure.Location)
			} else if sr.State != types.SpecStatePassed {
				s.Failure = "not run: " + sr.State.String()
			}
			out.specs = append(out.specs, s)
		}
	}
	return out, true
}

// relative prints a code location as path:line relative to root when it
// lies inside it.
func relative(root string, loc types.CodeLocation) string {
	if rel, err := filepath.Rel(root, loc.FileName); err == nil && !strings.HasPrefix(rel, "..") {
		return fmt.Sprintf("%s:%d", filepath.ToSlash(rel), loc.LineNumber)
	}
	return loc.String()
}

// failureText is what a learner reads: the failure message, the panic if
// any, and what the spec logged (rapid's shrunk operation sequence).
func failureText(sr types.SpecReport) string {
	var b strings.Builder
	b.WriteString(strings.TrimSpace(sr.Failure.Message))
	if sr.Failure.ForwardedPanic != "" {
		b.WriteString("\npanic: " + sr.Failure.ForwardedPanic)
	}
	if logged := strings.TrimSpace(sr.CapturedGinkgoWriterOutput); logged != "" {
		const max = 6000
		if len(logged) > max {
			logged = logged[:max] + "\n…"
		}
		b.WriteString("\n" + logged)
	}
	return b.String()
}

//go:build linux

package main

// The hostile-submission catalogue (testdata/hostile, threat model in its
// README): each case is a submission that tries to earn points it has not
// earned, or to outlive, stall or change the machine that grades it. The
// sealed grader, built from a copy of this kit, grades every case the way an
// instructor does, and the test holds it to what a sound grader reports and
// to leaving nothing behind.

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"go/parser"
	"go/token"
	"io"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vmkata/vmkata/catalog"
)

const (
	hostileDir = "testdata/hostile"
	// hostileMarker starts every name an attack gives to what it leaves
	// behind: files it writes and the command lines of processes it starts
	// ("vmkata-hostile-<case>").
	hostileMarker = "vmkata-hostile-"
	// hostileRunEnv is set on the grader, carrying the case's name and the
	// test's run, so that the grader's own processes can be told apart
	// under /proc.
	hostileRunEnv = "VMKATA_HOSTILE_RUN"
	// kitMark is the file that makes a tree a kit attacks may try to
	// change (the harness's copy carries it, real checkouts do not), and
	// holds a canary no report may show.
	kitMark = ".hostile-kit"
	// hostileSeed is rapid's seed for every run, so that a case and its
	// baseline are graded alike.
	hostileSeed = "1"
	// hostileRunLimit bounds one grader run; a grader that a child
	// holding its pipe or an endless spec stalls fails here.
	hostileRunLimit = 5 * time.Minute
	// hostileReportLimit bounds the report: whatever the submission
	// prints or panics with, the grader's output stays readable.
	hostileReportLimit = 16 << 20
)

// hostileClasses are the attack classes the catalogue must cover, each by
// at least one case.
var hostileClasses = []string{
	"flag-rewriting", "forged-report", "forged-labels", "gomod-replace", "linkname",
	"plugin", "extra-kit-files", "edited-kit", "solution-file", "build-constraint",
	"cgo", "embed", "import-reference", "import-via-exercise", "vm-globals", "symlink",
	"write-outside", "reach-kit", "orphan-children", "pipe-holding", "output-flood",
	"memory-across-children", "goroutine-bomb", "alloc-bomb", "exit", "panic",
	"endless-loop", "slow-code", "signal-grader", "stale-context", "plagiarism", "honest-mix", "control",
}

// hostileCase is a case's case.json; the case's folder, case.json aside,
// is the submission.
type hostileCase struct {
	Name  string `json:"-"`
	Tries string `json:"tries"` // the attack, in one line
	// Classes are the attack classes the case belongs to.
	Classes []string `json:"classes"`
	// Base fills each graded exercise's folder before the case's own
	// files are laid over it: "stub" (the kit's stub), "honest" (the
	// honest answer in _honest), "reference" (a verbatim copy of the
	// exercise's reference package) or "none".
	Base string `json:"base"`
	// Grade maps each exercise to grade (its number) to what a sound
	// grader reports for it.
	Grade map[string]hostileExpect `json:"grade"`
	// BaselineWithout lists the submission files whose removal leaves the
	// honest part of the submission; "points": "baseline" compares with it.
	BaselineWithout []string `json:"baseline_without,omitempty"`
	// Symlinks are links the harness adds to the submission (git keeps
	// them poorly): path → target, where a target "@kit/…" lies in the
	// kit the grader runs from and "@secret" is a file outside every tree
	// whose canary no report may show.
	Symlinks map[string]string `json:"symlinks,omitempty"`
}

// hostileExpect is what a sound grader reports for one exercise.
type hostileExpect struct {
	// Points is "0", "max" (the catalog's maximum, less the points of the
	// specs in Lose) or "baseline" (what the submission without
	// BaselineWithout earns, spec by spec).
	Points string `json:"points"`
	// Refused lists words one of which the exercise's problem must say
	// (the reason for no credit: the import, linkname, build constraint,
	// compiler error).
	Refused []string `json:"refused,omitempty"`
	// Lose lists the specs a sound grader fails with "max"; every other
	// spec passes.
	Lose []hostileLoss `json:"lose,omitempty"`
	// Similarity, when set, is the least percent of similarity to the
	// reference the report must show for some file.
	Similarity int `json:"similarity,omitempty"`
}

// hostileLoss is a spec a case loses and why.
type hostileLoss struct {
	Spec    string   `json:"spec"`               // a regular expression matching the spec's name
	Says    []string `json:"says"`               // words one of which its failure says
	SaysNot []string `json:"says_not,omitempty"` // words its failure must not say
}

func loadHostileCases(t *testing.T) []hostileCase {
	t.Helper()
	entries, err := os.ReadDir(hostileDir)
	require.NoError(t, err)
	var cases []hostileCase
	for _, e := range entries {
		if !e.IsDir() || strings.HasPrefix(e.Name(), "_") {
			continue
		}
		data, err := os.ReadFile(filepath.Join(hostileDir, e.Name(), "case.json"))
		require.NoError(t, err, "case %s", e.Name())
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.DisallowUnknownFields()
		c := hostileCase{Name: e.Name()}
		require.NoError(t, dec.Decode(&c), "case %s: case.json", e.Name())
		cases = append(cases, c)
	}
	return cases
}

// TestHostileCatalogue checks the catalogue itself: every case is well
// formed, its Go files parse, every attack class has a case and the README
// names every case.
func TestHostileCatalogue(t *testing.T) {
	cases := loadHostileCases(t)
	require.NotEmpty(t, cases)
	readme, err := os.ReadFile(filepath.Join(hostileDir, "README.md"))
	require.NoError(t, err)
	covered := map[string]bool{}
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			assert.NotEmpty(t, c.Tries, "tries")
			assert.Contains(t, []string{"stub", "honest", "reference", "none"}, c.Base, "base")
			assert.NotEmpty(t, c.Grade, "grade")
			assert.NotEmpty(t, c.Classes, "classes")
			for _, cl := range c.Classes {
				assert.Contains(t, hostileClasses, cl, "class")
				covered[cl] = true
			}
			for num, x := range c.Grade {
				e, ok := catalog.Find(num)
				if !assert.True(t, ok, "grade: no exercise %q", num) {
					continue
				}
				if c.Base == "honest" {
					assert.DirExists(t, filepath.Join(hostileDir, "_honest", e.ID), "honest answer for %s", e.ID)
				}
				assert.Contains(t, []string{"0", "max", "baseline"}, x.Points, "%s: points", num)
				if x.Points == "baseline" {
					assert.NotEmpty(t, c.BaselineWithout, "%s: points baseline needs baseline_without", num)
				}
				if len(x.Refused) > 0 || x.Points != "max" {
					assert.Empty(t, x.Lose, "%s: lose only goes with points max", num)
				}
				for _, l := range x.Lose {
					_, err := regexp.Compile(l.Spec)
					assert.NoError(t, err, "%s: lose %q", num, l.Spec)
					assert.NotEmpty(t, l.Says, "%s: lose %q says", num, l.Spec)
				}
			}
			for _, p := range c.BaselineWithout {
				assert.FileExists(t, filepath.Join(hostileDir, c.Name, p), "baseline_without")
			}
			for p, target := range c.Symlinks {
				assert.True(t, target == "@secret" || strings.HasPrefix(target, "@kit/"), "symlink %s: target %q", p, target)
			}
			assert.Regexp(t, "(?m)^- `"+regexp.QuoteMeta(c.Name)+"`", string(readme), "README line for the case")
			if n := parseHostileGoFiles(t, filepath.Join(hostileDir, c.Name)); n == 0 && len(c.Symlinks) == 0 && c.Base == "none" {
				t.Errorf("the case hands in nothing")
			}
		})
	}
	for _, cl := range hostileClasses {
		assert.True(t, covered[cl], "attack class %q has no case", cl)
	}
	parseHostileGoFiles(t, filepath.Join(hostileDir, "_belt"))
	t.Run("_honest", func(t *testing.T) { assert.NotZero(t, parseHostileGoFiles(t, filepath.Join(hostileDir, "_honest"))) })
	t.Run("_belt", func(t *testing.T) {
		belt, err := os.ReadFile(filepath.Join(hostileDir, "_belt", "belt.go"))
		require.NoError(t, err)
		copies, _ := filepath.Glob(filepath.Join(hostileDir, "*", "exercises", "*", "belt.go"))
		assert.NotEmpty(t, copies)
		for _, c := range copies {
			data, err := os.ReadFile(c)
			require.NoError(t, err)
			assert.Equal(t, string(belt), string(data), "%s must equal _belt/belt.go", c)
		}
	})
}

// parseHostileGoFiles parses every Go file under dir and returns how many
// there are.
func parseHostileGoFiles(t *testing.T, dir string) int {
	t.Helper()
	n := 0
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".go") {
			return err
		}
		n++
		_, perr := parser.ParseFile(token.NewFileSet(), p, nil, parser.ParseComments|parser.AllErrors)
		assert.NoError(t, perr, "parse %s", p)
		return nil
	})
	require.NoError(t, err)
	return n
}

// hostileKit is the copy of the kit the grader runs from, and what the
// harness knows about the machine.
type hostileKit struct {
	root    string             // the kit copy (it holds kitMark)
	grader  string             // the grader binary, built from the copy
	canary  string             // in kitMark and in the secret file: no report may show it
	secret  string             // a file outside every tree, for "@secret" links: Go that names the canary, so a compiler error would show it
	hashes  map[string]string  // the kit copy's entries, before any case ran
	files   map[string]kitFile // the kit copy's files, to undo what a leak changed
	kitMu   sync.Mutex         // held while the kit is checked and restored
	markDir []string           // directories an attack may litter with marker files
	cache   string             // the user cache folder the grader is given (XDG_CACHE_HOME), for its judges and subjects
	gocache string             // the go command's build cache, kept where it was
	runID   string             // tells this test's grader runs from any other's on the machine
	sem     chan struct{}      // at most two grader runs at once
}

// kitFile is a file of the kit copy as it was.
type kitFile struct {
	data []byte
	mode fs.FileMode
}

// TestHostileSubmissions grades every case with the sealed grader and
// holds it to the sound score, the reasons for refusals, and leaving no
// process, file or changed tree behind.
func TestHostileSubmissions(t *testing.T) {
	if testing.Short() {
		t.Skip("the hostile catalogue grades every case (minutes); skipped with -short")
	}
	if deadline, ok := t.Deadline(); ok && time.Until(deadline) < 15*time.Minute {
		t.Fatalf("the hostile catalogue needs more time than -timeout leaves (%v): run it with -timeout 30m, as make hostile does", time.Until(deadline).Round(time.Second))
	}
	cases := loadHostileCases(t)
	kit := newHostileKit(t)
	becomeSubreaper(t)
	t.Run("cases", func(t *testing.T) {
		for _, c := range cases {
			t.Run(c.Name, func(t *testing.T) {
				t.Parallel()
				kit.sem <- struct{}{}
				defer func() { <-kit.sem }()
				kit.check(t, c)
			})
		}
	})
	// Every case has finished: anything still running, any marker file
	// or any change to the kit is a leak, whoever left it.
	for _, p := range leftovers(func(p proc) bool {
		return subreaper || strings.Contains(p.environ, "."+kit.runID+"\x00")
	}) {
		t.Errorf("left running after the catalogue: %v", p)
	}
	for _, f := range kit.markers("") {
		t.Errorf("left behind after the catalogue: %s", f)
	}
	kit.checkKit(t, "the trusted kit")
	for _, dir := range kit.strayCopies() {
		t.Errorf("a copy of the kit was left behind: %s", dir)
	}
}

// strayCopies returns the copies of the kit (trees holding kitMark with
// this run's canary) in the temporary directories, other than the kit.
func (k *hostileKit) strayCopies() []string {
	var found []string
	for _, tmp := range []string{"/tmp", "/var/tmp", "/dev/shm", os.TempDir()} {
		for depth := 1; depth <= 4; depth++ {
			pattern := filepath.Join(append([]string{tmp}, slices.Repeat([]string{"*"}, depth)...)...)
			marks, _ := filepath.Glob(filepath.Join(pattern, kitMark))
			for _, m := range marks {
				dir := filepath.Dir(m)
				if data, err := os.ReadFile(m); err == nil && strings.Contains(string(data), k.canary) && dir != k.root && !slices.Contains(found, dir) {
					found = append(found, dir)
				}
			}
		}
	}
	return found
}

// checkKit fails t if the kit differs from what it was before any case
// ran, and puts it back so that later cases are graded by the same kit.
func (k *hostileKit) checkKit(t *testing.T, what string) {
	t.Helper()
	k.kitMu.Lock()
	defer k.kitMu.Unlock()
	for _, d := range assertSameTree(t, k.hashes, hashTree(t, k.root), what) {
		rel := d[strings.IndexByte(d, ' ')+1:]
		p := filepath.Join(k.root, rel)
		_ = os.RemoveAll(p)
		if f, ok := k.files[rel]; ok {
			_ = os.MkdirAll(filepath.Dir(p), 0o755)
			_ = os.WriteFile(p, f.data, f.mode)
		}
	}
}

func newHostileKit(t *testing.T) *hostileKit {
	t.Helper()
	src, err := filepath.Abs("..")
	require.NoError(t, err)
	base := t.TempDir()
	kit := &hostileKit{root: filepath.Join(base, "kit"), grader: filepath.Join(base, "grader"),
		canary: "HOSTILECANARY" + randomHex(), secret: filepath.Join(base, "secret.txt"),
		cache: filepath.Join(base, "cache"), sem: make(chan struct{}, 2), runID: randomHex()}
	require.NoError(t, os.MkdirAll(kit.cache, 0o755))
	gocache, err := exec.Command("go", "env", "GOCACHE").Output()
	require.NoError(t, err)
	kit.gocache = string(bytes.TrimSpace(gocache))
	copyTree(t, src, kit.root, func(rel string) bool { return rel == ".git" || rel == "bin" || rel == "dist" })
	require.NoError(t, os.WriteFile(filepath.Join(kit.root, kitMark), []byte(kit.canary+"\n"), 0o644))
	require.NoError(t, os.WriteFile(kit.secret, []byte("package addr\n\nvar _ = "+kit.canary+"\n"), 0o644))

	build := exec.Command("go", "build", "-o", kit.grader, "./grader")
	build.Dir = kit.root
	out, err := build.CombinedOutput()
	require.NoError(t, err, "building the grader from the kit copy:\n%s", out)
	help := exec.Command(kit.grader, "grade", "-h")
	help.Dir = kit.root
	out, _ = help.CombinedOutput()
	if !strings.Contains(string(out), "-submission") {
		t.Fatalf("grader has no --submission flag: the hostile catalogue needs the sealed grader (go run ./grader --submission DIR); its flags are:\n%s", out)
	}
	kit.hashes = hashTree(t, kit.root)
	kit.files = map[string]kitFile{}
	require.NoError(t, filepath.WalkDir(kit.root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		rel, _ := filepath.Rel(kit.root, p)
		info, err := d.Info()
		if err != nil {
			return err
		}
		data, err := os.ReadFile(p)
		kit.files[filepath.ToSlash(rel)] = kitFile{data, info.Mode().Perm()}
		return err
	}))

	home, _ := os.UserHomeDir()
	kit.markDir = []string{"/", "/tmp", "/var/tmp", "/dev/shm", os.TempDir(), home, filepath.Join(home, ".cache"), base}
	for _, v := range []string{"GOCACHE", "GOMODCACHE", "GOPATH"} {
		if out, err := exec.Command("go", "env", v).Output(); err == nil && len(bytes.TrimSpace(out)) > 0 {
			kit.markDir = append(kit.markDir, string(bytes.TrimSpace(out)))
		}
	}
	return kit
}

// run is the value of hostileRunEnv for the grader runs of case c.
func (k *hostileKit) run(c hostileCase) string { return c.Name + "." + k.runID }

// check grades case c (and its baseline) and checks everything a sound
// grader guarantees.
func (k *hostileKit) check(t *testing.T, c hostileCase) {
	scratch := t.TempDir()
	sub := filepath.Join(scratch, "submission")
	k.assemble(t, c, sub, nil)
	before := hashTree(t, sub)
	cacheBefore := cacheHashes(filepath.Join(k.cache, "vmkata"))
	nums := make([]string, 0, len(c.Grade))
	for num := range c.Grade {
		nums = append(nums, num)
	}
	slices.Sort(nums)
	for _, num := range nums {
		e, _ := catalog.Find(num)
		got, out := k.grade(t, c, sub, num, filepath.Join(scratch, "tmp-"+num))
		if got == nil {
			continue
		}
		var base *hostileReport
		if c.Grade[num].Points == "baseline" {
			bsub := filepath.Join(scratch, "baseline")
			k.assemble(t, c, bsub, c.BaselineWithout)
			base, _ = k.grade(t, c, bsub, num, filepath.Join(scratch, "tmp-baseline-"+num))
		}
		checkHostileReport(t, e, c.Grade[num], got, base)
		if i := strings.Index(out, k.canary); i >= 0 {
			t.Errorf("%s: the grader's output shows the canary of a file the submission may not read: …%s…", e.ID, out[max(0, i-300):i+len(k.canary)])
		}
	}
	assertSameTree(t, before, hashTree(t, sub), "the submission")
	// Runs side by side add to the cache, and prune old subjects; nothing
	// in it may change.
	for p, h := range cacheHashes(filepath.Join(k.cache, "vmkata")) {
		if b, ok := cacheBefore[p]; ok && b != h {
			t.Errorf("the grader's cache was changed: %s", p)
		}
		if strings.Contains(p, "vmkata-hostile-") {
			t.Errorf("the submission left %s in the grader's cache", p)
		}
	}
	k.checkKit(t, "the trusted kit (changed during this case, or one graded beside it)")
	for _, f := range k.markers(c.Name, scratch, filepath.Dir(scratch), sub) {
		t.Errorf("the submission left %s behind", f)
	}
	for _, p := range leftovers(func(p proc) bool {
		return strings.Contains(p.cmdline, hostileMarker+c.Name) || strings.Contains(p.environ, hostileRunEnv+"="+k.run(c)+"\x00")
	}) {
		t.Errorf("left running after grading: %v", p)
	}
}

// assemble lays the submission of case c into dir: the base of each graded
// exercise, then the case's files (less those in without), then its links.
func (k *hostileKit) assemble(t *testing.T, c hostileCase, dir string, without []string) {
	t.Helper()
	for num := range c.Grade {
		e, _ := catalog.Find(num)
		dst := filepath.Join(dir, e.Dir())
		switch c.Base {
		case "stub":
			copyTree(t, filepath.Join(k.root, e.Dir()), dst, notLearnerFile)
		case "honest":
			copyTree(t, filepath.Join(hostileDir, "_honest", e.ID), dst, nil)
		case "reference":
			copyTree(t, filepath.Join(k.root, e.Reference), dst, notLearnerFile)
		}
	}
	copyTree(t, filepath.Join(hostileDir, c.Name), dir, func(rel string) bool { return rel == "case.json" || slices.Contains(without, rel) })
	if without != nil {
		return // the baseline is the honest part: no links
	}
	for p, target := range c.Symlinks {
		switch {
		case target == "@secret":
			target = k.secret
		default:
			target = filepath.Join(k.root, strings.TrimPrefix(target, "@kit/"))
		}
		link := filepath.Join(dir, p)
		require.NoError(t, os.MkdirAll(filepath.Dir(link), 0o755))
		_ = os.RemoveAll(link)
		require.NoError(t, os.Symlink(target, link))
	}
}

// notLearnerFile reports whether a path in a package folder is not one a
// learner hands in: anything but its non-test Go files, solution.go aside.
func notLearnerFile(rel string) bool {
	return strings.Contains(rel, "/") || !strings.HasSuffix(rel, ".go") || strings.HasSuffix(rel, "_test.go") || rel == "solution.go"
}

// grade runs the grader on one exercise of sub, as an instructor does, and
// returns its JSON report and everything it printed.
func (k *hostileKit) grade(t *testing.T, c hostileCase, sub, num, tmp string) (*hostileReport, string) {
	t.Helper()
	require.NoError(t, os.MkdirAll(tmp, 0o755))
	ctx, cancel := context.WithTimeout(context.Background(), hostileRunLimit)
	defer cancel()
	cmd := exec.CommandContext(ctx, k.grader, "--submission", sub, "--exercise", num, "--format", "json", "--seed", hostileSeed)
	cmd.Dir = k.root
	cmd.Env = append(os.Environ(), hostileRunEnv+"="+k.run(c), "TMPDIR="+tmp, "XDG_CACHE_HOME="+k.cache, "GOCACHE="+k.gocache)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 10 * time.Second
	var stdout, stderr capped
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err := cmd.Start()
	if err == nil {
		gradersMu.Lock()
		graders[cmd.Process.Pid] = true
		gradersMu.Unlock()
		err = cmd.Wait()
		gradersMu.Lock()
		delete(graders, cmd.Process.Pid)
		gradersMu.Unlock()
	}
	took := time.Since(start)
	t.Logf("exercise %s graded in %v", num, took.Round(100*time.Millisecond))
	out := stdout.String() + stderr.String()
	if ctx.Err() != nil {
		t.Errorf("exercise %s: the grader did not finish within %v (stalled by the submission?)\n%s", num, hostileRunLimit, stderr.tail())
		return nil, out
	}
	if err != nil {
		t.Errorf("exercise %s: the grader failed (%v); exit status 0 is due whenever grading ran\n%s", num, err, stderr.tail())
		return nil, out
	}
	if stdout.Len() > hostileReportLimit {
		t.Errorf("exercise %s: the grader wrote a report of %d MiB (at most %d MiB)", num, stdout.Len()>>20, hostileReportLimit>>20)
	}
	entries, _ := os.ReadDir(tmp)
	for _, e := range entries {
		t.Errorf("exercise %s: the grader left %s in its temporary directory", num, filepath.Join(tmp, e.Name()))
	}
	var rep hostileReport
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
		t.Errorf("exercise %s: the grader's output is not its JSON report (%v):\n%.2000s", num, err, stdout.String())
		return nil, out
	}
	return &rep, out
}

// hostileReport is the part of the grader's JSON report the harness reads.
type hostileReport struct {
	Points    int `json:"points"`
	MaxPoints int `json:"max_points"`
	Exercises []struct {
		ID         string          `json:"id"`
		Points     int             `json:"points"`
		MaxPoints  int             `json:"max_points"`
		Problem    string          `json:"problem"`
		Similarity json.RawMessage `json:"similarity"`
		Specs      []struct {
			Name    string `json:"name"`
			Points  int    `json:"points"`
			Earned  int    `json:"earned"`
			State   string `json:"state"`
			Failure string `json:"failure"`
		} `json:"specs"`
	} `json:"exercises"`
}

func checkHostileReport(t *testing.T, e catalog.Exercise, want hostileExpect, got, base *hostileReport) {
	t.Helper()
	if !assert.Len(t, got.Exercises, 1, "%s: exercises in the report", e.ID) {
		return
	}
	x := got.Exercises[0]
	assert.Equal(t, e.ID, x.ID, "exercise graded")
	assert.Equal(t, e.Points, x.MaxPoints, "%s: max_points must be the catalog's", e.ID)
	assert.Equal(t, x.Points, got.Points, "%s: total points", e.ID)
	assert.Equal(t, x.MaxPoints, got.MaxPoints, "%s: total max_points", e.ID)
	if len(want.Refused) > 0 {
		assert.True(t, saysOne(x.Problem, want.Refused), "%s: the problem %q must say one of %q", e.ID, x.Problem, want.Refused)
	}
	switch want.Points {
	case "0":
		assert.Zero(t, x.Points, "%s: points (problem: %s)", e.ID, x.Problem)
	case "baseline":
		if base == nil || len(base.Exercises) != 1 {
			t.Errorf("%s: the baseline was not graded", e.ID)
			return
		}
		b := base.Exercises[0]
		assert.Equal(t, b.Points, x.Points, "%s: points, against the same submission without its attack", e.ID)
		passed := func(r hostileReport) map[string]bool {
			names := map[string]bool{}
			for _, s := range r.Exercises[0].Specs {
				names[s.Name] = s.State == "passed"
			}
			return names
		}
		clean, attacked := passed(*base), passed(*got)
		for name, ok := range attacked {
			if ok && !clean[name] {
				t.Errorf("%s: %q passed, and fails without the attack", e.ID, name)
			}
		}
		for name, ok := range clean {
			if ok && !attacked[name] {
				t.Errorf("%s: %q failed, and passes without the attack", e.ID, name)
			}
		}
	case "max":
		if len(want.Lose) == 0 {
			assert.Empty(t, x.Problem, "%s: problem", e.ID)
		}
		lost := 0
		matched := make([]int, len(want.Lose))
		for _, s := range x.Specs {
			i := slices.IndexFunc(want.Lose, func(l hostileLoss) bool { return regexp.MustCompile(l.Spec).MatchString(s.Name) })
			if i < 0 {
				assert.Equal(t, "passed", s.State, "%s: spec %q: %s", e.ID, s.Name, s.Failure)
				continue
			}
			matched[i]++
			lost += s.Points
			l := want.Lose[i]
			assert.NotEqual(t, "passed", s.State, "%s: spec %q should be lost", e.ID, s.Name)
			assert.True(t, saysOne(s.Failure, l.Says), "%s: spec %q: failure %q must say one of %q", e.ID, s.Name, s.Failure, l.Says)
			for _, w := range l.SaysNot {
				assert.NotContains(t, strings.ToLower(s.Failure), strings.ToLower(w), "%s: spec %q", e.ID, s.Name)
			}
		}
		for i, n := range matched {
			assert.NotZero(t, n, "%s: no spec matches lose %q", e.ID, want.Lose[i].Spec)
		}
		assert.Equal(t, e.Points-lost, x.Points, "%s: points", e.ID)
	}
	if want.Similarity > 0 {
		best := maxPercent(x.Similarity)
		assert.GreaterOrEqual(t, best, float64(want.Similarity), "%s: similarity to the reference reported (%s)", e.ID, x.Similarity)
	}
}

// maxPercent returns the largest "percent" in a similarity report (one
// object or a list of them).
func maxPercent(raw json.RawMessage) float64 {
	var one struct{ Percent float64 }
	if json.Unmarshal(raw, &one) == nil && one.Percent > 0 {
		return one.Percent
	}
	var many []struct{ Percent float64 }
	_ = json.Unmarshal(raw, &many)
	best := 0.0
	for _, s := range many {
		best = max(best, s.Percent)
	}
	return best
}

func saysOne(text string, words []string) bool {
	for _, w := range words {
		if strings.Contains(strings.ToLower(text), strings.ToLower(w)) {
			return true
		}
	}
	return false
}

// markers returns the marker files of case name (every case's when name
// is empty) in the places attacks write to and in more, and removes them.
func (k *hostileKit) markers(name string, more ...string) []string {
	var found []string
	for _, dir := range append(slices.Clone(k.markDir), more...) {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if n := e.Name(); strings.HasPrefix(n, hostileMarker+name) {
				p := filepath.Join(dir, n)
				found = append(found, p)
				_ = os.RemoveAll(p)
			}
		}
	}
	return found
}

// proc is a process seen under /proc.
type proc struct {
	pid, ppid        int
	cmdline, environ string
}

func (p proc) String() string {
	return fmt.Sprintf("pid %d (parent %d): %s", p.pid, p.ppid, strings.ReplaceAll(p.cmdline, "\x00", " "))
}

// leftovers returns the live processes descended from this test (its
// orphans included: it is their subreaper), outside the grader runs under
// way, for which match is true; it kills them and reaps those that are its
// children. Without the subreaper, orphans are found by match alone.
func leftovers(match func(proc) bool) []proc {
	live := liveGraders()
	self := os.Getpid()
	all := map[int]proc{}
	var zombies []int
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == self {
			continue
		}
		stat, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		fields := strings.Fields(string(stat[bytes.LastIndexByte(stat, ')')+1:]))
		if len(fields) < 2 {
			continue
		}
		ppid, _ := strconv.Atoi(fields[1])
		if fields[0] == "Z" {
			if ppid == self {
				zombies = append(zombies, pid)
			}
			continue
		}
		cmdline, _ := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		environ, _ := os.ReadFile(filepath.Join("/proc", e.Name(), "environ"))
		all[pid] = proc{pid: pid, ppid: ppid, cmdline: string(cmdline), environ: string(environ)}
	}
	// ancestor returns the first of self and the live graders met going
	// up from p, or 0.
	ancestor := func(p proc) int {
		for seen := 0; p.ppid > 1 && seen < len(all)+1; seen++ {
			if p.ppid == self || live[p.ppid] {
				return p.ppid
			}
			p = all[p.ppid]
		}
		return 0
	}
	var found []proc
	for _, p := range all {
		if live[p.pid] || !match(p) {
			continue
		}
		switch a := ancestor(p); {
		case live[a]:
			continue // a grader still at work owns it
		case a == 0 && subreaper:
			continue // not this test's
		}
		found = append(found, p)
		_ = syscall.Kill(p.pid, syscall.SIGKILL)
		if p.ppid == self {
			zombies = append(zombies, p.pid)
		}
	}
	for _, pid := range zombies {
		reap(pid)
	}
	return found
}

func reap(pid int) {
	var ws syscall.WaitStatus
	_, _ = syscall.Wait4(pid, &ws, 0, nil)
}

var (
	gradersMu sync.Mutex
	graders   = map[int]bool{} // pids of the grader runs under way
)

// liveGraders returns the pids of the grader runs under way.
func liveGraders() map[int]bool {
	gradersMu.Lock()
	defer gradersMu.Unlock()
	return maps.Clone(graders)
}

// subreaper is true once this test is the parent of every orphan of its
// grader runs.
var subreaper bool

// becomeSubreaper makes this test the parent of every orphan of its grader
// runs, so that none escapes the final count.
func becomeSubreaper(t *testing.T) {
	const prSetChildSubreaper = 36
	if _, _, errno := syscall.RawSyscall(syscall.SYS_PRCTL, prSetChildSubreaper, 1, 0); errno != 0 {
		t.Logf("cannot become a child subreaper (%v): orphans are found by their marker only", errno)
		return
	}
	subreaper = true
}

// capped keeps the first 64 MiB written to it and drops the rest, so a
// flood through a leaky grader cannot exhaust the test.
type capped struct{ bytes.Buffer }

func (c *capped) Write(p []byte) (int, error) {
	if room := 64<<20 - c.Len(); room > 0 {
		c.Buffer.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}

func (c *capped) tail() string {
	s := c.String()
	return s[max(0, len(s)-4000):]
}

func randomHex() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// copyTree copies the files under src to dst, links as links, skipping
// the paths (relative to src, slash-separated) for which skip is true.
func copyTree(t *testing.T, src, dst string, skip func(rel string) bool) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		rel = filepath.ToSlash(rel)
		if rel != "." && skip != nil && skip(rel) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		to := filepath.Join(dst, rel)
		info, err := d.Info()
		if err != nil {
			return err
		}
		switch {
		case d.IsDir():
			return os.MkdirAll(to, 0o755)
		case d.Type()&fs.ModeSymlink != 0:
			target, err := os.Readlink(p)
			if err != nil {
				return err
			}
			return os.Symlink(target, to)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(to, data, info.Mode().Perm())
	})
	require.NoError(t, err, "copying %s to %s", src, dst)
}

// hashTree returns the path, mode and content hash of every entry under
// root (links by their target).
// cacheHashes digests the files of the grader's cache that are complete
// (a judge being filed is written under a temporary name), skipping those
// that a run grading beside this one removes while they are read.
func cacheHashes(root string) map[string]string {
	sums := map[string]string{}
	_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() || strings.Contains(d.Name(), ".tmp") {
			return nil
		}
		data, err := os.ReadFile(p)
		if err == nil {
			rel, _ := filepath.Rel(root, p)
			sums[rel] = fmt.Sprintf("%x", sha256.Sum256(data))
		}
		return nil
	})
	return sums
}

func hashTree(t *testing.T, root string) map[string]string {
	t.Helper()
	sums := map[string]string{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		info, err := d.Info()
		if err != nil {
			return err
		}
		h := sha256.New()
		fmt.Fprintf(h, "%v\x00", info.Mode())
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			target, _ := os.Readlink(p)
			io.WriteString(h, target)
		case d.Type().IsRegular():
			f, err := os.Open(p)
			if err != nil {
				return err
			}
			_, err = io.Copy(h, f)
			f.Close()
			if err != nil {
				return err
			}
		}
		sums[filepath.ToSlash(rel)] = hex.EncodeToString(h.Sum(nil))
		return nil
	})
	require.NoError(t, err, "hashing %s", root)
	return sums
}

// assertSameTree fails t if after differs from before, and returns the
// differences ("added p", "changed p", "removed p").
func assertSameTree(t *testing.T, before, after map[string]string, what string) []string {
	t.Helper()
	var diff []string
	for p, h := range after {
		switch b, ok := before[p]; {
		case !ok:
			diff = append(diff, "added "+p)
		case b != h:
			diff = append(diff, "changed "+p)
		}
	}
	for p := range before {
		if _, ok := after[p]; !ok {
			diff = append(diff, "removed "+p)
		}
	}
	slices.Sort(diff)
	assert.Empty(t, diff, "%s was changed", what)
	return diff
}

package run

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"go/parser"
	"go/token"
	"io"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/vmkata/vmkata/catalog"
)

// buildSubject compiles the exercise's subject command (the learner's
// package and the code that serves it) from SubjectRoot, without cgo and
// without DWARF (a panic's trace needs only the symbol table, and leaving
// the debug information out halves the link every save under watch pays
// for), into bin. It returns the compiler's message when the learner's code does not
// compile, and an error when the go command itself could not run.
//
// With a SubjectCache, the binary is built there first, named after a
// digest of the exercise's files and the build settings, and copied to
// bin: the go command relinks a binary only when its build inputs changed
// (its build ID says which), and -trimpath keeps the throw-away copy's
// location out of them, so an unchanged exercise costs no link.
func buildSubject(ctx context.Context, opt Options, overlay string, e catalog.Exercise, bin string) (string, error) {
	out := bin
	if opt.SubjectCache != "" {
		name, err := subjectName(opt, e)
		if err != nil {
			return "", err
		}
		out = filepath.Join(opt.SubjectCache, name)
		if err := os.MkdirAll(opt.SubjectCache, 0o755); err != nil {
			out = bin // no cache: only slower
		}
	}
	args := []string{"build", "-trimpath", "-ldflags=-w", "-o", out}
	if len(opt.Tags) > 0 {
		args = append(args, "-tags", strings.Join(opt.Tags, ","))
	}
	if overlay != "" {
		args = append(args, "-overlay", overlay)
	}
	args = append(args, "./"+e.SubjectDir())
	msg, err := goCommand(ctx, opt, opt.SubjectRoot, args)
	if err != nil || msg != "" || out == bin {
		return msg, err
	}
	pruneSubjects(opt.SubjectCache, e, out)
	if copyFile(out, bin) != nil {
		// Pruned by a concurrent run before it was copied: build here.
		direct := opt
		direct.SubjectCache = ""
		return buildSubject(ctx, direct, overlay, e, bin)
	}
	return "", nil
}

// keptSubjects is how many subjects of one exercise the cache keeps: the
// newest, so that a learner going back and forth between versions, or two
// runs at once, still find theirs.
const keptSubjects = 4

// pruneSubjects removes all but the newest keptSubjects cached subjects of
// e, and never just.
func pruneSubjects(cache string, e catalog.Exercise, just string) {
	files, _ := filepath.Glob(filepath.Join(cache, e.ID+"-*.subject"+exeSuffix))
	type aged struct {
		path string
		mod  time.Time
	}
	var all []aged
	for _, f := range files {
		if fi, err := os.Stat(f); err == nil && f != just {
			all = append(all, aged{f, fi.ModTime()})
		}
	}
	slices.SortFunc(all, func(a, b aged) int { return b.mod.Compare(a.mod) })
	for i, f := range all {
		if i >= keptSubjects-1 {
			os.Remove(f.path)
		}
	}
}

// subjectName names e's cached subject after a digest of the exercise's
// files in SubjectRoot, those of the other exercises it imports (the
// capstone builds on the learner's earlier ones), and the build's tags and
// overlay, so that runs on different versions of the learner's code never
// write the same file. (Whether the binary is up to date is the go
// command's decision, from all its inputs.)
func subjectName(opt Options, e catalog.Exercise) (string, error) {
	h := sha256.New()
	fmt.Fprintf(h, "tags %q\noverlay %q\n", opt.Tags, opt.Overlay)
	dirs, err := exerciseDirs(opt.SubjectRoot, e.Dir())
	if err != nil {
		return "", err
	}
	for _, dir := range dirs {
		files, err := filepath.Glob(filepath.Join(opt.SubjectRoot, filepath.FromSlash(dir), "*.go"))
		if err != nil {
			return "", err
		}
		for _, f := range files {
			if err := hashFile(h, f, dir+"/"+filepath.Base(f)); err != nil {
				return "", err
			}
		}
	}
	return e.ID + "-" + hex.EncodeToString(h.Sum(nil))[:24] + ".subject" + exeSuffix, nil
}

// exerciseDirs returns dir (an exercise's folder, relative to root) and
// the folders of every exercise its Go files import, directly or through
// one another, sorted. A file that does not parse imports nothing here:
// the build reports it.
func exerciseDirs(root, dir string) ([]string, error) {
	prefix := catalog.Module + "/"
	seen := map[string]bool{dir: true}
	queue := []string{dir}
	for len(queue) > 0 {
		cur := queue[0]
		queue = queue[1:]
		files, err := filepath.Glob(filepath.Join(root, filepath.FromSlash(cur), "*.go"))
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			parsed, err := parser.ParseFile(token.NewFileSet(), f, nil, parser.ImportsOnly)
			if err != nil {
				continue
			}
			for _, imp := range parsed.Imports {
				path, err := strconv.Unquote(imp.Path.Value)
				rel, ok := strings.CutPrefix(path, prefix)
				if err != nil || !ok || !strings.HasPrefix(rel, "exercises/") || seen[rel] {
					continue
				}
				seen[rel] = true
				queue = append(queue, rel)
			}
		}
	}
	return slices.Sorted(maps.Keys(seen)), nil
}

// Judges builds each judge suite once and keeps the binaries until Close.
// With a cache folder, binaries also outlive the Judges: each is filed
// under a digest of everything its build reads (the go command's version
// and settings, the kit's own Go files and go.mod/go.sum, the exercise's
// test files, the hidden specs), so a later run of the
// grader on an unchanged kit skips the build, and any change to those
// files builds afresh. Only the newest binary of each exercise is kept.
// Its zero value is not usable; a nil *Judges builds into each run's
// WorkDir.
type Judges struct {
	dir   string // where binaries are built
	cache string // where they are kept between runs; "" keeps none
	mu    sync.Mutex
	built map[string]*judgeBuild

	kitOnce   sync.Once
	kitDigest []byte
	kitErr    error
}

type judgeBuild struct {
	once sync.Once
	bin  string
	err  error
}

// NewJudges returns an empty set of judge binaries in a new temporary
// folder, kept between runs in cache unless cache is "".
func NewJudges(cache string) (*Judges, error) {
	dir, err := os.MkdirTemp("", "vmkata-judges-")
	if err != nil {
		return nil, err
	}
	if cache != "" {
		if err := os.MkdirAll(cache, 0o755); err != nil {
			cache = "" // a cache that cannot be made is only slower
		}
	}
	return &Judges{dir: dir, cache: cache, built: map[string]*judgeBuild{}}, nil
}

// DefaultJudgeCache is the per-user folder judges are kept in between
// runs, or "" when the system has no per-user cache folder.
func DefaultJudgeCache() string { return userCache("judges") }

// DefaultSubjectCache is the per-user folder subjects are kept in between
// runs (see Options.SubjectCache), or "".
func DefaultSubjectCache() string { return userCache("subjects") }

func userCache(name string) string {
	dir, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "vmkata", name)
}

// Close removes the binaries of this run (the cache stays).
func (j *Judges) Close() error {
	if j == nil {
		return nil
	}
	return os.RemoveAll(j.dir)
}

// build returns the judge binary of e, built from the trusted kit (Root):
// it contains the specs and the reference, and none of the learner's code.
func (j *Judges) build(ctx context.Context, opt Options, e catalog.Exercise) (string, error) {
	if j == nil {
		bin := filepath.Join(opt.WorkDir, e.ID+".judge"+exeSuffix)
		return bin, buildJudge(ctx, opt, e, bin)
	}
	j.mu.Lock()
	b, ok := j.built[e.ID]
	if !ok {
		b = &judgeBuild{bin: filepath.Join(j.dir, e.ID+".judge"+exeSuffix)}
		j.built[e.ID] = b
	}
	j.mu.Unlock()
	b.once.Do(func() { b.bin, b.err = j.buildCached(ctx, opt, e, b.bin) })
	return b.bin, b.err
}

// buildCached returns bin, this run's own judge of e: a link to (or a
// copy of) the cached judge if there is one for exactly this kit, else a
// fresh build, a copy of which it files in the cache. The run never
// executes the cached file itself, which a run of another version of the
// kit beside it may replace at any time.
func (j *Judges) buildCached(ctx context.Context, opt Options, e catalog.Exercise, bin string) (string, error) {
	if j.cache == "" {
		return bin, buildJudge(ctx, opt, e, bin)
	}
	key, err := j.key(ctx, opt, e)
	if err != nil {
		return bin, err
	}
	cached := filepath.Join(j.cache, e.ID+"-"+key+".judge"+exeSuffix)
	if os.Link(cached, bin) == nil || copyFile(cached, bin) == nil {
		return bin, nil
	}
	os.Remove(bin) // half a copy, if the cached file went meanwhile
	if err := buildJudge(ctx, opt, e, bin); err != nil {
		return bin, err
	}
	// Filed by rename, so that a concurrent run never sees half a binary;
	// older judges of the exercise go.
	old, _ := filepath.Glob(filepath.Join(j.cache, e.ID+"-*.judge"+exeSuffix))
	tmp := cached + ".tmp" + strconv.Itoa(os.Getpid())
	if copyFile(bin, tmp) != nil || os.Rename(tmp, cached) != nil {
		os.Remove(tmp)
		return bin, nil // not cached: only slower next time
	}
	for _, o := range old {
		if o != cached { // a run beside this one may have filed the same judge
			os.Remove(o)
		}
	}
	return bin, nil
}

// key digests everything the build of e's judge reads.
func (j *Judges) key(ctx context.Context, opt Options, e catalog.Exercise) (string, error) {
	j.kitOnce.Do(func() { j.kitDigest, j.kitErr = kitDigest(ctx, opt) })
	if j.kitErr != nil {
		return "", j.kitErr
	}
	h := sha256.New()
	h.Write(j.kitDigest)
	fmt.Fprintf(h, "exercise %s\n", e.ID)
	tests, err := filepath.Glob(filepath.Join(opt.Root, filepath.FromSlash(e.Dir()), "*_test.go"))
	if err != nil {
		return "", err
	}
	for _, f := range append(tests, opt.Hidden[e.ID]...) {
		if err := hashFile(h, f, f); err != nil {
			return "", err
		}
	}
	return hex.EncodeToString(h.Sum(nil))[:24], nil
}

// kitDigest digests the go command's version and settings, the kit's
// go.mod and go.sum and every Go file outside exercises/ and
// testdata folders (no judge is built from those).
func kitDigest(ctx context.Context, opt Options) ([]byte, error) {
	h := sha256.New()
	cmd := exec.CommandContext(ctx, opt.Go, "env", "GOVERSION", "GOOS", "GOARCH", "GOFLAGS", "GOEXPERIMENT", "GOAMD64", "GOARM64")
	cmd.Dir = opt.Root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOFLAGS=-mod=readonly")
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("grader: %s env: %w", opt.Go, err)
	}
	h.Write(out)
	err = filepath.WalkDir(opt.Root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(opt.Root, path)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if n := d.Name(); rel != "." && (strings.HasPrefix(n, ".") || n == "testdata" || rel == "exercises" || rel == "bin" || rel == "dist") {
				return filepath.SkipDir
			}
			return nil
		}
		if rel == "go.mod" || rel == "go.sum" || strings.HasSuffix(rel, ".go") {
			return hashFile(h, path, rel)
		}
		return nil
	})
	return h.Sum(nil), err
}

// hashFile writes name and the contents of path to h.
func hashFile(h io.Writer, path, name string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	fmt.Fprintf(h, "%s %d\n", name, fi.Size())
	_, err = io.Copy(h, f)
	return err
}

// copyFile copies src to a new executable file dst.
func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o755)
	if err != nil {
		return err
	}
	_, err = io.Copy(out, in)
	return errors.Join(err, out.Close())
}

// buildJudge compiles the exercise's own test package from the trusted kit
// with the exercise's facade in place of its non-test files, and the
// instructor's hidden specs beside its test file (see package judge). The
// kit is not written: the swap is a go -overlay.
func buildJudge(ctx context.Context, opt Options, e catalog.Exercise, bin string) error {
	overlay, err := judgeOverlay(opt, e)
	if err != nil {
		return err
	}
	data, err := json.Marshal(struct{ Replace map[string]string }{overlay})
	if err != nil {
		return err
	}
	overlayFile := bin + ".overlay.json"
	if err := os.WriteFile(overlayFile, data, 0o644); err != nil {
		return err
	}
	// -trimpath, as for subjects: both builds then share the compiled
	// standard library, and the binary does not depend on the kit's
	// location. No DWARF (-w): traces need only the symbol table, and the
	// link takes half the time.
	msg, err := goCommand(ctx, opt, opt.Root, []string{"test", "-c", "-trimpath", "-ldflags=-w", "-o", bin, "-overlay", overlayFile, "./" + e.Dir()})
	if err != nil {
		return err
	}
	if msg != "" {
		return fmt.Errorf("the kit's judge for %s does not build:\n%s", e.ID, msg)
	}
	// The judge is also the sandbox's trampoline, which runs as the
	// learner's (possibly unprivileged) user before it becomes the subject.
	return os.Chmod(bin, 0o755)
}

// judgeOverlay is the go -overlay that turns e's test package into its
// judge: the learner's files deleted, the facade and the hidden specs added.
func judgeOverlay(opt Options, e catalog.Exercise) (map[string]string, error) {
	overlay := map[string]string{}
	dir := filepath.Join(opt.Root, filepath.FromSlash(e.Dir()))
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	for _, d := range entries {
		if n := d.Name(); strings.HasSuffix(n, ".go") && !strings.HasSuffix(n, "_test.go") {
			overlay[filepath.Join(dir, n)] = ""
		}
	}
	facade := filepath.Join(opt.Root, filepath.FromSlash(e.FacadeDir()))
	entries, err = os.ReadDir(facade)
	if err != nil {
		return nil, fmt.Errorf("the judge's facade of %s: %w", e.ID, err)
	}
	for _, d := range entries {
		if n := d.Name(); strings.HasSuffix(n, ".go") && !strings.HasSuffix(n, "_test.go") {
			overlay[filepath.Join(dir, "judge_facade_"+n)] = filepath.Join(facade, n)
		}
	}
	for _, h := range opt.Hidden[e.ID] {
		overlay[filepath.Join(dir, "hidden_"+filepath.Base(h))] = h
	}
	return overlay, nil
}

// Prepare compiles, in one go command, every package the judges of
// exercises need and the cache does not hold yet, so that each judge's own
// build only links. One command compiles each shared package (the test
// libraries, specs, reference, vm) once, where judges built side by side
// on a cold build cache would each compile them. Errors are left to each
// judge's own build, which reports them.
func (j *Judges) Prepare(ctx context.Context, opt Options, exercises []catalog.Exercise) {
	if j == nil {
		return
	}
	opt.defaults()
	overlay := map[string]string{}
	var pkgs []string
	for _, e := range exercises {
		if j.cache != "" {
			if key, err := j.key(ctx, opt, e); err == nil {
				if _, err := os.Stat(filepath.Join(j.cache, e.ID+"-"+key+".judge"+exeSuffix)); err == nil {
					continue
				}
			}
		}
		o, err := judgeOverlay(opt, e)
		if err != nil {
			return
		}
		maps.Copy(overlay, o)
		pkgs = append(pkgs, "./"+e.Dir())
	}
	if len(pkgs) < 2 {
		return
	}
	data, err := json.Marshal(struct{ Replace map[string]string }{overlay})
	if err != nil {
		return
	}
	file := filepath.Join(j.dir, "prepare.overlay.json")
	if os.WriteFile(file, data, 0o644) != nil {
		return
	}
	args := append([]string{"list", "-e", "-export", "-test", "-deps", "-trimpath", "-overlay", file, "-f", "{{with .Error}}{{.}}{{end}}"}, pkgs...)
	_, _ = goCommand(ctx, opt, opt.Root, args)
}

// goCommand runs the go command in dir. It returns the command's output
// when it fails, and an error when it could not run at all.
func goCommand(ctx context.Context, opt Options, dir string, args []string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, opt.BuildTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, opt.Go, args...)
	// The go command compiles and links in child processes: a build
	// stopped midway (the imports were refused, or time ran out) ends with
	// its whole group, so that no linker outlives the grade.
	ownGroup(cmd)
	cmd.Cancel = func() error {
		killGroup(cmd)
		return nil
	}
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOFLAGS=-mod=readonly")
	if opt.WorkDir != "" {
		// The go command's own scratch folder lies in ours, so that a build
		// stopped midway (the imports were refused) leaves nothing behind
		// once our scratch space is removed.
		tmp := filepath.Join(opt.WorkDir, "gotmp")
		if err := os.MkdirAll(tmp, 0o755); err != nil {
			return "", err
		}
		cmd.Env = append(cmd.Env, "GOTMPDIR="+tmp)
	}
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

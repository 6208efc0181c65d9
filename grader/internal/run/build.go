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
	"strings"
	"sync"

	"github.com/vmkata/vmkata/catalog"
)

// buildSubject compiles the exercise's subject command (the learner's
// package and the code that serves it) from SubjectRoot, without cgo and
// without DWARF: a panic's trace needs only the symbol table, and leaving
// the debug information out halves the link that every save under watch
// pays for. It
// returns the compiler's message when the learner's code does not compile,
// and an error when the go command itself could not run.
func buildSubject(ctx context.Context, opt Options, overlay string, e catalog.Exercise, bin string) (string, error) {
	args := []string{"build", "-trimpath", "-ldflags=-w", "-o", bin}
	if len(opt.Tags) > 0 {
		args = append(args, "-tags", strings.Join(opt.Tags, ","))
	}
	if overlay != "" {
		args = append(args, "-overlay", overlay)
	}
	args = append(args, "./"+e.SubjectDir())
	return goCommand(ctx, opt, opt.SubjectRoot, args)
}

// Judges builds each judge suite once and keeps the binaries until Close.
// Its zero value is not usable; a nil *Judges builds into each run's
// WorkDir.
type Judges struct {
	dir   string
	mu    sync.Mutex
	built map[string]*judgeBuild
}

type judgeBuild struct {
	once sync.Once
	bin  string
	err  error
}

// NewJudges returns an empty cache of judge binaries in a new temporary
// folder.
func NewJudges() (*Judges, error) {
	dir, err := os.MkdirTemp("", "vmkata-judges-")
	if err != nil {
		return nil, err
	}
	return &Judges{dir: dir, built: map[string]*judgeBuild{}}, nil
}

// Close removes the binaries.
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
	b.once.Do(func() { b.err = buildJudge(ctx, opt, e, b.bin) })
	return b.bin, b.err
}

// buildJudge compiles the exercise's own test package from the trusted kit
// with the exercise's facade in place of its non-test files, and the
// instructor's hidden specs beside its test file (see package judge). The
// kit is not written: the swap is a go -overlay.
func buildJudge(ctx context.Context, opt Options, e catalog.Exercise, bin string) error {
	overlay := map[string]string{}
	dir := filepath.Join(opt.Root, filepath.FromSlash(e.Dir()))
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, d := range entries {
		if n := d.Name(); strings.HasSuffix(n, ".go") && !strings.HasSuffix(n, "_test.go") {
			overlay[filepath.Join(dir, n)] = ""
		}
	}
	facade := filepath.Join(opt.Root, filepath.FromSlash(e.FacadeDir()))
	entries, err = os.ReadDir(facade)
	if err != nil {
		return fmt.Errorf("the judge's facade of %s: %w", e.ID, err)
	}
	for _, d := range entries {
		if n := d.Name(); strings.HasSuffix(n, ".go") && !strings.HasSuffix(n, "_test.go") {
			overlay[filepath.Join(dir, "judge_facade_"+n)] = filepath.Join(facade, n)
		}
	}
	for _, h := range opt.Hidden[e.ID] {
		overlay[filepath.Join(dir, "hidden_"+filepath.Base(h))] = h
	}
	data, err := json.Marshal(struct{ Replace map[string]string }{overlay})
	if err != nil {
		return err
	}
	overlayFile := bin + ".overlay.json"
	if err := os.WriteFile(overlayFile, data, 0o644); err != nil {
		return err
	}
	msg, err := goCommand(ctx, opt, opt.Root, []string{"test", "-c", "-o", bin, "-overlay", overlayFile, "./" + e.Dir()})
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

// goCommand runs the go command in dir. It returns the command's output
// when it fails, and an error when it could not run at all.
func goCommand(ctx context.Context, opt Options, dir string, args []string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, opt.BuildTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, opt.Go, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOFLAGS=-mod=readonly")
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

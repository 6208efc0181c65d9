package learn

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/vmkata/vmkata/catalog"
	"github.com/vmkata/vmkata/grader/internal/i18n"
	"github.com/vmkata/vmkata/grader/internal/run"
)

// hintsFile is a well-formed hints file.
const hintsFile = "# Hints\n\nIntro.\n\n## Hint 1\n\nfirst\n\n## Hint 2\n\nsecond\n\n## Hint 3\n\nthird\n"

// fakePath is a learning path of two exercises, in folders of their own.
var fakePath = []catalog.Exercise{
	{ID: "01-alpha", Title: "Alpha", Topics: []string{"alpha"}, Reference: "reference/alpha", Package: "alpha", Points: 3, Folder: "exercises/01-alpha"},
	{ID: "02-beta", Title: "Beta", Topics: []string{"beta"}, Requires: []string{"01-alpha"}, Reference: "reference/beta", Package: "beta", Points: 2, Folder: "exercises/02-beta"},
}

// syncBuffer is a bytes.Buffer safe for one writer and a concurrent reader.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// fakeKit makes a checkout of fakePath in a temporary folder, each
// exercise with a stub and a hints file, and returns its Env.
func fakeKit(t *testing.T, lang i18n.Lang) (Env, *syncBuffer) {
	t.Helper()
	root := t.TempDir()
	for _, e := range fakePath {
		dir := filepath.Join(root, filepath.FromSlash(e.Dir()))
		write(t, filepath.Join(dir, "stub.go"), "package "+e.Package+"\n")
		write(t, filepath.Join(dir, "HINTS.md"), hintsFile)
	}
	out := &syncBuffer{}
	return Env{Root: root, Path: fakePath, Lang: lang, Out: out}, out
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// result is a grade of e earning points of its catalog points, in specs of
// one point with e's first topic.
func result(e catalog.Exercise, points int) run.Result {
	r := run.Result{Exercise: e, MaxPoints: e.Points, Points: points}
	for i := range e.Points {
		state := "failed"
		if i < points {
			state = "passed"
		}
		r.Specs = append(r.Specs, run.Spec{Name: "spec " + string(rune('a'+i)), Labels: []string{"topic:" + e.Topics[0]}, Points: 1, State: state, Failure: failureUnless(state)})
	}
	return r
}

func failureUnless(state string) string {
	if state == "passed" {
		return ""
	}
	return "Expected something else"
}

func mustContain(t *testing.T, got, want, what string) {
	t.Helper()
	if !strings.Contains(got, want) {
		t.Errorf("%s: want %q in\n%s", what, want, got)
	}
}

package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vmkata/vmkata/catalog"
	"github.com/vmkata/vmkata/grader/internal/i18n"
	"github.com/vmkata/vmkata/grader/internal/learn"
)

func TestCLILearnerCommandsUsageErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"hint"}, "hint: which exercise?"},
		{[]string{"hint", "99"}, `no exercise "99"`},
		{[]string{"hint", "04", "4"}, "the level is 1, 2 or 3"},
		{[]string{"hint", "04", "1", "2"}, `unexpected argument "2"`},
		{[]string{"reset"}, "reset: which exercise?"},
		{[]string{"list", "--lang", "fr"}, `unknown language "fr"`},
		{[]string{"progress", "extra"}, `unexpected argument "extra"`},
		{[]string{"watch", "--no-such-flag"}, "flag provided but not defined"},
	}
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		code := cli(context.Background(), tt.args, &stdout, &stderr)
		assert.Equal(t, 2, code, "grader %v: exit status", tt.args)
		assert.Contains(t, stderr.String(), tt.want, "grader %v: message", tt.args)
	}
}

func TestCLIListInKorean(t *testing.T) {
	t.Setenv("LC_ALL", "ko_KR.UTF-8")
	var stdout, stderr bytes.Buffer
	assert.Equal(t, 0, cli(context.Background(), []string{"list"}, &stdout, &stderr), stderr.String())
	assert.Contains(t, stdout.String(), "연습 문제")
	assert.Contains(t, stdout.String(), "(먼저: 01-address-split)")
	stdout.Reset()
	assert.Equal(t, 0, cli(context.Background(), []string{"list", "--lang", "en"}, &stdout, &stderr), stderr.String())
	assert.Contains(t, stdout.String(), "(after 01-address-split)")
}

// lockedBuffer is a bytes.Buffer safe for one writer and a concurrent reader.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestWatchRegradesARealSave runs the watch with the sealed grader on a
// copy of exercise 01 and saves a file that does not compile: the watch
// must grade it again and say so. It logs how long the re-grade took after
// the save (the judge already built: the warm case).
func TestWatchRegradesARealSave(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the sealed grader")
	}
	root, err := moduleRoot()
	require.NoError(t, err)
	e, ok := catalog.Find("01")
	require.True(t, ok)
	sub := t.TempDir()
	dir := filepath.Join(sub, filepath.FromSlash(e.Dir()))
	require.NoError(t, os.MkdirAll(dir, 0o755))
	for _, name := range []string{"addr.go", "HINTS.md"} {
		data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(e.Dir()), name))
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), data, 0o644))
	}
	lim := limits{checks: 10, timeout: 60 * time.Second, specTime: 10 * time.Second, memMiB: 4096}
	gr, err := newGrading(root, &lim)
	require.NoError(t, err)
	defer gr.close()
	out := &lockedBuffer{}
	env := learn.Env{Root: sub, Path: []catalog.Exercise{e}, Lang: i18n.EN, Out: out}
	ctx, cancel := context.WithCancel(context.Background())
	keys, keysW := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- env.Watch(ctx, learn.WatchOptions{Grader: checkoutGrader{gr, sub}, Keys: keys})
	}()
	defer func() {
		cancel()
		keysW.Close()
		<-done
	}()
	waitUntil := func(what string, cond func(string) bool) {
		t.Helper()
		deadline := time.Now().Add(5 * time.Minute) // a cold build cache is slow
		for !cond(out.String()) {
			if time.Now().After(deadline) {
				t.Fatalf("gave up waiting for %s; the watch printed:\n%s", what, out.String())
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	waitUntil("the stub's grade", func(s string) bool { return strings.Contains(s, "First failure in 01-address-split") })
	assert.Contains(t, out.String(), "01-address-split 0/113 points")

	saved := time.Now()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "addr.go"), []byte("package addr\n\nfunc broken( {\n"), 0o644))
	waitUntil("the grade of the save", func(s string) bool { return strings.Contains(s, "does not compile") })
	t.Logf("re-graded %v after the save", time.Since(saved).Round(10*time.Millisecond))

	require.NoError(t, os.WriteFile(filepath.Join(dir, "addr.go"), mustRead(t, filepath.Join(root, filepath.FromSlash(e.Dir()), "addr.go")), 0o644))
	before := strings.Count(out.String(), "First failure in 01-address-split")
	saved = time.Now()
	waitUntil("the grade of the stub saved again", func(s string) bool {
		return strings.Count(s, "First failure in 01-address-split") > before
	})
	t.Logf("re-graded %v after saving the stub again (warm)", time.Since(saved).Round(10*time.Millisecond))
	_, err = os.Stat(filepath.Join(sub, filepath.FromSlash(learn.StateFile)))
	assert.NoError(t, err, "the watch saves the progress")
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	return data
}

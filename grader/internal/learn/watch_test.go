package learn

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/vmkata/vmkata/catalog"
	"github.com/vmkata/vmkata/grader/internal/i18n"
	"github.com/vmkata/vmkata/grader/internal/run"
)

// fakeGrader grades an exercise by its stub.go as it is on disk: every
// point when the file holds "// done", none otherwise. It reports each
// grade on graded; with block set, a grade that finds "// block" waits for
// its context to end.
type fakeGrader struct {
	env    Env
	graded chan string // "ID: content of stub.go"
}

func (g fakeGrader) Grade(ctx context.Context, e catalog.Exercise) (run.Result, error) {
	data, err := os.ReadFile(filepath.Join(g.env.dir(e), "stub.go"))
	if err != nil {
		return run.Result{}, err
	}
	g.graded <- e.ID + ": " + string(data)
	if strings.Contains(string(data), "// block") {
		<-ctx.Done()
		return run.Result{}, ctx.Err()
	}
	points := 0
	if strings.Contains(string(data), "// done") {
		points = e.Points
	}
	return result(e, points), nil
}

// waitFor waits until what holds, or fails the test after a while.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// nextGrade returns the next grade the fake grader was asked for.
func nextGrade(t *testing.T, g fakeGrader) string {
	t.Helper()
	select {
	case s := <-g.graded:
		return s
	case <-time.After(10 * time.Second):
		t.Fatal("no grade within 10s")
		return ""
	}
}

// startWatch runs Watch on env in the background; it returns the writer of
// its keys and a channel closed when it returns, after its error (if any).
// The test's end stops it and waits for it.
func startWatch(t *testing.T, env Env, o WatchOptions) (io.WriteCloser, <-chan error) {
	t.Helper()
	keysR, keysW := io.Pipe()
	o.Keys = keysR
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	stopped := make(chan struct{})
	go func() {
		done <- env.Watch(ctx, o)
		close(stopped)
	}()
	t.Cleanup(func() {
		cancel()
		keysW.Close()
		<-stopped
	})
	return keysW, done
}

func TestWatchGradesEachSaveAndMovesOn(t *testing.T) {
	for _, mode := range []struct {
		name string
		o    WatchOptions
	}{
		// With events, the looks for changes are an hour apart: the
		// events alone must drive the watch.
		{"file events", WatchOptions{Interval: time.Hour, Debounce: 10 * time.Millisecond}},
		{"polling", WatchOptions{Poll: true, Interval: 10 * time.Millisecond, Debounce: 10 * time.Millisecond}},
	} {
		t.Run(mode.name, func(t *testing.T) {
			env, out := fakeKit(t, i18n.EN)
			g := fakeGrader{env, make(chan string, 8)}
			mode.o.Grader = g
			keys, done := startWatch(t, env, mode.o)

			if got := nextGrade(t, g); got != "01-alpha: package alpha\n" {
				t.Fatalf("first grade = %q, want 01-alpha's stub", got)
			}
			waitFor(t, "the first failure", func() bool { return strings.Contains(out.String(), "First failure in 01-alpha") })
			mustContain(t, out.String(), "[░░░░░░░░░░░░░░░░░░░░] 0/2 exercises done · 01-alpha 0/3 points", "the first grade")

			write(t, filepath.Join(env.dir(fakePath[0]), "stub.go"), "package alpha // done\n")
			if got := nextGrade(t, g); got != "01-alpha: package alpha // done\n" {
				t.Fatalf("grade after the save = %q, want the saved file's", got)
			}
			if got := nextGrade(t, g); got != "02-beta: package beta\n" {
				t.Fatalf("grade after 01-alpha was done = %q, want 02-beta's", got)
			}
			waitFor(t, "02-beta's grade", func() bool { return strings.Contains(out.String(), "02-beta 0/2 points") })
			mustContain(t, out.String(), "✓ 01-alpha is done.", "after the save")
			mustContain(t, out.String(), "[██████████░░░░░░░░░░] 1/2 exercises done", "after the save")
			mustContain(t, out.String(), "exercises/01-alpha/solution.go", "where to read a solution")
			mustContain(t, out.String(), "Next: 02-beta — Beta", "moving on")

			io.WriteString(keys, "h\n")
			waitFor(t, "the hint", func() bool { return strings.Contains(out.String(), "Hint 1 of 3 — 02-beta") })
			io.WriteString(keys, "l\n")
			waitFor(t, "the list", func() bool { return strings.Contains(out.String(), "→ 02-beta") })
			io.WriteString(keys, "q\n")
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("Watch after q = %v, want nil", err)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("Watch did not stop on q")
			}
			st, err := env.State()
			if err != nil {
				t.Fatal(err)
			}
			if !st.Exercises["01-alpha"].Done() || st.Exercises["02-beta"].Hint != 1 {
				t.Errorf("saved state after the watch: 01-alpha %+v, 02-beta %+v; want 01-alpha done, 02-beta's hint 1", st.Exercises["01-alpha"], st.Exercises["02-beta"])
			}
		})
	}
}

func TestWatchASaveCancelsTheGradeUnderWay(t *testing.T) {
	env, out := fakeKit(t, i18n.EN)
	write(t, filepath.Join(env.dir(fakePath[0]), "stub.go"), "package alpha // block\n")
	g := fakeGrader{env, make(chan string, 8)}
	startWatch(t, env, WatchOptions{Grader: g, Interval: time.Hour, Debounce: 10 * time.Millisecond})
	if got := nextGrade(t, g); !strings.Contains(got, "// block") {
		t.Fatalf("first grade = %q, want the blocking stub", got)
	}
	write(t, filepath.Join(env.dir(fakePath[0]), "stub.go"), "package alpha\n")
	if got := nextGrade(t, g); got != "01-alpha: package alpha\n" {
		t.Fatalf("grade after the save = %q, want the saved file's", got)
	}
	waitFor(t, "the second grade", func() bool { return strings.Contains(out.String(), "01-alpha 0/3 points") })
	if strings.Contains(out.String(), "could not run") {
		t.Errorf("the cancelled grade was reported:\n%s", out.String())
	}
}

func TestWatchNeedsNothingWhenAllDone(t *testing.T) {
	env, out := fakeKit(t, i18n.KO)
	st, _ := env.State()
	for _, e := range fakePath {
		st.Record(result(e, e.Points), time.Now())
	}
	if err := st.Save(env.StatePath()); err != nil {
		t.Fatal(err)
	}
	if err := env.Watch(context.Background(), WatchOptions{Grader: fakeGrader{env, make(chan string)}}); err != nil {
		t.Fatal(err)
	}
	mustContain(t, out.String(), "모든 연습 문제를 끝냈습니다", "Watch with every exercise done")
}

// TestWatchFoldersFallsBackToLooking gives watchFolders a watcher that
// watches nothing, as on a file system whose events never arrive.
func TestWatchFoldersFallsBackToLooking(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "a.go"), "package a\n")
	w, err := fsnotify.NewWatcher()
	if err != nil {
		t.Skipf("no file events here: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	changes := watchFolders(ctx, []string{dir}, w, 10*time.Millisecond)
	write(t, filepath.Join(dir, "a.go"), "package a // saved\n")
	next := func() change {
		select {
		case c := <-changes:
			return c
		case <-time.After(10 * time.Second):
			t.Fatal("no change reported within 10s")
			return change{}
		}
	}
	if c := next(); !strings.Contains(c.note.EN, "not arriving") {
		t.Errorf("first report = %+v, want a note that events are not arriving", c)
	}
	if c := next(); c.dir != dir {
		t.Errorf("second report = %+v, want the change of %s", c, dir)
	}
	write(t, filepath.Join(dir, "b.go"), "package a\n")
	if c := next(); c.dir != dir {
		t.Errorf("report after falling back = %+v, want the change of %s", c, dir)
	}
}

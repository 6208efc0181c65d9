package learn

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/vmkata/vmkata/catalog"
	"github.com/vmkata/vmkata/grader/internal/i18n"
	"github.com/vmkata/vmkata/grader/internal/report"
	"github.com/vmkata/vmkata/grader/internal/run"
)

// Grader grades one exercise of the checkout as it is on disk now. An
// error means grading could not run; what the learner's code does wrong is
// in the Result.
type Grader interface {
	Grade(ctx context.Context, e catalog.Exercise) (run.Result, error)
}

// WatchOptions tune Watch. The zero value of each field but Grader means
// its documented default.
type WatchOptions struct {
	Grader Grader
	// Keys is read line by line for commands: h shows the next hint of the
	// current exercise, l the list, q quits. Nil, or its end, leaves only
	// Ctrl-C (the end of ctx) to stop the watch.
	Keys io.Reader
	// Poll looks for changes every Interval instead of using the system's
	// file events.
	Poll     bool
	Interval time.Duration // between looks for changes; default 500ms
	// Debounce is how long the files must stay unchanged after a save
	// before grading starts, so that an editor's burst of writes grades
	// once; default 100ms.
	Debounce time.Duration
}

// outcome is one grade, tagged with the number of the request it answers.
type outcome struct {
	n   int
	res run.Result
	err error
}

// Watch is the learner's loop: it grades the current exercise (the first
// of the path not done, by the saved progress), shows a progress bar over
// the path and the first failure, and grades again on every save of a .go
// file in the exercise's folder. A save during a grade cancels it for a
// fresh one. When the exercise is done it says where to read a solution
// and moves on to the next. Every grade is saved in the state file. It
// returns nil when the learner quits, ctx ends or every exercise is done;
// an error only when the saved progress cannot be read or written.
func (env Env) Watch(ctx context.Context, o WatchOptions) error {
	if o.Interval <= 0 {
		o.Interval = 500 * time.Millisecond
	}
	if o.Debounce <= 0 {
		o.Debounce = 100 * time.Millisecond
	}
	st, err := env.State()
	if err != nil {
		return err
	}
	cur, ok := st.Current(env.Path)
	if !ok {
		env.allDone()
		return nil
	}
	ctx, stop := context.WithCancel(ctx)
	defer stop()
	dirs := make([]string, len(env.Path))
	for i, e := range env.Path {
		dirs[i] = env.dir(e)
	}
	var w *fsnotify.Watcher
	if !o.Poll {
		if w, err = newEventWatcher(dirs); err != nil {
			env.sayf("File events are unavailable (%v): looking for changes every %v instead.",
				"파일 변경 알림을 쓸 수 없습니다 (%v). 대신 %v마다 파일을 확인합니다.", err, o.Interval)
		}
	}
	changes := watchFolders(ctx, dirs, w, o.Interval)
	keys := readLines(ctx, o.Keys)

	var (
		results = make(chan outcome, 1)
		asked   = 0 // number of the last grade asked for
		cancel  = context.CancelFunc(func() {})
		settle  <-chan time.Time // fires when the saves have settled
	)
	defer func() { cancel() }()
	start := func() {
		cancel()
		asked++
		var gctx context.Context
		gctx, cancel = context.WithCancel(ctx)
		env.sayf("\nGrading %s …", "\n%s 채점 중 …", cur.ID)
		go func(n int, e catalog.Exercise) {
			res, err := o.Grader.Grade(gctx, e)
			select {
			case results <- outcome{n, res, err}:
			case <-ctx.Done():
			}
		}(asked, cur)
	}
	start()
	for {
		select {
		case <-ctx.Done():
			return nil
		case c := <-changes:
			if c.note != (i18n.Text{}) {
				env.say(c.note)
			}
			if c.dir == env.dir(cur) {
				settle = time.After(o.Debounce)
			}
		case <-settle:
			settle = nil
			start()
		case out := <-results:
			if out.n != asked {
				continue // a save came after it started: a fresh grade is on its way
			}
			if out.err != nil {
				env.sayf("Grading could not run: %v\nSave a file to try again.", "채점을 실행하지 못했습니다: %v\n파일을 저장하면 다시 시도합니다.", out.err)
				continue
			}
			// Reloaded: a hint shown meanwhile saved its level.
			if st, err = env.State(); err != nil {
				return err
			}
			st.Record(out.res, time.Now())
			if err := st.Save(env.StatePath()); err != nil {
				return err
			}
			env.show(st, out.res)
			if !out.res.Complete() {
				continue
			}
			if cur, ok = st.Current(env.Path); !ok {
				env.allDone()
				return nil
			}
			env.sayf("\nNext: %s — %s (%s)", "\n다음: %s — %s (%s)", cur.ID, cur.Title, env.rel(cur, readme(env.Lang)))
			start()
		case line, ok := <-keys:
			if !ok {
				keys = nil
				continue
			}
			switch strings.ToLower(strings.TrimSpace(line)) {
			case "q":
				return nil
			case "h":
				if err := env.Hint(cur, 0); err != nil {
					env.sayf("No hint: %v", "힌트를 보여 줄 수 없습니다: %v", err)
				}
			case "l":
				if err := env.List(); err != nil {
					return err
				}
			case "":
			default:
				env.keysHelp(cur)
			}
		}
	}
}

// show prints one grade: the bar over the path, the exercise's points,
// what to fix first, or, when it is done, where to read a solution.
func (env Env) show(st *State, r run.Result) {
	done := 0
	for _, e := range env.Path {
		if st.Exercises[e.ID].Done() {
			done++
		}
	}
	e := r.Exercise
	env.sayf("[%s] %d/%d exercises done · %s %d/%d points", "[%s] 연습 문제 %d/%d 완료 · %s %d/%d점",
		Bar(done, len(env.Path), 20), done, len(env.Path), e.ID, r.Points, r.MaxPoints)
	if r.Complete() {
		env.sayf("✓ %s is done.", "✓ %s 완료!", e.ID)
		env.say(env.SolutionNote(e))
		return
	}
	fmt.Fprint(env.Out, report.FirstProblem(r, env.Lang))
	env.keysHelp(e)
}

func (env Env) keysHelp(e catalog.Exercise) {
	env.sayf("Save a file in %s to grade again · h hint · l list · q quit (then Enter)",
		"%s의 파일을 저장하면 다시 채점합니다 · h 힌트 · l 목록 · q 끝내기 (입력 후 Enter)", e.Dir())
}

func (env Env) allDone() {
	env.say(i18n.Text{EN: "Every exercise of the path is done. go run ./grader progress shows your points by topic.",
		KO: "모든 연습 문제를 끝냈습니다. go run ./grader progress로 주제별 점수를 볼 수 있습니다."})
}

// dir returns the absolute folder of exercise e.
func (env Env) dir(e catalog.Exercise) string {
	return filepath.Join(env.Root, filepath.FromSlash(e.Dir()))
}

// readLines sends each line of r until ctx ends, and closes the channel at
// r's end; a nil r gives a channel that never sends.
func readLines(ctx context.Context, r io.Reader) <-chan string {
	out := make(chan string)
	if r == nil {
		return out
	}
	go func() {
		defer close(out)
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			select {
			case out <- sc.Text():
			case <-ctx.Done():
				return
			}
		}
	}()
	return out
}

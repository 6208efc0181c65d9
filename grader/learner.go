package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"

	"github.com/vmkata/vmkata/catalog"
	"github.com/vmkata/vmkata/grader/internal/i18n"
	"github.com/vmkata/vmkata/grader/internal/learn"
	"github.com/vmkata/vmkata/grader/internal/quiz"
	"github.com/vmkata/vmkata/grader/internal/run"
)

// learnerCommand runs one of the learner's commands on this checkout:
// list, progress, hint, reset or watch.
func learnerCommand(ctx context.Context, name string, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	lang := langFlag(fs)
	var (
		yes  *bool
		poll *bool
		lim  limits
	)
	want := 0 // positional arguments allowed
	switch name {
	case "hint":
		want = 2
	case "reset":
		want = 1
		yes = fs.Bool("yes", false, "reset without asking (needed when standard input is not a terminal)")
	case "watch":
		poll = fs.Bool("poll", false, "look for changes every half second instead of using file events (for file systems where events do not arrive)")
		lim.register(fs)
	}
	pos, err := parseArgs(fs, args, want)
	if err != nil {
		return err
	}
	l, err := lang.choose()
	if err != nil {
		return err
	}
	root, err := moduleRoot()
	if err != nil {
		return err
	}
	env := learner(root, l, stdout)
	var e catalog.Exercise
	if name == "hint" || name == "reset" {
		if len(pos) == 0 {
			return usageError{fmt.Sprintf("%s: which exercise? e.g. go run ./grader %s 04", name, name)}
		}
		es, err := selectExercises(pos[0])
		if err != nil {
			return err
		}
		e = es[0]
	}
	switch name {
	case "list":
		return env.List()
	case "progress":
		return env.Progress()
	case "hint":
		level := 0
		if len(pos) == 2 {
			if level, err = strconv.Atoi(pos[1]); err != nil || level < 1 || level > learn.Levels {
				return usageError{fmt.Sprintf("hint %s %s: the level is 1, 2 or 3", pos[0], pos[1])}
			}
		}
		return env.Hint(e, level)
	case "reset":
		err := env.Reset(e, learn.Confirm{Yes: *yes, Interactive: isTerminal(os.Stdin), In: os.Stdin})
		if errors.Is(err, learn.ErrNotInteractive) {
			return usageError{"reset: " + err.Error()}
		}
		return err
	}
	gr, err := newGrading(root, &lim)
	if err != nil {
		return err
	}
	defer gr.close()
	return env.Watch(ctx, learn.WatchOptions{Grader: checkoutGrader{gr, root}, Keys: os.Stdin, Poll: *poll})
}

// learner returns the learner's commands on the checkout at root, speaking
// lang to out.
func learner(root string, lang i18n.Lang, out io.Writer) learn.Env {
	return learn.Env{Root: root, Path: catalog.Exercises, Lang: lang, Out: out, QuizProgress: quiz.DefaultProgressPath()}
}

// record saves the grades of the checkout in its state file.
func record(env learn.Env, results []run.Result) error {
	st, err := env.State()
	if err != nil {
		return err
	}
	now := time.Now()
	for _, r := range results {
		st.Record(r, now)
	}
	return st.Save(env.StatePath())
}

// isTerminal reports whether f is a terminal (a character device: a
// console on Windows).
func isTerminal(f *os.File) bool {
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}

// langOption is the --lang flag every command takes.
type langOption struct{ value *string }

func langFlag(fs *flag.FlagSet) langOption {
	return langOption{fs.String("lang", "", "language of the messages: en or ko (default: from the locale, LC_ALL/LC_MESSAGES/LANG)")}
}

func (o langOption) choose() (i18n.Lang, error) {
	l, err := i18n.Choose(*o.value, os.Getenv)
	if err != nil {
		return "", usageError{"--lang: " + err.Error()}
	}
	return l, nil
}

// parseArgs parses args with fs, flags and up to want positional arguments
// in any order, and returns the positional ones.
func parseArgs(fs *flag.FlagSet, args []string, want int) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, usageError{err.Error()}
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		if len(pos) == want {
			return nil, usageError{fmt.Sprintf("unexpected argument %q", fs.Arg(0))}
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

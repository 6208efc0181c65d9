package quiz

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/vmkata/vmkata/grader/internal/i18n"
)

// UsageError is a mistake in the quiz's command line (exit status 2).
type UsageError struct{ Msg string }

func (e UsageError) Error() string { return e.Msg }

const usage = `usage: go run ./grader quiz [--seed N] [--n N] [--topic T,…] [--lang en|ko] [--timed 20m] [--practice]
                            [--print | --answers | --json | --worksheet PREFIX | --export moodle | --mastery]
                            [--progress FILE]

Asks questions one by one: generated problems whose answers the reference
computes, and concept questions. A wrong answer is followed by the worked
solution. --print writes the questions of a --seed as a worksheet, --answers
its answer key, --json both in both languages for tools, --worksheet a sheet
and its key as Markdown and HTML, --export moodle Moodle XML. An interactive
session adds its score per topic to the progress file; --mastery shows it;
--practice asks more about your weak topics (the draw then depends on the
progress file too).`

// options are the quiz's command-line flags, checked.
type options struct {
	seed     uint64
	n        int
	topics   []string
	lang     Lang
	limit    time.Duration
	progress string // "" keeps none
	mode     string // "" for an interactive session, else print, answers, json, worksheet, export or mastery
	prefix   string // of --worksheet
	practice bool
}

// parseFlags reads args into options. -h prints the usage on stdout and
// returns flag.ErrHelp; any mistake is a UsageError.
func parseFlags(args []string, stdout io.Writer) (options, error) {
	fs := flag.NewFlagSet("quiz", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors come back as one line; -h prints the usage below
	var (
		o       options
		timed   minutes
		langF   = fs.String("lang", "", "language: en or ko (한국어); default from the locale (LC_ALL, LC_MESSAGES, LANG)")
		topic   = fs.String("topic", "", "comma-separated topics or item kinds: "+strings.Join(Topics(), ", "))
		print   = fs.Bool("print", false, "print the questions as a worksheet instead of asking them")
		answers = fs.Bool("answers", false, "print the questions with their answers and worked solutions")
		asJSON  = fs.Bool("json", false, "print the questions, answers and solutions as JSON, in both languages")
		mastery = fs.Bool("mastery", false, "show your score per topic from the progress file, and stop")
		export  = fs.String("export", "", "print the items for a learning platform: moodle (Moodle XML)")
	)
	fs.Uint64Var(&o.seed, "seed", 0, "seed of the draw (default: a fresh one, printed)")
	fs.IntVar(&o.n, "n", 10, "number of items")
	fs.IntVar(&o.n, "count", 10, "same as --n")
	fs.Var(&timed, "timed", "time limit of an interactive session: minutes (20) or a duration (20m, 90s); default none")
	fs.StringVar(&o.progress, "progress", DefaultProgressPath(), "`file` that keeps your score per topic across sessions (\"\" keeps none)")
	fs.BoolVar(&o.practice, "practice", false, "ask more items on the topics you answer worst (from the progress file)")
	fs.StringVar(&o.prefix, "worksheet", "", "write a worksheet and its answer key, as Markdown and HTML, to `PREFIX`-questions.md, -answers.md, -questions.html, -answers.html")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(stdout, usage)
			fs.SetOutput(stdout)
			fs.PrintDefaults()
			return o, err
		}
		return o, UsageError{"quiz: " + err.Error() + " (see go run ./grader quiz -h)"}
	}
	if fs.NArg() > 0 {
		return o, UsageError{fmt.Sprintf("quiz: unexpected argument %q", fs.Arg(0))}
	}
	var err error
	if o.lang, err = i18n.Choose(*langF, os.Getenv); err != nil {
		return o, UsageError{"quiz: --lang: " + err.Error()}
	}
	o.limit = time.Duration(timed)
	for mode, on := range map[string]bool{"print": *print, "answers": *answers, "json": *asJSON, "mastery": *mastery,
		"worksheet": o.prefix != "", "export": *export != ""} {
		if on && o.mode != "" {
			return o, UsageError{"quiz: choose one of --print, --answers, --json, --worksheet, --export and --mastery"}
		}
		if on {
			o.mode = mode
		}
	}
	if *export != "" && *export != "moodle" {
		return o, UsageError{fmt.Sprintf("quiz: --export %q: the one format is moodle", *export)}
	}
	if (o.mode == "mastery" || o.practice) && o.progress == "" {
		return o, UsageError{"quiz: --mastery and --practice need a --progress file"}
	}
	for _, t := range strings.Split(*topic, ",") {
		if t = strings.ToLower(strings.TrimSpace(t)); t != "" {
			o.topics = append(o.topics, t)
		}
	}
	if _, err := selectGenerators(o.topics); err != nil {
		return o, UsageError{"quiz: " + err.Error()}
	}
	if o.n < 1 || o.n > 1000 {
		return o, UsageError{fmt.Sprintf("quiz: --n %d: want 1 to 1000 items", o.n)}
	}
	if o.seed == 0 {
		o.seed = rand.Uint64N(1<<53-1) + 1
	}
	return o, nil
}

// Main runs the quiz subcommand with args (the flags after "quiz"), reading
// replies from in. A bad flag, an unknown topic or language, or an
// unreadable progress file returns a UsageError; -h returns flag.ErrHelp.
func Main(args []string, in io.Reader, stdout io.Writer) error {
	o, err := parseFlags(args, stdout)
	if err != nil {
		return err
	}
	var progress Progress
	if o.progress != "" {
		if progress, err = LoadProgress(o.progress); err != nil {
			return UsageError{"quiz: --progress: " + err.Error()}
		}
	}
	if o.mode == "mastery" {
		return PrintMastery(stdout, progress, o.lang)
	}
	var weights map[string]float64
	if o.practice {
		weights = progress.Weights()
	}
	items, err := Draw(o.seed, o.n, o.topics, weights)
	if err != nil {
		return err
	}
	switch o.mode {
	case "json":
		return WriteJSON(stdout, items, o.seed)
	case "export":
		return WriteMoodle(stdout, items, o.seed, o.lang)
	case "worksheet":
		files, err := WriteWorksheet(o.prefix, items, o.seed, o.lang)
		for _, f := range files {
			fmt.Fprintln(stdout, f)
		}
		return err
	case "print", "answers":
		return Sheet(stdout, items, o.seed, o.lang, o.mode == "answers")
	}
	sum, err := Run(items, Session{Seed: o.seed, Lang: o.lang, Limit: o.limit}, in, stdout)
	if err != nil || o.progress == "" || len(sum) == 0 {
		return err
	}
	progress.Add(sum)
	if err := progress.Save(o.progress); err != nil {
		return fmt.Errorf("saving your progress: %w", err)
	}
	_, err = fmt.Fprintln(stdout, tf("Progress saved in %s (go run ./grader quiz --mastery shows it).",
		"진행 상황을 %s에 저장했습니다 (go run ./grader quiz --mastery로 볼 수 있습니다).", o.progress).In(o.lang))
	return err
}

// minutes is the --timed flag: a number of minutes, or a duration.
type minutes time.Duration

func (m *minutes) String() string { return time.Duration(*m).String() }

func (m *minutes) Set(s string) error {
	d, err := time.ParseDuration(s)
	if err != nil {
		n, nerr := strconv.ParseFloat(s, 64)
		if nerr != nil {
			return fmt.Errorf("%q is neither minutes (20) nor a duration (20m)", s)
		}
		d = time.Duration(n * float64(time.Minute))
	}
	if d <= 0 {
		return fmt.Errorf("%q: the time limit must be positive", s)
	}
	*m = minutes(d)
	return nil
}

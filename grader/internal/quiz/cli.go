package quiz

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
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

// Main runs the quiz subcommand with args (the flags after "quiz"), reading
// replies from in. A bad flag, an unknown topic or language returns a
// UsageError; flag.ErrHelp after -h.
func Main(args []string, in io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("quiz", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors come back as one line; -h prints the usage below

	var (
		seed    = fs.Uint64("seed", 0, "seed of the draw (default: a fresh one, printed)")
		n       = fs.Int("n", 10, "number of items")
		topic   = fs.String("topic", "", "comma-separated topics or item kinds: "+strings.Join(Topics(), ", "))
		langF   = fs.String("lang", "en", "language: en or ko (한국어)")
		print   = fs.Bool("print", false, "print the questions as a worksheet instead of asking them")
		answers = fs.Bool("answers", false, "print the questions with their answers and worked solutions")
		timed   = new(minutes)
		asJSON  = fs.Bool("json", false, "print the questions, answers and solutions as JSON, in both languages")
		prog    = fs.String("progress", DefaultProgressPath(), "`file` that keeps your score per topic across sessions (\"\" keeps none)")
		mastery = fs.Bool("mastery", false, "show your score per topic from the progress file, and stop")
		weak    = fs.Bool("practice", false, "ask more items on the topics you answer worst (from the progress file)")
		sheet   = fs.String("worksheet", "", "write a worksheet and its answer key, as Markdown and HTML, to `PREFIX`-questions.md, -answers.md, -questions.html, -answers.html")
		export  = fs.String("export", "", "print the items for a learning platform: moodle (Moodle XML)")
	)
	fs.IntVar(n, "count", 10, "same as --n")
	fs.Var(timed, "timed", "time limit of an interactive session: minutes (20) or a duration (20m, 90s); default none")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(stdout, usage)
			fs.SetOutput(stdout)
			fs.PrintDefaults()
			return err
		}
		return UsageError{"quiz: " + err.Error() + " (see go run ./grader quiz -h)"}
	}
	if fs.NArg() > 0 {
		return UsageError{fmt.Sprintf("quiz: unexpected argument %q", fs.Arg(0))}
	}
	lang, err := ParseLang(*langF)
	if err != nil {
		return UsageError{"quiz: --lang: " + err.Error()}
	}
	if (*mastery || *weak) && *prog == "" {
		return UsageError{"quiz: --mastery and --practice need a --progress file"}
	}
	var progress Progress
	if *prog != "" {
		if progress, err = LoadProgress(*prog); err != nil {
			return UsageError{"quiz: --progress: " + err.Error()}
		}
	}
	if *mastery {
		return PrintMastery(stdout, progress, lang)
	}
	if modes := btoi(*print) + btoi(*answers) + btoi(*asJSON) + btoi(*mastery) + btoi(*sheet != "") + btoi(*export != ""); modes > 1 {
		return UsageError{"quiz: choose one of --print, --answers, --json, --worksheet, --export and --mastery"}
	}
	if *export != "" && *export != "moodle" {
		return UsageError{fmt.Sprintf("quiz: --export %q: the one format is moodle", *export)}
	}
	var topics []string
	for _, t := range strings.Split(*topic, ",") {
		if t = strings.ToLower(strings.TrimSpace(t)); t != "" {
			topics = append(topics, t)
		}
	}
	if *n < 1 || *n > 1000 {
		return UsageError{fmt.Sprintf("quiz: --n %d: want 1 to 1000 items", *n)}
	}
	if *seed == 0 {
		*seed = rand.Uint64N(1<<53-1) + 1
	}
	var weights map[string]float64
	if *weak {
		weights = progress.Weights()
	}
	items, err := Draw(*seed, *n, topics, weights)
	if err != nil {
		if _, uerr := selectGenerators(topics); uerr != nil {
			return UsageError{"quiz: " + uerr.Error()}
		}
		return err
	}
	switch {
	case *asJSON:
		return WriteJSON(stdout, items, *seed)
	case *export != "":
		return WriteMoodle(stdout, items, *seed, lang)
	case *sheet != "":
		files, err := WriteWorksheet(*sheet, items, *seed, lang)
		for _, f := range files {
			fmt.Fprintln(stdout, f)
		}
		return err
	case *print || *answers:
		return Sheet(stdout, items, *seed, lang, *answers)
	}
	sum, err := Run(items, Session{Seed: *seed, Lang: lang, Limit: time.Duration(*timed)}, in, stdout)
	if err != nil || *prog == "" || len(sum) == 0 {
		return err
	}
	progress.Add(sum)
	if err := progress.Save(*prog); err != nil {
		return fmt.Errorf("saving your progress: %w", err)
	}
	_, err = fmt.Fprintln(stdout, tf("Progress saved in %s (go run ./grader quiz --mastery shows it).",
		"진행 상황을 %s에 저장했습니다 (go run ./grader quiz --mastery로 볼 수 있습니다).", *prog).In(lang))
	return err
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
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

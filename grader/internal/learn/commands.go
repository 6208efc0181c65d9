package learn

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/vmkata/vmkata/catalog"
	"github.com/vmkata/vmkata/grader/internal/i18n"
	"github.com/vmkata/vmkata/grader/internal/quiz"
)

// Env is what the learner's commands work on.
type Env struct {
	Root string             // the checkout's module root: exercises and the state file live under it
	Path []catalog.Exercise // the learning path, in order
	Lang i18n.Lang
	Out  io.Writer // what the learner reads
	// QuizProgress is the quiz's progress file, whose mastery per topic
	// Progress shows too; "" for none.
	QuizProgress string
}

// StatePath returns the state file of the checkout.
func (env Env) StatePath() string { return filepath.Join(env.Root, filepath.FromSlash(StateFile)) }

// State loads the saved progress, telling the learner when a bad state
// file was set aside.
func (env Env) State() (*State, error) {
	st, note, err := LoadState(env.StatePath(), env.Lang)
	if note != "" {
		fmt.Fprintln(env.Out, note)
	}
	return st, err
}

func (env Env) say(t i18n.Text)                            { fmt.Fprintln(env.Out, t.In(env.Lang)) }
func (env Env) sayf(en, ko string, args ...any)            { env.say(i18n.F(en, ko, args...)) }
func (env Env) rel(e catalog.Exercise, name string) string { return e.Dir() + "/" + name }

// List prints the learning path with each exercise's status from the saved
// progress, marking the current exercise (the first not done).
func (env Env) List() error {
	st, err := env.State()
	if err != nil {
		return err
	}
	cur, _ := st.Current(env.Path)
	head := i18n.Text{EN: "exercise,points,hints,status", KO: "연습 문제,점수,힌트,상태"}
	h := strings.Split(head.In(env.Lang), ",")
	fmt.Fprintf(env.Out, "  %s %s  %s %s\n", pad(h[0], 24), padLeft(h[1], 9), pad(h[2], 5), h[3])
	for _, e := range env.Path {
		rec := st.Exercises[e.ID]
		points := fmt.Sprintf("-/%d", e.Points)
		hints := ""
		if rec != nil {
			if !rec.Graded.IsZero() {
				points = fmt.Sprintf("%d/%d", rec.Points, rec.Max)
			}
			if rec.Hint > 0 {
				hints = fmt.Sprintf("%d/%d", rec.Hint, Levels)
			}
		}
		mark := " "
		if e.ID == cur.ID {
			mark = "→"
		}
		title := e.Title
		if len(e.Requires) > 0 {
			title += i18n.F(" (after %s)", " (먼저: %s)", strings.Join(e.Requires, ", ")).In(env.Lang)
		}
		fmt.Fprintf(env.Out, "%s %-24s %9s  %-5s %s %s\n", mark, e.ID, points, hints, pad(st.Status(e.ID).In(env.Lang), 11), title)
	}
	return nil
}

// Progress prints the points earned over the path, a bar of the exercises
// done, the points per topic (from the specs' topic labels) of the saved
// grades, and the quiz's mastery per topic when it has any.
func (env Env) Progress() error {
	st, err := env.State()
	if err != nil {
		return err
	}
	earned, total, done, ungraded := 0, 0, 0, 0
	topics := map[string]Score{}
	for _, e := range env.Path {
		rec := st.Exercises[e.ID]
		if rec.Done() {
			done++
		}
		if rec == nil || rec.Graded.IsZero() {
			ungraded++
			total += e.Points
			continue
		}
		earned += rec.Points
		total += rec.Max
		for t, sc := range rec.Topics {
			acc := topics[t]
			acc.Points += sc.Points
			acc.Max += sc.Max
			topics[t] = acc
		}
	}
	env.sayf("Points: %d/%d", "점수: %d/%d", earned, total)
	env.sayf("Exercises done: %s %d/%d", "완료한 연습 문제: %s %d/%d", Bar(done, len(env.Path), 20), done, len(env.Path))
	if len(topics) > 0 {
		env.say(i18n.Text{EN: "\nMastery by topic (points of your last grades):", KO: "\n주제별 숙련도 (마지막 채점의 점수):"})
		names := make([]string, 0, len(topics))
		for t := range topics {
			names = append(names, t)
		}
		slices.Sort(names)
		for _, t := range names {
			sc := topics[t]
			fmt.Fprintf(env.Out, "  %-16s %9s %s %3d%%\n", t, fmt.Sprintf("%d/%d", sc.Points, sc.Max), Bar(sc.Points, sc.Max, 10), 100*sc.Points/max(sc.Max, 1))
		}
	}
	if ungraded > 0 {
		env.sayf("\n%d exercise(s) not graded yet: go run ./grader watch grades the current one on every save.",
			"\n아직 채점하지 않은 연습 문제가 %d개 있습니다. go run ./grader watch를 켜 두면 저장할 때마다 지금 문제를 채점합니다.", ungraded)
	}
	if env.QuizProgress == "" {
		return nil
	}
	qp, err := quiz.LoadProgress(env.QuizProgress)
	if err != nil || len(qp.Topics) == 0 {
		return err
	}
	env.say(i18n.Text{EN: "\nQuiz (go run ./grader quiz):", KO: "\n퀴즈 (go run ./grader quiz):"})
	return quiz.PrintMastery(env.Out, qp, env.Lang)
}

// columns returns how many terminal columns s takes: Hangul and the other
// wide scripts take two.
func columns(s string) int {
	w := 0
	for _, r := range s {
		w++
		if r >= 0x1100 && (r <= 0x115f || r >= 0x2e80 && r <= 0xa4cf || r >= 0xac00 && r <= 0xd7a3 || r >= 0xff00 && r <= 0xff60) {
			w++
		}
	}
	return w
}

// pad fills s with spaces on the right to width terminal columns.
func pad(s string, width int) string { return s + strings.Repeat(" ", max(width-columns(s), 0)) }

// padLeft fills s with spaces on the left to width terminal columns.
func padLeft(s string, width int) string { return strings.Repeat(" ", max(width-columns(s), 0)) + s }

// Bar draws part of whole as width cells.
func Bar(part, whole, width int) string {
	filled := 0
	if whole > 0 {
		filled = min(part, whole) * width / whole
	}
	return strings.Repeat("█", filled) + strings.Repeat("░", width-filled)
}

// Hint prints hint level of exercise e, or, when level is 0, the hint after
// the last one shown (the first, at the start; the last stays the last).
// The highest level shown is saved.
func (env Env) Hint(e catalog.Exercise, level int) error {
	if level < 0 || level > Levels {
		return fmt.Errorf("hint level %d: want 1 to %d", level, Levels)
	}
	hints, file, err := LoadHints(env.dir(e), env.Lang)
	if err != nil {
		return err
	}
	st, err := env.State()
	if err != nil {
		return err
	}
	rec := st.Of(e.ID)
	if level == 0 {
		level = min(rec.Hint+1, Levels)
	}
	env.sayf("Hint %d of %d — %s (%s)\n", "힌트 %d/%d — %s (%s)\n", level, Levels, e.ID, env.rel(e, file))
	fmt.Fprintln(env.Out, hints[level-1])
	if level < Levels {
		env.sayf("\nThe next hint: go run ./grader hint %s", "\n다음 힌트: go run ./grader hint %s", e.ID[:2])
	} else {
		env.sayf("\nThat was the last hint; the README's worked example walks through a whole case (%s).",
			"\n마지막 힌트였습니다. README의 예제가 한 경우를 처음부터 끝까지 따라갑니다 (%s).", env.rel(e, readme(env.Lang)))
	}
	rec.Hint = max(rec.Hint, level)
	return st.Save(env.StatePath())
}

// readme is the exercise README a learner reads in lang.
func readme(lang i18n.Lang) string {
	if lang == i18n.KO {
		return "README.ko.md"
	}
	return "README.md"
}

// SolutionNote tells a learner who finished exercise e where to read a
// solution: the teaching version (the files of teaching/ in the exercise's
// folder), when the exercise has one, and the reference the specs are
// written against, which solution.go aliases.
func (env Env) SolutionNote(e catalog.Exercise) i18n.Text {
	ref := i18n.F("%s aliases the reference, %s/ (complete, and tuned for speed rather than for reading).",
		"%s는 참조 구현 %s/를 그대로 가져다 씁니다 (완전하지만 읽기보다 속도에 맞춰 다듬은 코드입니다).",
		env.rel(e, "solution.go"), e.Reference)
	var teaching []string
	entries, _ := os.ReadDir(filepath.Join(env.dir(e), "teaching"))
	for _, d := range entries {
		if !d.IsDir() && !strings.HasSuffix(d.Name(), "_test.go") {
			teaching = append(teaching, env.rel(e, "teaching/"+d.Name()))
		}
	}
	if len(teaching) == 0 {
		return i18n.Text{EN: "Compare with a solution: " + ref.EN, KO: "풀이와 비교해 보세요. " + ref.KO}
	}
	return i18n.Text{
		EN: fmt.Sprintf("Compare with a solution written to be read: %s\n%s", strings.Join(teaching, ", "), ref.EN),
		KO: fmt.Sprintf("읽기 쉽게 쓴 풀이와 비교해 보세요: %s\n%s", strings.Join(teaching, ", "), ref.KO),
	}
}

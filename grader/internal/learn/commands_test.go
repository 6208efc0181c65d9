package learn

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vmkata/vmkata/grader/internal/i18n"
)

func TestHintShowsOneLevelAtATimeAndRemembers(t *testing.T) {
	env, out := fakeKit(t, i18n.EN)
	e := fakePath[0]
	for i, want := range []string{"first", "second", "third", "third"} {
		before := len(out.String())
		if err := env.Hint(e, 0); err != nil {
			t.Fatalf("Hint #%d: %v", i+1, err)
		}
		got := out.String()[before:]
		mustContain(t, got, want, "Hint #"+string(rune('1'+i)))
	}
	if err := env.Hint(e, 2); err != nil {
		t.Fatal(err)
	}
	st, err := env.State()
	if err != nil {
		t.Fatal(err)
	}
	if got := st.Exercises[e.ID].Hint; got != Levels {
		t.Errorf("saved hint level after hints 1, 2, 3, 3 and 2 = %d, want %d", got, Levels)
	}
	if err := env.Hint(e, 4); err == nil {
		t.Error("Hint(level 4) = nil error, want one")
	}
}

func TestHintInKorean(t *testing.T) {
	env, out := fakeKit(t, i18n.KO)
	write(t, filepath.Join(env.dir(fakePath[1]), "HINTS.ko.md"), "## 힌트 1\n하나\n## 힌트 2\n둘\n## 힌트 3\n셋\n")
	if err := env.Hint(fakePath[1], 0); err != nil {
		t.Fatal(err)
	}
	mustContain(t, out.String(), "힌트 1/3 — 02-beta (exercises/02-beta/HINTS.ko.md)", "Korean hint header")
	mustContain(t, out.String(), "하나", "Korean hint")
	mustContain(t, out.String(), "다음 힌트: go run ./grader hint 02", "Korean hint footer")
}

func TestListAndProgressReadTheSavedGrades(t *testing.T) {
	env, out := fakeKit(t, i18n.EN)
	st, err := env.State()
	if err != nil {
		t.Fatal(err)
	}
	st.Record(result(fakePath[0], 3), time.Now())
	st.Of(fakePath[1].ID).Hint = 1
	if err := st.Save(env.StatePath()); err != nil {
		t.Fatal(err)
	}
	if err := env.List(); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(out.String(), "\n")
	if len(lines) < 3 {
		t.Fatalf("List printed %q, want a header and two rows", out.String())
	}
	mustContain(t, lines[1], "01-alpha", "List row 1")
	mustContain(t, lines[1], "3/3", "List row 1")
	mustContain(t, lines[1], "done", "List row 1")
	mustContain(t, lines[2], "→ 02-beta", "List row 2 (the current exercise)")
	mustContain(t, lines[2], "not graded", "List row 2")
	mustContain(t, lines[2], "1/3", "List row 2 (hints read)")
	mustContain(t, lines[2], "(after 01-alpha)", "List row 2")

	before := len(out.String())
	if err := env.Progress(); err != nil {
		t.Fatal(err)
	}
	got := out.String()[before:]
	mustContain(t, got, "Points: 3/5", "Progress")
	mustContain(t, got, "██████████░░░░░░░░░░ 1/2", "Progress bar")
	mustContain(t, got, "alpha", "Progress by topic")
	mustContain(t, got, "3/3 ██████████ 100%", "Progress by topic")
	mustContain(t, got, "1 exercise(s) not graded yet", "Progress")

	env.QuizProgress = filepath.Join(env.Root, "quiz.json")
	write(t, env.QuizProgress, `{"topics": {"tlb": {"asked": 4, "right": 3}}}`)
	before = len(out.String())
	if err := env.Progress(); err != nil {
		t.Fatal(err)
	}
	mustContain(t, out.String()[before:], "3/4", "Progress with the quiz's mastery")
}

func TestSolutionNoteNamesTheTeachingVersion(t *testing.T) {
	env, _ := fakeKit(t, i18n.EN)
	e := fakePath[0]
	note := env.SolutionNote(e)
	mustContain(t, note.EN, "exercises/01-alpha/solution.go aliases the reference, reference/alpha/", "without a teaching version")
	if strings.Contains(note.EN, "teaching") {
		t.Errorf("SolutionNote without a teaching/ folder = %q, names one", note.EN)
	}
	write(t, filepath.Join(env.dir(e), "teaching", "alpha.go"), "package teaching\n")
	note = env.SolutionNote(e)
	mustContain(t, note.EN, "written to be read: exercises/01-alpha/teaching/alpha.go", "with a teaching version")
	mustContain(t, note.KO, "읽기 쉽게 쓴 풀이", "with a teaching version, in Korean")
}

func TestBar(t *testing.T) {
	tests := []struct {
		part, whole, width int
		want               string
	}{
		{0, 12, 4, "░░░░"}, {6, 12, 4, "██░░"}, {12, 12, 4, "████"}, {13, 12, 4, "████"}, {0, 0, 3, "░░░"},
	}
	for _, tt := range tests {
		if got := Bar(tt.part, tt.whole, tt.width); got != tt.want {
			t.Errorf("Bar(%d, %d, %d) = %q, want %q", tt.part, tt.whole, tt.width, got, tt.want)
		}
	}
}

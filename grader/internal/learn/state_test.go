package learn

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/vmkata/vmkata/grader/internal/i18n"
)

func TestLoadStateMissingFileIsEmpty(t *testing.T) {
	st, note, err := LoadState(filepath.Join(t.TempDir(), "progress.json"), i18n.EN)
	if err != nil || note != "" || len(st.Exercises) != 0 {
		t.Errorf("LoadState(missing) = %v, %q, %v; want an empty state, no note, no error", st, note, err)
	}
}

func TestLoadStateSetsBadFilesAside(t *testing.T) {
	tests := []struct {
		name    string
		content string
		why     string
	}{
		{"not JSON", "{{{", "invalid character"},
		{"another program's JSON", `{"name": "my-app", "version": "1.0.0"}`, `its "kit" is ""`},
		{"impossible points", `{"kit": "vmkata progress", "exercises": {"04-tlb": {"points": 9, "max": 3}}}`, "9 of 3 points"},
		{"impossible hint level", `{"kit": "vmkata progress", "exercises": {"04-tlb": {"hint": 7}}}`, "hint level 7"},
		{"null record", `{"kit": "vmkata progress", "exercises": {"04-tlb": null}}`, "no record"},
	}
	for _, tt := range tests {
		for _, lang := range []i18n.Lang{i18n.EN, i18n.KO} {
			path := filepath.Join(t.TempDir(), "progress.json")
			write(t, path, tt.content)
			st, note, err := LoadState(path, lang)
			if err != nil {
				t.Fatalf("%s (%s): LoadState: %v", tt.name, lang, err)
			}
			if len(st.Exercises) != 0 {
				t.Errorf("%s (%s): LoadState kept %v, want an empty state", tt.name, lang, st.Exercises)
			}
			mustContain(t, note, tt.why, tt.name+": the note")
			mustContain(t, note, path+".bad", tt.name+": the note")
			if lang == i18n.KO {
				mustContain(t, note, "진행 기록이 아닙니다", tt.name+": the Korean note")
			}
			if got, err := os.ReadFile(path + ".bad"); err != nil || string(got) != tt.content {
				t.Errorf("%s (%s): %s.bad = %q, %v; want the bad file as it was", tt.name, lang, path, got, err)
			}
			if _, err := os.Stat(path); !os.IsNotExist(err) {
				t.Errorf("%s (%s): the bad file is still at %s (err %v)", tt.name, lang, path, err)
			}
			if err := st.Save(path); err != nil {
				t.Errorf("%s (%s): saving a fresh state over it: %v", tt.name, lang, err)
			}
		}
	}
}

func TestStateRecordSaveLoad(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "progress.json")
	st, _, err := LoadState(path, i18n.EN)
	if err != nil {
		t.Fatal(err)
	}
	st.Of("01-alpha").Hint = 2
	when := time.Date(2026, 12, 4, 20, 0, 0, 0, time.UTC)
	st.Record(result(fakePath[0], 3), when)
	st.Record(result(fakePath[1], 1), when)
	if err := st.Save(path); err != nil {
		t.Fatal(err)
	}
	got, note, err := LoadState(path, i18n.EN)
	if err != nil || note != "" {
		t.Fatalf("LoadState after Save = %q, %v", note, err)
	}
	a, b := got.Exercises["01-alpha"], got.Exercises["02-beta"]
	if a == nil || b == nil {
		t.Fatalf("LoadState after Save lost a record: %v", got.Exercises)
	}
	if !a.Done() || a.Hint != 2 || !a.Graded.Equal(when) || a.Topics["alpha"] != (Score{3, 3}) {
		t.Errorf("01-alpha after a round trip = %+v; want done, hint 2, graded at %v, alpha 3/3", *a, when)
	}
	if b.Done() || b.Points != 1 || b.Max != 2 || b.Topics["beta"] != (Score{1, 2}) {
		t.Errorf("02-beta after a round trip = %+v; want 1/2 points, beta 1/2, not done", *b)
	}
	if cur, ok := got.Current(fakePath); !ok || cur.ID != "02-beta" {
		t.Errorf("Current = %v, %v; want 02-beta", cur.ID, ok)
	}
	for id, want := range map[string]string{"01-alpha": "done", "02-beta": "in progress", "03-none": "not graded"} {
		if s := got.Status(id).EN; s != want {
			t.Errorf("Status(%q) = %q, want %q", id, s, want)
		}
	}
}

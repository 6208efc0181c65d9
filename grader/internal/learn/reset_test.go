package learn

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vmkata/vmkata/catalog"
	"github.com/vmkata/vmkata/grader/internal/i18n"
)

// tlbKit is a checkout holding exercise 04 with the learner's work in
// progress: an edited stub and a file of their own.
func tlbKit(t *testing.T) (Env, *syncBuffer, catalog.Exercise, []byte) {
	t.Helper()
	e, ok := catalog.Find("04")
	if !ok {
		t.Fatal("no exercise 04 in the catalog")
	}
	shipped, err := os.ReadFile(filepath.Join("..", "..", "..", filepath.FromSlash(e.Dir()), "tlb.go"))
	if err != nil {
		t.Fatal(err)
	}
	out := &syncBuffer{}
	env := Env{Root: t.TempDir(), Path: catalog.Exercises, Lang: i18n.EN, Out: out}
	dir := env.dir(e)
	write(t, filepath.Join(dir, "tlb.go"), string(shipped)+"\n// my work\n")
	write(t, filepath.Join(dir, "helpers.go"), "package tlb\n\n// mine\n")
	write(t, filepath.Join(dir, "tlb_test.go"), "package tlb\n")
	write(t, filepath.Join(dir, "solution.go"), "package tlb\n")
	return env, out, e, shipped
}

func TestResetRestoresTheStubByteForByteAndKeepsABackup(t *testing.T) {
	env, out, e, shipped := tlbKit(t)
	st, err := env.State()
	if err != nil {
		t.Fatal(err)
	}
	st.Record(result(fakePath[0], 3), time.Now())
	st.Of(e.ID).Hint = 2
	st.Of(e.ID).Points, st.Of(e.ID).Max = 10, 56
	if err := st.Save(env.StatePath()); err != nil {
		t.Fatal(err)
	}
	if err := env.Reset(e, Confirm{Yes: true}); err != nil {
		t.Fatalf("Reset(--yes): %v", err)
	}
	dir := env.dir(e)
	if got, err := os.ReadFile(filepath.Join(dir, "tlb.go")); err != nil || !bytes.Equal(got, shipped) {
		t.Errorf("tlb.go after Reset differs from the shipped stub (err %v)", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "helpers.go")); !os.IsNotExist(err) {
		t.Errorf("helpers.go after Reset: %v, want it gone", err)
	}
	for _, kept := range []string{"tlb_test.go", "solution.go"} {
		if _, err := os.Stat(filepath.Join(dir, kept)); err != nil {
			t.Errorf("%s after Reset: %v, want it left alone", kept, err)
		}
	}
	backups, err := filepath.Glob(filepath.Join(env.Root, filepath.FromSlash(BackupDir), e.ID+"-*"))
	if err != nil || len(backups) != 1 {
		t.Fatalf("backups = %v, %v; want one folder", backups, err)
	}
	for name, want := range map[string]string{"tlb.go": string(shipped) + "\n// my work\n", "helpers.go": "package tlb\n\n// mine\n"} {
		if got, err := os.ReadFile(filepath.Join(backups[0], name)); err != nil || string(got) != want {
			t.Errorf("backup of %s = %q, %v; want the learner's file", name, got, err)
		}
	}
	mustContain(t, out.String(), backups[0], "Reset's message names the backup")
	st, err = env.State()
	if err != nil {
		t.Fatal(err)
	}
	if rec := st.Exercises[e.ID]; rec.Max != 0 || rec.Hint != 2 {
		t.Errorf("saved record of %s after Reset = %+v; want the grade dropped and hint 2 kept", e.ID, *rec)
	}
	if !st.Exercises[fakePath[0].ID].Done() {
		t.Error("Reset dropped another exercise's grade")
	}

	before := len(out.String())
	if err := env.Reset(e, Confirm{Yes: true}); err != nil {
		t.Fatal(err)
	}
	mustContain(t, out.String()[before:], "already as shipped", "a second Reset")
	if again, _ := filepath.Glob(filepath.Join(env.Root, filepath.FromSlash(BackupDir), "*")); len(again) != 1 {
		t.Errorf("a Reset with nothing to do made a backup: %v", again)
	}
}

func TestResetAsksFirst(t *testing.T) {
	tests := []struct {
		name    string
		confirm Confirm
		wantErr error
		reset   bool
	}{
		{"not interactive, no --yes", Confirm{In: strings.NewReader("y\n")}, ErrNotInteractive, false},
		{"answered no", Confirm{Interactive: true, In: strings.NewReader("n\n")}, nil, false},
		{"no answer", Confirm{Interactive: true, In: strings.NewReader("")}, nil, false},
		{"answered yes", Confirm{Interactive: true, In: strings.NewReader("y\n")}, nil, true},
		{"answered 네", Confirm{Interactive: true, In: strings.NewReader("네\n")}, nil, true},
	}
	for _, tt := range tests {
		env, out, e, shipped := tlbKit(t)
		err := env.Reset(e, tt.confirm)
		if !errors.Is(err, tt.wantErr) {
			t.Errorf("%s: Reset = %v, want %v", tt.name, err, tt.wantErr)
		}
		got, _ := os.ReadFile(filepath.Join(env.dir(e), "tlb.go"))
		if reset := bytes.Equal(got, shipped); reset != tt.reset {
			t.Errorf("%s: tlb.go reset = %v, want %v", tt.name, reset, tt.reset)
		}
		mustContain(t, out.String(), "restore exercises/04-tlb/tlb.go", tt.name+": the list of changes")
		mustContain(t, out.String(), "remove  exercises/04-tlb/helpers.go", tt.name+": the list of changes")
		if _, err := os.Stat(filepath.Join(env.Root, filepath.FromSlash(BackupDir))); tt.reset != (err == nil) {
			t.Errorf("%s: backup folder: %v; want one exactly when reset", tt.name, err)
		}
	}
}

func TestResetRefusesInTheLearnersLanguage(t *testing.T) {
	env, out, e, _ := tlbKit(t)
	env.Lang = i18n.KO
	err := env.Reset(e, Confirm{In: strings.NewReader("")})
	if !errors.Is(err, ErrNotInteractive) {
		t.Fatalf("Reset(Korean, not interactive) = %v, want ErrNotInteractive", err)
	}
	mustContain(t, err.Error(), "터미널이 아니라서", "the Korean refusal")
	mustContain(t, out.String(), "되돌림 exercises/04-tlb/tlb.go", "the Korean list of changes")
}

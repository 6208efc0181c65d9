package learn

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/vmkata/vmkata/catalog"
	"github.com/vmkata/vmkata/grader/internal/i18n"
	"github.com/vmkata/vmkata/grader/internal/stubs"
)

// BackupDir is where Reset keeps the files it replaces, relative to the
// root: one folder per reset, named for the exercise and the time.
const BackupDir = ".vmkata/backup"

// Confirm is how Reset asks before it changes anything.
type Confirm struct {
	Yes         bool      // asked and answered on the command line (--yes)
	Interactive bool      // In is a terminal a person answers at
	In          io.Reader // the answer: a line starting with y (or 예, 네) is yes
}

// ErrNotInteractive is returned (wrapped, in the Env's language) by Reset
// when it would have to ask, but no one can answer.
var ErrNotInteractive = errors.New("standard input is not a terminal: add --yes to reset without being asked (your files are backed up first)")

// notInteractive is ErrNotInteractive in Korean.
var notInteractive = i18n.Text{EN: ErrNotInteractive.Error(),
	KO: "표준 입력이 터미널이 아니라서 물어볼 수 없습니다. 묻지 않고 되돌리려면 --yes를 붙이세요 (지금 파일은 먼저 백업합니다)"}

// langError is an error whose text is in the learner's language.
type langError struct {
	msg string
	err error
}

func (e langError) Error() string { return e.msg }
func (e langError) Unwrap() error { return e.err }

// Reset puts exercise e's folder back as shipped: every stub file restored
// byte for byte from the copy built into the grader, and every other
// learner file (a non-test .go file the kit does not ship, not
// solution.go) removed. Before changing anything it lists what will
// change and asks, unless c.Yes; it refuses when it would have to ask and
// c is not interactive. Every file changed or removed is first copied to a
// new folder under BackupDir, which it names. A folder already as shipped
// is left alone. The saved grade of the exercise is dropped; its hints
// read are kept.
func (env Env) Reset(e catalog.Exercise, c Confirm) error {
	shipped, err := stubs.Files(e.ID)
	if err != nil {
		return err
	}
	dir := env.dir(e)
	changed, extra, err := differences(dir, shipped)
	if err != nil {
		return err
	}
	if len(changed)+len(extra) == 0 {
		env.sayf("%s is already as shipped; nothing to reset.", "%s는 이미 처음 상태입니다. 되돌릴 것이 없습니다.", e.Dir())
		return nil
	}
	for _, name := range changed {
		env.sayf("  restore %s", "  되돌림 %s", env.rel(e, name))
	}
	for _, name := range extra {
		env.sayf("  remove  %s", "  치움   %s", env.rel(e, name))
	}
	backup := filepath.Join(env.Root, filepath.FromSlash(BackupDir), e.ID+"-"+time.Now().Format("20060102-150405"))
	if !c.Yes {
		if !c.Interactive {
			return langError{notInteractive.In(env.Lang), ErrNotInteractive}
		}
		fmt.Fprint(env.Out, i18n.F("Your current files will be kept in %s. Reset %s? [y/N] ",
			"지금 파일은 %s에 보관됩니다. %s를 처음 상태로 되돌릴까요? [y/N] ", backup, e.ID).In(env.Lang))
		answer, _ := bufio.NewReader(c.In).ReadString('\n')
		if !yes(answer) {
			env.say(i18n.Text{EN: "Nothing changed.", KO: "아무것도 바꾸지 않았습니다."})
			return nil
		}
	}
	if err := os.MkdirAll(backup, 0o755); err != nil {
		return err
	}
	for _, name := range slices.Concat(changed, extra) {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if errors.Is(err, os.ErrNotExist) {
			continue // a stub the learner deleted: nothing to keep
		}
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(backup, name), data, 0o644); err != nil {
			return fmt.Errorf("keeping a copy of %s: %w (nothing was changed)", name, err)
		}
	}
	for _, name := range changed {
		if err := os.WriteFile(filepath.Join(dir, name), shipped[name], 0o644); err != nil {
			return err
		}
	}
	for _, name := range extra {
		if err := os.Remove(filepath.Join(dir, name)); err != nil {
			return err
		}
	}
	st, err := env.State()
	if err != nil {
		return err
	}
	if rec := st.Exercises[e.ID]; rec != nil {
		*rec = Exercise{Hint: rec.Hint}
		if err := st.Save(env.StatePath()); err != nil {
			return err
		}
	}
	env.sayf("%s is as shipped again; your files are in %s.", "%s를 처음 상태로 되돌렸습니다. 이전 파일은 %s에 있습니다.", e.Dir(), backup)
	return nil
}

// differences lists the stub files of dir that differ from shipped (or are
// missing) and the learner files there that shipped lacks, each sorted.
func differences(dir string, shipped map[string][]byte) (changed, extra []string, err error) {
	for name, want := range shipped {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return nil, nil, err
		}
		if err != nil || !bytes.Equal(got, want) {
			changed = append(changed, name)
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil, err
	}
	for _, d := range entries {
		name := d.Name()
		if _, ok := shipped[name]; ok || d.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") || name == "solution.go" {
			continue
		}
		extra = append(extra, name)
	}
	slices.Sort(changed)
	return changed, extra, nil
}

// yes reports whether a reply to a yes/no question says yes.
func yes(reply string) bool {
	r := strings.ToLower(strings.TrimSpace(reply))
	return strings.HasPrefix(r, "y") || r == "예" || r == "네"
}

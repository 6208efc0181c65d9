// Package learn is the learner's side of the grader: the saved progress,
// the hints, the restoring of a stub, and the watch loop that grades the
// current exercise on every save.
package learn

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/vmkata/vmkata/catalog"
	"github.com/vmkata/vmkata/grader/internal/i18n"
	"github.com/vmkata/vmkata/grader/internal/run"
)

// StateFile is where a checkout keeps the learner's progress, relative to
// its root; the folder is git-ignored.
const StateFile = ".vmkata/progress.json"

// kitMark tells the kit's state file from any other JSON file.
const kitMark = "vmkata progress"

// State is the learner's saved progress: the last grade and the hints read
// of each exercise, by exercise ID. The zero value is a learner who has
// done nothing yet.
type State struct {
	Kit       string               `json:"kit"` // always kitMark
	Exercises map[string]*Exercise `json:"exercises"`
}

// Exercise is the saved progress of one exercise.
type Exercise struct {
	// Points and Max are the last grade; Max is 0 when it was never graded.
	// Invariant: 0 <= Points <= Max.
	Points int       `json:"points"`
	Max    int       `json:"max"`
	Graded time.Time `json:"graded,omitzero"`
	// Topics splits the last grade by the specs' topic labels.
	Topics map[string]Score `json:"topics,omitempty"`
	// Hint is the highest hint level shown, 0 to Levels.
	Hint int `json:"hint,omitempty"`
}

// Score is points earned out of points available.
type Score struct {
	Points int `json:"points"`
	Max    int `json:"max"`
}

// Done reports whether the last grade earned every point.
func (e *Exercise) Done() bool { return e != nil && e.Max > 0 && e.Points == e.Max }

// LoadState reads the state file at path. A file that does not exist is an
// empty state. A file that is not the kit's state (not JSON, another
// program's JSON, impossible values) is moved aside to path+".bad" and an
// empty state is returned with a note saying so, in lang: the learner's
// progress never stops a command. Only a file that cannot be read or moved
// is an error.
func LoadState(path string, lang i18n.Lang) (st *State, note string, err error) {
	st = &State{Kit: kitMark, Exercises: map[string]*Exercise{}}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return st, "", nil
	}
	if err != nil {
		return nil, "", err
	}
	var got State
	why := ""
	if err := json.Unmarshal(data, &got); err != nil {
		why = err.Error()
	} else if got.Kit != kitMark {
		why = fmt.Sprintf("its \"kit\" is %q, not %q", got.Kit, kitMark)
	} else {
		why = got.check()
	}
	if why == "" {
		if got.Exercises != nil {
			st.Exercises = got.Exercises
		}
		return st, "", nil
	}
	if err := os.Rename(path, path+".bad"); err != nil {
		return nil, "", fmt.Errorf("%s is not a vmkata progress file (%s), and could not be moved aside: %w", path, why, err)
	}
	note = i18n.F("%s is not a vmkata progress file (%s): kept as %s.bad, starting with no saved progress.",
		"%s 파일은 vmkata 진행 기록이 아닙니다 (%s). %s.bad로 옮겨 두고 빈 기록으로 시작합니다.", path, why, path).In(lang)
	return st, note, nil
}

// check returns what is impossible in s, or "".
func (s *State) check() string {
	for id, e := range s.Exercises {
		switch {
		case e == nil:
			return fmt.Sprintf("exercise %q has no record", id)
		case e.Points < 0 || e.Max < 0 || e.Points > e.Max:
			return fmt.Sprintf("exercise %q: %d of %d points is impossible", id, e.Points, e.Max)
		case e.Hint < 0 || e.Hint > Levels:
			return fmt.Sprintf("exercise %q: hint level %d is not 0 to %d", id, e.Hint, Levels)
		}
	}
	return ""
}

// Save writes s to path, creating its folder; the file is replaced whole
// (written beside it, then renamed), so a crash never leaves half of it.
func (s *State) Save(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	data, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, append(data, '\n'), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// Of returns the record of exercise id, creating an empty one.
func (s *State) Of(id string) *Exercise {
	e := s.Exercises[id]
	if e == nil {
		e = &Exercise{}
		s.Exercises[id] = e
	}
	return e
}

// Record keeps r as the last grade of its exercise; the hints read stay.
func (s *State) Record(r run.Result, when time.Time) {
	e := s.Of(r.Exercise.ID)
	e.Points, e.Max, e.Graded = r.Points, r.MaxPoints, when
	e.Topics = map[string]Score{}
	for _, sp := range r.Specs {
		for _, l := range sp.Labels {
			if t, ok := strings.CutPrefix(l, "topic:"); ok {
				sc := e.Topics[t]
				sc.Max += sp.Points
				if sp.Passed() {
					sc.Points += sp.Points
				}
				e.Topics[t] = sc
			}
		}
	}
}

// Current returns the first exercise of path whose last grade is not
// complete, or false when every one is done.
func (s *State) Current(path []catalog.Exercise) (catalog.Exercise, bool) {
	for _, e := range path {
		if !s.Exercises[e.ID].Done() {
			return e, true
		}
	}
	return catalog.Exercise{}, false
}

// Status names the state of exercise id for people: done, in progress, to
// do (graded, no point yet) or not graded.
func (s *State) Status(id string) i18n.Text {
	e := s.Exercises[id]
	switch {
	case e.Done():
		return i18n.Text{EN: "done", KO: "완료"}
	case e == nil || e.Graded.IsZero():
		return i18n.Text{EN: "not graded", KO: "채점 전"}
	case e.Points > 0:
		return i18n.Text{EN: "in progress", KO: "진행 중"}
	}
	return i18n.Text{EN: "to do", KO: "시작 전"}
}

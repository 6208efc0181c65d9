package quiz

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Progress is what the quiz keeps between sessions: per topic, how many
// items were answered and how many of them right. The zero value is no
// history.
type Progress struct {
	Topics map[string]Tally `json:"topics"`
}

// Tally counts one topic's answers over all sessions.
type Tally struct {
	Asked int `json:"asked"`
	Right int `json:"right"`
}

// DefaultProgressPath is where the progress file lives unless --progress
// says otherwise: vmkata/quiz-progress.json in the user's configuration
// directory, or "" (no progress kept) if there is none.
func DefaultProgressPath() string {
	dir, err := os.UserConfigDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "vmkata", "quiz-progress.json")
}

// LoadProgress reads the progress file at path; a file that does not exist
// yet is an empty history.
func LoadProgress(path string) (Progress, error) {
	var p Progress
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return p, nil
	}
	if err != nil {
		return p, err
	}
	if err := json.Unmarshal(b, &p); err != nil {
		return p, fmt.Errorf("%s: not a quiz progress file: %v", path, err)
	}
	for t, n := range p.Topics {
		if n.Asked < 0 || n.Right < 0 || n.Right > n.Asked {
			return p, fmt.Errorf("%s: topic %q: %d right of %d asked is impossible", path, t, n.Right, n.Asked)
		}
	}
	return p, nil
}

// Add counts a session's summary in.
func (p *Progress) Add(s Summary) {
	if p.Topics == nil {
		p.Topics = map[string]Tally{}
	}
	for _, sc := range s {
		t := p.Topics[sc.Topic]
		t.Asked += sc.Asked
		t.Right += sc.Right
		p.Topics[sc.Topic] = t
	}
}

// Save writes p to path, creating its directory; the file is replaced
// whole (written beside it, then renamed), so a crash never leaves half of it.
func (p Progress) Save(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	b, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, append(b, '\n'), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// Weights says how often Draw should pick each topic: a topic never
// answered, or answered mostly wrong, comes up to four times as often as one
// always answered right. Topics not in the history weigh as if never
// answered, except the concept items' selector, which weighs 1 (its items
// are scored under their own topics).
func (p Progress) Weights() map[string]float64 {
	w := map[string]float64{}
	for _, g := range generators {
		if g.Kind != conceptGen.Kind {
			w[g.Topics[0]] = 4
		}
	}
	for t, n := range p.Topics {
		if n.Asked > 0 {
			w[t] = 1 + 3*float64(n.Asked-n.Right)/float64(n.Asked)
		}
	}
	return w
}

// bar draws right out of asked as ten cells.
func bar(right, asked int) string {
	const width = 10
	filled := 0
	if asked > 0 {
		filled = right * width / asked
	}
	return strings.Repeat("█", filled) + strings.Repeat("░", width-filled)
}

// PrintMastery prints the history as a table, one row and bar per topic,
// weakest first.
func PrintMastery(w io.Writer, p Progress, lang Lang) error {
	ew := &errWriter{w: w}
	if len(p.Topics) == 0 {
		ew.println(Text{EN: "No answers recorded yet: run go run ./grader quiz first.", KO: "아직 기록된 답이 없습니다. 먼저 go run ./grader quiz를 실행하세요."}.In(lang))
		return ew.err
	}
	topics := make([]string, 0, len(p.Topics))
	for t := range p.Topics {
		topics = append(topics, t)
	}
	share := func(t string) float64 { n := p.Topics[t]; return float64(n.Right) / float64(max(n.Asked, 1)) }
	slices.SortFunc(topics, func(a, b string) int {
		if d := share(a) - share(b); d != 0 {
			if d < 0 {
				return -1
			}
			return 1
		}
		return strings.Compare(a, b)
	})
	ew.println(Text{EN: "Mastery by topic (all sessions):", KO: "주제별 숙련도 (지금까지의 모든 세션):"}.In(lang))
	for _, t := range topics {
		n := p.Topics[t]
		ew.printf("  %4d/%-4d %s %3.0f%%  %s\n", n.Right, n.Asked, bar(n.Right, n.Asked), 100*share(t), t)
	}
	return ew.err
}

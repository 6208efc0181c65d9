package learn

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/vmkata/vmkata/catalog"
	"github.com/vmkata/vmkata/grader/internal/i18n"
)

// TestShippedHintsParse reads every hints file the kit ships, English and
// Korean.
func TestShippedHintsParse(t *testing.T) {
	for _, e := range catalog.Exercises {
		for _, name := range []string{"HINTS.md", "HINTS.ko.md"} {
			path := filepath.Join("..", "..", "..", filepath.FromSlash(e.Dir()), name)
			data, err := os.ReadFile(path)
			if os.IsNotExist(err) && name == "HINTS.ko.md" {
				continue
			}
			if err != nil {
				t.Errorf("%s: %v", path, err)
				continue
			}
			if _, err := ParseHints(data); err != nil {
				t.Errorf("ParseHints(%s): %v", path, err)
			}
		}
	}
}

func TestParseHints(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    [Levels]string // when err is ""
		wantErr string
	}{
		{name: "English", in: hintsFile, want: [Levels]string{"first", "second", "third"}},
		{name: "Korean headings with titles",
			in:   "# 힌트\n\n## 힌트 1 — 집합\n하나\n## 힌트 2\r\n둘\r\n## 힌트 3: 개요\n셋\n",
			want: [Levels]string{"하나", "둘", "셋"}},
		{name: "a heading in a code block is text",
			in:   "## Hint 1\n```\n## Hint 2\n```\n## Hint 2\nb\n## Hint 3\nc\n",
			want: [Levels]string{"```\n## Hint 2\n```", "b", "c"}},
		{name: "no hints", in: "# Hints\n\nNothing yet.\n", wantErr: "has 0 of 3 hints"},
		{name: "missing the last", in: "## Hint 1\na\n## Hint 2\nb\n", wantErr: "has 2 of 3 hints"},
		{name: "out of order", in: "## Hint 1\na\n## Hint 3\nc\n## Hint 2\nb\n", wantErr: `line 3: "## Hint 3": want hint 2`},
		{name: "a fourth", in: hintsFile + "## Hint 4\nd\n", wantErr: "want hint 4 (hints 1 to 3"},
		{name: "empty", in: "## Hint 1\na\n## Hint 2\n\n## Hint 3\nc\n", wantErr: "hint 2 is empty"},
		{name: "another section after the hints", in: hintsFile + "## See also\nx\n", wantErr: `"## See also": after the first hint`},
	}
	for _, tt := range tests {
		got, err := ParseHints([]byte(tt.in))
		if tt.wantErr != "" {
			if err == nil {
				t.Errorf("%s: ParseHints = %q, nil; want an error containing %q", tt.name, got, tt.wantErr)
			} else {
				mustContain(t, err.Error(), tt.wantErr, tt.name+": ParseHints error")
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("%s: ParseHints = %q, %v; want %q", tt.name, got, err, tt.want)
		}
	}
}

func TestLoadHintsPicksTheLanguage(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "HINTS.md"), hintsFile)
	if h, file, err := LoadHints(dir, i18n.KO); err != nil || file != "HINTS.md" || h[0] != "first" {
		t.Errorf("LoadHints(Korean, no HINTS.ko.md) = %q, %q, %v; want HINTS.md's", h[0], file, err)
	}
	write(t, filepath.Join(dir, "HINTS.ko.md"), "## 힌트 1\n하나\n## 힌트 2\n둘\n## 힌트 3\n셋\n")
	if h, file, err := LoadHints(dir, i18n.KO); err != nil || file != "HINTS.ko.md" || h[0] != "하나" {
		t.Errorf("LoadHints(Korean) = %q, %q, %v; want HINTS.ko.md's", h[0], file, err)
	}
	if h, file, err := LoadHints(dir, i18n.EN); err != nil || file != "HINTS.md" || h[0] != "first" {
		t.Errorf("LoadHints(English) = %q, %q, %v; want HINTS.md's", h[0], file, err)
	}
	write(t, filepath.Join(dir, "HINTS.ko.md"), "## 힌트 1\n하나\n")
	if _, _, err := LoadHints(dir, i18n.KO); err == nil {
		t.Error("LoadHints(Korean, a HINTS.ko.md of one hint) = nil error, want one naming the file")
	} else {
		mustContain(t, err.Error(), "HINTS.ko.md", "LoadHints error")
	}
	if _, _, err := LoadHints(t.TempDir(), i18n.EN); err == nil {
		t.Error("LoadHints(a folder without hints) = nil error, want one")
	}
}

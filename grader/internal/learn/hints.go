package learn

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/vmkata/vmkata/grader/internal/i18n"
)

// Levels is how many hints every exercise gives, from a nudge (1) to an
// outline of the solution (3).
const Levels = 3

// hintHeading matches the heading that opens hint N: "## Hint N", or
// "## 힌트 N" in a Korean file, optionally followed by a title.
var hintHeading = regexp.MustCompile(`^##\s+(?:Hint|힌트)\s+([0-9]+)\b`)

// ParseHints splits a hints file into its levels. The file is Markdown: a
// title and any introduction, then one second-level heading per hint,
// "## Hint 1" to "## Hint 3" in order ("## 힌트 1" … in Korean), each
// followed by its text. Headings inside code blocks do not count; another
// second-level heading after the first hint, a missing, repeated or
// out-of-order level, or an empty hint is an error naming the line.
func ParseHints(data []byte) ([Levels]string, error) {
	var (
		hints   [Levels]string
		bodies  [Levels]strings.Builder
		level   = 0 // the hint being read, 1-based; 0 before the first
		inFence = false
	)
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimRight(sc.Text(), "\r")
		if strings.HasPrefix(strings.TrimSpace(line), "```") {
			inFence = !inFence
		}
		if !inFence && strings.HasPrefix(line, "## ") {
			m := hintHeading.FindStringSubmatch(line)
			if m == nil {
				if level > 0 {
					return hints, fmt.Errorf("line %d: %q: after the first hint, every second-level heading must be \"## Hint N\"", n, line)
				}
				continue
			}
			got, _ := strconv.Atoi(m[1])
			if got != level+1 || got > Levels {
				return hints, fmt.Errorf("line %d: %q: want hint %d (hints 1 to %d, in order)", n, line, level+1, Levels)
			}
			level = got
			continue
		}
		if level > 0 {
			bodies[level-1].WriteString(line)
			bodies[level-1].WriteByte('\n')
		}
	}
	if err := sc.Err(); err != nil {
		return hints, err
	}
	if level < Levels {
		return hints, fmt.Errorf("has %d of %d hints (want headings \"## Hint 1\" to \"## Hint %d\")", level, Levels, Levels)
	}
	for i := range hints {
		if hints[i] = strings.TrimSpace(bodies[i].String()); hints[i] == "" {
			return hints, fmt.Errorf("hint %d is empty", i+1)
		}
	}
	return hints, nil
}

// LoadHints reads the hints of the exercise in folder dir: HINTS.ko.md when
// lang is Korean and the file exists, else HINTS.md. It returns the file
// read, relative to dir.
func LoadHints(dir string, lang i18n.Lang) (hints [Levels]string, file string, err error) {
	names := []string{"HINTS.md"}
	if lang == i18n.KO {
		names = []string{"HINTS.ko.md", "HINTS.md"}
	}
	for _, name := range names {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return hints, name, err
		}
		hints, err = ParseHints(data)
		if err != nil {
			return hints, name, fmt.Errorf("%s: %w", filepath.Join(dir, name), err)
		}
		return hints, name, nil
	}
	return hints, "", fmt.Errorf("%s has no HINTS.md", dir)
}

package catalog

import (
	"bufio"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
)

// Mutant is a classic wrong implementation of an exercise: the reference
// with a small, deliberate bug. The self-check swaps each mutant in for the
// exercise's stub and requires at least one spec to fail; a mutant that
// survives shows a hole in the specs.
//
// A mutant is stored as a text file, mutants/<exercise>/<name>.mutant:
//
//	# One or more comment lines: the bug, in words.
//	file: tlb.go
//	--- old
//	<lines of the reference file, exactly as they are>
//	+++ new
//	<the lines that replace them>
//
// A file may hold several hunks ("file:" may be repeated or omitted to stay
// in the same file). Blank lines at the end of a new block are dropped; blank
// lines at the end of an old block are part of the text to find (so a hunk
// can delete a whole line with its newline). Each old text must occur exactly once in its file, so
// a mutant cannot silently stop applying when the reference changes.
type Mutant struct {
	Exercise string // exercise ID
	Name     string // file name without .mutant
	Why      string // the comment lines: what bug this is
	Hunks    []Hunk
}

// Hunk replaces one exact text in one file of the reference package.
type Hunk struct {
	File string // file name inside the reference package
	Old  string
	New  string
}

//go:embed mutants
var mutantFS embed.FS

// Mutants returns the mutants of exercise id, sorted by name.
func Mutants(id string) ([]Mutant, error) {
	dir := path.Join("mutants", id)
	entries, err := fs.ReadDir(mutantFS, dir)
	if err != nil {
		return nil, nil // no folder: no mutants
	}
	var out []Mutant
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".mutant") {
			continue
		}
		data, err := fs.ReadFile(mutantFS, path.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		m, err := ParseMutant(id, strings.TrimSuffix(e.Name(), ".mutant"), string(data))
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// ParseMutant reads a mutant in the format described on Mutant. Errors name
// the mutant and the line.
func ParseMutant(exercise, name, text string) (Mutant, error) {
	m := Mutant{Exercise: exercise, Name: name}
	where := func(line int) string { return fmt.Sprintf("mutant %s/%s line %d", exercise, name, line) }
	var (
		file  string
		state = "head" // head, old, new
		cur   Hunk
		old   []string
		nw    []string
		why   []string
	)
	flush := func() {
		if state == "new" {
			cur.Old = strings.Join(old, "\n")
			// Blank lines closing a new block are layout between hunks.
			cur.New = strings.TrimRight(strings.Join(nw, "\n"), "\n")
			m.Hunks = append(m.Hunks, cur)
		}
		old, nw = nil, nil
	}
	sc := bufio.NewScanner(strings.NewReader(text))
	n := 0
	for sc.Scan() {
		n++
		line := sc.Text()
		switch {
		case state == "head" && strings.HasPrefix(line, "#"):
			why = append(why, strings.TrimSpace(strings.TrimPrefix(line, "#")))
		case strings.HasPrefix(line, "file:") && state != "old":
			flush()
			file = strings.TrimSpace(strings.TrimPrefix(line, "file:"))
			state = "file"
		case line == "--- old":
			if file == "" {
				return Mutant{}, fmt.Errorf("%s: \"--- old\" before any \"file:\" line", where(n))
			}
			if state == "old" {
				return Mutant{}, fmt.Errorf("%s: \"--- old\" inside an old block; expected \"+++ new\"", where(n))
			}
			flush()
			cur = Hunk{File: file}
			state = "old"
		case line == "+++ new":
			if state != "old" {
				return Mutant{}, fmt.Errorf("%s: \"+++ new\" without a preceding \"--- old\"", where(n))
			}
			state = "new"
		case state == "old":
			old = append(old, line)
		case state == "new":
			nw = append(nw, line)
		case strings.TrimSpace(line) == "":
		default:
			return Mutant{}, fmt.Errorf("%s: unexpected %q; expected a comment, \"file:\", \"--- old\" or \"+++ new\"", where(n), line)
		}
	}
	if state == "old" {
		return Mutant{}, fmt.Errorf("%s: file ends inside an old block; expected \"+++ new\"", where(n))
	}
	flush()
	m.Why = strings.Join(why, " ")
	if len(m.Hunks) == 0 {
		return Mutant{}, fmt.Errorf("mutant %s/%s: no hunks", exercise, name)
	}
	if m.Why == "" {
		return Mutant{}, fmt.Errorf("mutant %s/%s: no comment saying what bug it models", exercise, name)
	}
	return m, nil
}

// Apply returns the reference files with the mutant's hunks applied. files
// maps a file name to its content; only changed files are returned. It
// fails if an old text is missing or occurs more than once.
func (m Mutant) Apply(files map[string]string) (map[string]string, error) {
	out := map[string]string{}
	for i, h := range m.Hunks {
		src, ok := out[h.File]
		if !ok {
			src, ok = files[h.File]
		}
		if !ok {
			return nil, fmt.Errorf("mutant %s/%s hunk %d: no file %q in the reference package", m.Exercise, m.Name, i+1, h.File)
		}
		if c := strings.Count(src, h.Old); c != 1 {
			return nil, fmt.Errorf("mutant %s/%s hunk %d: the old text occurs %d times in %s, want exactly once", m.Exercise, m.Name, i+1, c, h.File)
		}
		out[h.File] = strings.Replace(src, h.Old, h.New, 1)
	}
	return out, nil
}

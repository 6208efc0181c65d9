package catalog

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// learnerDocs returns the kit's learner-facing documents, relative to root:
// the top-level READMEs, docs/, every file of an exercise folder but its Go
// code, and the example scripts.
func learnerDocs(t *testing.T, root string) []string {
	t.Helper()
	var docs []string
	for _, pattern := range []string{"README*.md", "docs/*.md", "exercises/*/*.md", "exercises/*/teaching/*.md", "examples/*.vms"} {
		m, err := filepath.Glob(filepath.Join(root, pattern))
		require.NoError(t, err)
		for _, p := range m {
			rel, err := filepath.Rel(root, p)
			require.NoError(t, err)
			docs = append(docs, filepath.ToSlash(rel))
		}
	}
	require.NotEmpty(t, docs)
	return docs
}

func kitRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs("..")
	require.NoError(t, err)
	return root
}

func read(t *testing.T, root, rel string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(rel)))
	require.NoError(t, err)
	return string(data)
}

var headingRE = regexp.MustCompile(`(?m)^## (.*)$`)

// TestHints checks that every exercise has hints in English and Korean with
// the same headings, "Hint 1" to "Hint 3", so that a program can show
// either one level at a time.
func TestHints(t *testing.T) {
	root := kitRoot(t)
	want := []string{"Hint 1", "Hint 2", "Hint 3"}
	for _, e := range Exercises {
		for _, name := range []string{"HINTS.md", "HINTS.ko.md"} {
			rel := e.Dir() + "/" + name
			data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(rel)))
			if !assert.NoError(t, err, "%s: every exercise has %s", e.ID, name) {
				continue
			}
			var got []string
			for _, m := range headingRE.FindAllStringSubmatch(string(data), -1) {
				got = append(got, strings.TrimSpace(m[1]))
			}
			assert.Equal(t, want, got, "%s: its level-2 headings", rel)
		}
	}
}

// seedRE matches a line that speaks of a seed: a random one, or the study
// notes the kit covers under a name that means nothing to a learner.
var seedRE = regexp.MustCompile(`(?i)seed|시드`)

// randomSeedRE matches a line that speaks of a random seed (rapid's, the
// grader's, the quiz's, a trace generator's), which learners do meet.
var randomSeedRE = regexp.MustCompile(`(?i)rapid|random seed|--seed|seeds? [0-9N]|seeded|무작위 시드|시드 ?[0-9N]`)

// TestNoInternalNames checks that learner docs never call the study notes
// "the seed": the only seed a learner meets is a random one.
func TestNoInternalNames(t *testing.T) {
	root := kitRoot(t)
	for _, rel := range learnerDocs(t, root) {
		for i, line := range strings.Split(read(t, root, rel), "\n") {
			if seedRE.MatchString(line) && !randomSeedRE.MatchString(line) {
				t.Errorf("%s:%d: %q speaks of a seed that is not a random seed; name what it refers to (the study notes)", rel, i+1, line)
			}
		}
	}
}

var avoidRowRE = regexp.MustCompile(`(?m)^\| ([^|]+?) \| ([^|]+?) \|$`)

// avoided reads the glossary's table of spellings the kit avoids.
func avoided(t *testing.T, root string) map[string]string {
	t.Helper()
	glossary := read(t, root, "docs/glossary.md")
	_, table, ok := strings.Cut(glossary, "## Spellings the kit avoids")
	require.True(t, ok, "docs/glossary.md has a section \"Spellings the kit avoids\"")
	out := map[string]string{}
	for _, m := range avoidRowRE.FindAllStringSubmatch(table, -1) {
		if strings.HasPrefix(m[1], "avoid") || strings.HasPrefix(m[1], "-") {
			continue
		}
		out[m[1]] = m[2]
	}
	require.NotEmpty(t, out, "the glossary lists the spellings to avoid")
	return out
}

// TestTermsAreConsistent checks that learner docs use the glossary's word
// for each thing, never a spelling it lists as avoided.
func TestTermsAreConsistent(t *testing.T) {
	root := kitRoot(t)
	avoid := avoided(t, root)
	for _, rel := range learnerDocs(t, root) {
		if rel == "docs/glossary.md" {
			continue
		}
		for i, line := range strings.Split(read(t, root, rel), "\n") {
			for bad, good := range avoid {
				if strings.Contains(strings.ToLower(line), strings.ToLower(bad)) {
					t.Errorf("%s:%d: %q: write %q, not %q (docs/glossary.md)", rel, i+1, line, good, bad)
				}
			}
		}
	}
}

var exerciseRefRE = regexp.MustCompile(`(?i)\b(?:exercises?|실습) ([0-9]{2})\b`)

// TestExerciseReferencesExist checks that learner docs refer only to
// exercises the kit has.
func TestExerciseReferencesExist(t *testing.T) {
	root := kitRoot(t)
	var numbers []string
	for _, e := range Exercises {
		numbers = append(numbers, e.ID[:2])
	}
	for _, rel := range learnerDocs(t, root) {
		for i, line := range strings.Split(read(t, root, rel), "\n") {
			for _, m := range exerciseRefRE.FindAllStringSubmatch(line, -1) {
				if !slices.Contains(numbers, m[1]) {
					t.Errorf("%s:%d: %q refers to exercise %s, which the kit does not have", rel, i+1, line, m[1])
				}
			}
		}
	}
}

var linkRE = regexp.MustCompile(`\]\(([^)\s]+)\)`)

// TestLinksResolve checks that every relative link of a learner doc names a
// file or folder of the kit.
func TestLinksResolve(t *testing.T) {
	root := kitRoot(t)
	for _, rel := range learnerDocs(t, root) {
		for _, m := range linkRE.FindAllStringSubmatch(read(t, root, rel), -1) {
			target, _, _ := strings.Cut(m[1], "#")
			if target == "" || strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
				continue
			}
			p := filepath.Join(root, filepath.FromSlash(filepath.ToSlash(filepath.Dir(rel))), filepath.FromSlash(target))
			_, err := os.Stat(p)
			assert.NoError(t, err, "%s links to %s", rel, m[1])
		}
	}
}

// TestKoreanEntry checks that the Korean learner's entry exists and that
// the English README links to it in its first lines.
func TestKoreanEntry(t *testing.T) {
	root := kitRoot(t)
	ko := read(t, root, "README.ko.md")
	assert.Contains(t, ko, "[README.md](README.md)", "README.ko.md links back to the English README")
	lines := strings.SplitN(read(t, root, "README.md"), "\n", 6)
	head := strings.Join(lines[:min(5, len(lines))], "\n")
	assert.Contains(t, head, "[README.ko.md](README.ko.md)", "README.md links to the Korean entry in its first five lines")
}

var figuresRE = regexp.MustCompile(`\((\d+) solutions, (\d+) stubs, (\d+) mutants\)`)

// TestREADMEFigures checks the README's count of exercises and mutants
// against the catalog.
func TestREADMEFigures(t *testing.T) {
	mutants := 0
	for _, e := range Exercises {
		ms, err := Mutants(e.ID)
		require.NoError(t, err, e.ID)
		mutants += len(ms)
	}
	m := figuresRE.FindStringSubmatch(read(t, kitRoot(t), "README.md"))
	require.NotNil(t, m, "README.md states the self-check's figures as (N solutions, N stubs, M mutants)")
	want := []string{strconv.Itoa(len(Exercises)), strconv.Itoa(len(Exercises)), strconv.Itoa(mutants)}
	assert.Equal(t, want, m[1:], "README.md's figures: solutions, stubs, mutants")
}

// TestREADMEPoints checks the points each exercise's READMEs give in the
// heading of "What the specs check" against the catalog, which the
// self-check holds to the specs' own total.
func TestREADMEPoints(t *testing.T) {
	root := kitRoot(t)
	for _, e := range Exercises {
		dir := filepath.Join("exercises", e.ID)
		assert.Contains(t, read(t, root, filepath.Join(dir, "README.md")),
			fmt.Sprintf("## What the specs check (%d points)\n", e.Points), e.ID)
		assert.Contains(t, read(t, root, filepath.Join(dir, "README.ko.md")),
			fmt.Sprintf("## 스펙이 검사하는 것 (%d점)\n", e.Points), e.ID)
	}
}

package catalog

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCatalogIsConsistent(t *testing.T) {
	require.NoError(t, Check(Exercises))
}

func TestCheckRejects(t *testing.T) {
	good := Exercise{ID: "01-a", Title: "t", Topics: []string{"x"}, Reference: "reference/a", Package: "a"}
	tests := []struct {
		name string
		list []Exercise
		want string
	}{
		{"bad id", []Exercise{{ID: "1-a", Title: "t", Topics: []string{"x"}, Reference: "r", Package: "a"}}, "not of the form"},
		{"duplicate", []Exercise{good, good}, "listed twice"},
		{"later prerequisite", []Exercise{{ID: "01-b", Title: "t", Topics: []string{"x"}, Reference: "r", Package: "b", Requires: []string{"01-a"}}, good}, "not listed before"},
		{"no reference", []Exercise{{ID: "01-a", Title: "t", Topics: []string{"x"}, Package: "a"}}, "needs a title"},
	}
	for _, tt := range tests {
		err := Check(tt.list)
		require.Error(t, err, tt.name)
		assert.Contains(t, err.Error(), tt.want, tt.name)
	}
}

func TestFind(t *testing.T) {
	for _, name := range []string{"04-tlb", "04", "4"} {
		e, ok := Find(name)
		require.True(t, ok, "Find(%q)", name)
		assert.Equal(t, "04-tlb", e.ID, "Find(%q)", name)
	}
	_, ok := Find("99")
	assert.False(t, ok, "Find(\"99\")")
}

func TestParseMutant(t *testing.T) {
	m, err := ParseMutant("04-tlb", "x", "# The bug.\n# More words.\nfile: a.go\n--- old\nA\nB\n+++ new\nC\n\nfile: b.go\n--- old\nD\n+++ new\nE\n")
	require.NoError(t, err)
	assert.Equal(t, "The bug. More words.", m.Why)
	assert.Equal(t, []Hunk{{File: "a.go", Old: "A\nB", New: "C"}, {File: "b.go", Old: "D", New: "E"}}, m.Hunks)

	out, err := m.Apply(map[string]string{"a.go": "xA\nBy", "b.go": "D"})
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"a.go": "xCy", "b.go": "E"}, out)
}

func TestParseMutantErrors(t *testing.T) {
	tests := []struct{ text, want string }{
		{"# bug\n--- old\nA\n+++ new\nB\n", "before any \"file:\""},
		{"# bug\nfile: a.go\n+++ new\nB\n", "without a preceding"},
		{"# bug\nfile: a.go\n--- old\nA\n", "ends inside an old block"},
		{"file: a.go\n--- old\nA\n+++ new\nB\n", "no comment"},
		{"# bug\nstray\n", "line 2: unexpected \"stray\""},
		{"# bug\n", "no hunks"},
	}
	for _, tt := range tests {
		_, err := ParseMutant("e", "m", tt.text)
		require.Error(t, err, "%q", tt.text)
		assert.Contains(t, err.Error(), tt.want, "%q", tt.text)
	}
}

func TestApplyRequiresExactlyOneMatch(t *testing.T) {
	m := Mutant{Exercise: "e", Name: "m", Hunks: []Hunk{{File: "a.go", Old: "x", New: "y"}}}
	_, err := m.Apply(map[string]string{"a.go": "x x"})
	assert.ErrorContains(t, err, "occurs 2 times")
	_, err = m.Apply(map[string]string{"a.go": "z"})
	assert.ErrorContains(t, err, "occurs 0 times")
	_, err = m.Apply(map[string]string{})
	assert.ErrorContains(t, err, "no file \"a.go\"")
}

// Every shipped mutant parses and still applies to the reference it
// mutates, so a change to the reference cannot silently disarm one.
func TestShippedMutantsApply(t *testing.T) {
	for _, e := range Exercises {
		mutants, err := Mutants(e.ID)
		require.NoError(t, err, e.ID)
		files := map[string]string{}
		dir := filepath.Join("..", e.Reference)
		entries, err := os.ReadDir(dir)
		require.NoError(t, err, e.ID)
		for _, ent := range entries {
			if strings.HasSuffix(ent.Name(), ".go") && !strings.HasSuffix(ent.Name(), "_test.go") {
				data, err := os.ReadFile(filepath.Join(dir, ent.Name()))
				require.NoError(t, err)
				files[ent.Name()] = string(data)
			}
		}
		for _, m := range mutants {
			_, err := m.Apply(files)
			assert.NoError(t, err, "%s/%s", e.ID, m.Name)
		}
	}
}

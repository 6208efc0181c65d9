package catalog

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRules holds every exercise to the rule convention: each rule of its
// contract has a labelled spec, each spec label names a rule, and both
// READMEs list exactly its rules. Run one exercise with -run 'TestRules/04'.
func TestRules(t *testing.T) {
	root, err := filepath.Abs("..")
	require.NoError(t, err)
	labels, err := SpecLabels(root)
	require.NoError(t, err)
	for _, e := range Exercises {
		t.Run(e.ID, func(t *testing.T) {
			for _, p := range CheckRules(root, e, labels) {
				t.Error(p)
			}
		})
	}
	t.Run("labels", func(t *testing.T) {
		for _, p := range CheckLabels(Exercises, labels) {
			t.Error(p)
		}
	})
}

func TestCheckLabels(t *testing.T) {
	labels := map[string][]string{"04.a": {"s.go"}, "9.x": {"s.go"}, "99.y": {"t.go"}}
	got := CheckLabels([]Exercise{{ID: "04-tlb"}}, labels)
	assert.Equal(t, []string{
		`spec label "rule:9.x" in s.go names no exercise's rule`,
		`spec label "rule:99.y" in t.go names no exercise's rule`,
	}, got)
}

// kit writes files (path relative to a fresh root -> content) and returns
// the root.
func kit(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for name, content := range files {
		p := filepath.Join(root, name)
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(content), 0o644))
	}
	return root
}

const goodREADME = "# x\n\n## What the specs check (3 points)\n\n| rule | checks |\n|---|---|\n| `rule:09.a` | a |\n| `rule:09.b-c` | b |\n\n## Next\n| `rule:09.zz` | not in the section |\n"
const goodREADMEko = "# x\n\n## 스펙이 검사하는 것 (3점)\n\n| 규칙 | 내용 |\n|---|---|\n| `rule:09.a` | a |\n| `rule:09.b-c` | b |\n"

func TestRulesReadsStubsAndVM(t *testing.T) {
	root := kit(t, map[string]string{
		"exercises/09-x/x.go":         "//go:build !solution\n\n// Package x.\npackage x\n\n// F does things.\n//\n// [rule:09.a] F returns one\n// when asked. More text.\nfunc F() {}\n",
		"exercises/09-x/solution.go":  "//go:build solution\n\npackage x\n\n// [rule:09.ignored] not a stub.\n",
		"exercises/09-x/x_test.go":    "package x\n\n// [rule:09.ignored-too] a test.\n",
		"vm/v.go":                     "package vm\n\n// [rule:09.b-c] V is shared.\n// [rule:05.other] Another exercise's rule.\n",
		"exercises/09-x/README.md":    goodREADME,
		"exercises/09-x/README.ko.md": goodREADMEko,
		"specs/xspec/x.go":            "package xspec\n\nvar _ = Label(\"rule:09.a\", \"points:1\")\nvar _ = Label(\"rule:09.b-c\")\n// \"rule:09.comment\" in a comment is not a label\n",
	})
	e := Exercise{ID: "09-x"}
	rules, err := Rules(root, e)
	require.NoError(t, err)
	require.Len(t, rules, 2)
	assert.Equal(t, Rule{ID: "09.a", Text: "F returns one when asked.", File: "exercises/09-x/x.go", Line: 8}, rules[0])
	assert.Equal(t, "09.b-c", rules[1].ID)
	assert.Equal(t, "rule:09.a", rules[0].Label())

	labels, err := SpecLabels(root)
	require.NoError(t, err)
	assert.Equal(t, map[string][]string{"09.a": {"specs/xspec/x.go"}, "09.b-c": {"specs/xspec/x.go"}}, labels)
	assert.Empty(t, CheckRules(root, e, labels))
}

func TestCheckRulesReports(t *testing.T) {
	stub := "//go:build !solution\n\npackage x\n\n// [rule:09.a] A.\n// [rule:09.b-c] B.\n"
	tests := []struct {
		name  string
		files map[string]string
		want  []string // fragments, one per expected problem
	}{
		{name: "rule without a spec", files: map[string]string{"specs/s.go": "package s\nvar _ = \"rule:09.a\"\n"},
			want: []string{"rule 09.b-c (exercises/09-x/x.go:6) has no spec labelled \"rule:09.b-c\""}},
		{name: "unknown label", files: map[string]string{"specs/s.go": "package s\nvar _ = []string{\"rule:09.a\", \"rule:09.b-c\", \"rule:09.gone\"}\n"},
			want: []string{"spec label \"rule:09.gone\" in specs/s.go names no rule"}},
		{name: "malformed label", files: map[string]string{"specs/s.go": "package s\nvar _ = []string{\"rule:09.a\", \"rule:09.b-c\", \"rule:09.Bad_x\"}\n"},
			want: []string{"malformed spec label \"rule:09.Bad_x\""}},
		{name: "malformed marker and duplicate", files: map[string]string{
			"exercises/09-x/x.go": stub + "// [rule:09.a] again.\n// [rule:9.x] bad.\n// [rule:05.y] elsewhere.\n",
			"specs/s.go":          "package s\nvar _ = []string{\"rule:09.a\", \"rule:09.b-c\"}\n"},
			want: []string{"rule 09.a is already written at exercises/09-x/x.go:5", "malformed rule marker \"[rule:9.x]\"", "rule 05.y is numbered for exercise 05, not 09"}},
		{name: "README differs", files: map[string]string{
			"specs/s.go":                  "package s\nvar _ = []string{\"rule:09.a\", \"rule:09.b-c\"}\n",
			"exercises/09-x/README.md":    strings.Replace(goodREADME, "`rule:09.b-c`", "`rule:09.a`", 1),
			"exercises/09-x/README.ko.md": strings.Replace(goodREADMEko, "| `rule:09.b-c` | b |\n", "| `rule:09.b-c` | b |\n| rule 09.x | x |\n", 1)},
			want: []string{"README.md lists rule 09.a twice", "README.md does not list rule 09.b-c", "first cell \"rule 09.x\""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := map[string]string{
				"exercises/09-x/x.go":         stub,
				"exercises/09-x/README.md":    goodREADME,
				"exercises/09-x/README.ko.md": goodREADMEko,
				"vm/v.go":                     "package vm\n",
			}
			for k, v := range tt.files {
				files[k] = v
			}
			root := kit(t, files)
			labels, err := SpecLabels(root)
			require.NoError(t, err)
			got := CheckRules(root, Exercise{ID: "09-x"}, labels)
			require.Len(t, got, len(tt.want), "%q", got)
			for _, w := range tt.want {
				assert.Contains(t, strings.Join(got, "\n"), w)
			}
		})
	}
}

func TestREADMERulesNeedsTheSection(t *testing.T) {
	root := kit(t, map[string]string{"a.md": "# x\n\n## Other\n| a | b |\n", "b.md": "## What the specs check\n\nno table\n"})
	_, err := READMERules(filepath.Join(root, "a.md"), "## What the specs check", "specs")
	assert.ErrorContains(t, err, "no section")
	_, err = READMERules(filepath.Join(root, "b.md"), "## What the specs check", "specs")
	assert.ErrorContains(t, err, "has no table")
}

func TestREADMERulesReadsTheSpecsColumn(t *testing.T) {
	root := kit(t, map[string]string{
		"counted.md": "## What the specs check\n\n| rule | short | specs |\n|---|---|---|\n| `rule:04.a` | x | 3 |\n| `rule:04.b` | y | many |\n",
		"plain.md":   "## What the specs check\n\n| rule | what it says |\n|---|---|\n| `rule:04.a` | 3 |\n",
	})
	rows, err := READMERules(filepath.Join(root, "counted.md"), "## What the specs check", "specs")
	assert.ErrorContains(t, err, `last cell "many", want the rule's number of specs`)
	assert.Equal(t, []READMERow{{ID: "04.a", Specs: 3}}, rows)
	rows, err = READMERules(filepath.Join(root, "plain.md"), "## What the specs check", "specs")
	require.NoError(t, err)
	assert.Equal(t, []READMERow{{ID: "04.a", Specs: -1}}, rows)
}

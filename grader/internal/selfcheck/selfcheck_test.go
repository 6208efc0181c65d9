package selfcheck

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vmkata/vmkata/catalog"
	"github.com/vmkata/vmkata/grader/internal/run"
)

func spec(name, state string, labels ...string) run.Spec {
	return run.Spec{Name: name, State: state, Labels: labels, Points: 1}
}

func TestEveryRulePasses(t *testing.T) {
	rules := []catalog.Rule{{ID: "04.a", File: "x.go", Line: 3}, {ID: "04.b", File: "x.go", Line: 4}}
	ok := run.Result{Specs: []run.Spec{spec("s1", "passed", "rule:04.a", "points:1"), spec("s2", "passed", "rule:04.b")}}
	assert.NoError(t, everyRulePasses(rules, ok))

	failing := run.Result{Specs: []run.Spec{spec("s1", "passed", "rule:04.a"), spec("s2", "failed", "rule:04.b")}}
	err := everyRulePasses(rules, failing)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "04.b (x.go:4)")
	assert.NotContains(t, err.Error(), "04.a")
}

func TestKilledNeedsARuleSpec(t *testing.T) {
	m := catalog.Mutant{Name: "m", Why: "the bug."}
	byRule := run.Result{Specs: []run.Spec{spec("prop", "failed", "property"), spec("rule", "failed", "rule:04.a")}}
	assert.NoError(t, killed(m, byRule))

	byProperty := run.Result{Specs: []run.Spec{spec("prop", "failed", "property"), spec("rule", "passed", "rule:04.a")}}
	err := killed(m, byProperty)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "killed only by spec(s) without a rule label (prop)")

	survivor := run.Result{Specs: []run.Spec{spec("rule", "passed", "rule:04.a")}}
	assert.ErrorContains(t, killed(m, survivor), "survives every spec")
}

func TestSeedDependent(t *testing.T) {
	e := catalog.Exercise{ID: "04-tlb"}
	at := func(kind string, seed uint64, points int) *job {
		return &job{ex: e, kind: kind, opt: run.Options{Seed: seed}, res: run.Result{Points: points, Specs: []run.Spec{{}}}}
	}
	jobs := []*job{
		at("mutant steady", 1, 5), at("mutant steady", 2, 5),
		at("mutant lucky", 1, 5), at("mutant lucky", 2, 8),
		at("solution", 1, 9), at("solution", 2, 9),
	}
	got := seedDependent(jobs)
	require.Len(t, got, 1)
	assert.Contains(t, got[0], "mutant lucky")
	assert.Contains(t, got[0], "5 at seed 1, 8 at seed 2")
}

func TestSpecCountsAsListed(t *testing.T) {
	root := t.TempDir()
	e := catalog.Exercise{ID: "04-tlb"}
	dir := filepath.Join(root, e.Dir())
	require.NoError(t, os.MkdirAll(dir, 0o755))
	write := func(name, content string) {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644))
	}
	write("README.md", "## What the specs check (2 points)\n\n| rule | short | specs |\n|---|---|---|\n| `rule:04.a` | x | 2 |\n| `rule:04.b` | y | 1 |\n")
	write("README.ko.md", "## 스펙이 검사하는 것 (2점)\n\n| 규칙 | 요약 |\n|---|---|\n| `rule:04.a` | x |\n| `rule:04.b` | y |\n")
	r := run.Result{Specs: []run.Spec{
		spec("s1", "passed", "rule:04.a"), spec("s2", "passed", "rule:04.a", "rule:04.b"), spec("p", "passed", "property"),
	}}
	assert.NoError(t, specCountsAsListed(root, e, r))

	r.Specs = r.Specs[1:]
	assert.EqualError(t, specCountsAsListed(root, e, r),
		"the READMEs' spec counts are out of date: README.md gives rule 04.a 2 specs, the suite has 1")
}

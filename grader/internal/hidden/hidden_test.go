package hidden

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vmkata/vmkata/catalog"
)

// example is testdata/hidden: one spec for exercise 04 worth 3 points.
const example = "testdata/hidden/04-tlb/asid_test.go"

// kit makes a kit root whose hidden folder holds files (path under hidden/
// -> content).
func kit(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for name, content := range files {
		p := filepath.Join(root, Dir, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(content), 0o644))
	}
	return root
}

func exampleSpec(t *testing.T) string {
	t.Helper()
	src, err := os.ReadFile(example)
	require.NoError(t, err)
	return string(src)
}

func TestLoadTheExample(t *testing.T) {
	root := kit(t, map[string]string{"points.json": `{"04-tlb": 3}`, "04-tlb/asid_test.go": exampleSpec(t)})
	sets, err := Load(root)
	require.NoError(t, err)
	want := map[string]Set{"04-tlb": {Exercise: "04-tlb", Points: 3,
		Files: []string{filepath.Join(root, Dir, "04-tlb", "asid_test.go")}}}
	assert.Equal(t, want, sets)
}

func TestLoadWithoutHiddenSpecs(t *testing.T) {
	sets, err := Load(t.TempDir())
	require.NoError(t, err)
	assert.Empty(t, sets)
}

func TestLoadRefusesABadLayout(t *testing.T) {
	spec := exampleSpec(t)
	tests := []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"no points.json", map[string]string{"04-tlb/asid_test.go": spec}, "hidden specs need hidden/points.json"},
		{"points.json malformed", map[string]string{"points.json": `["04-tlb"]`, "04-tlb/asid_test.go": spec}, `want {"04-tlb": 3, …}`},
		{"folder not an exercise", map[string]string{"points.json": `{}`, "04-tlbs/asid_test.go": spec}, "hidden/04-tlbs: not an exercise ID"},
		{"folder by number only", map[string]string{"points.json": `{}`, "04/asid_test.go": spec}, "hidden/04: not an exercise ID"},
		{"folder without points", map[string]string{"points.json": `{}`, "04-tlb/asid_test.go": spec}, "points.json: no entry for 04-tlb"},
		{"points without folder", map[string]string{"points.json": `{"04-tlb": 3, "05-mmu": 2}`, "04-tlb/asid_test.go": spec}, `"05-mmu" has no folder hidden/05-mmu`},
		{"no points", map[string]string{"points.json": `{"04-tlb": 0}`, "04-tlb/asid_test.go": spec}, "04-tlb is worth 0 points"},
		{"a non-test file", map[string]string{"points.json": `{"04-tlb": 3}`, "04-tlb/helper.go": "package tlb\n"}, "hidden/04-tlb/helper.go: only _test.go files"},
		{"a stray file", map[string]string{"points.json": `{}`, "notes.txt": "x"}, "hidden/notes.txt: only points.json and exercise folders"},
		{"a sub-folder", map[string]string{"points.json": `{"04-tlb": 3}`, "04-tlb/sub/x_test.go": spec}, "hidden/04-tlb/sub: only _test.go files"},
		{"the wrong package", map[string]string{"points.json": `{"04-tlb": 3}`, "04-tlb/a_test.go": "package tlb\n"}, "package tlb; want tlb_test"},
		{"a Test function", map[string]string{"points.json": `{"04-tlb": 3}`, "04-tlb/a_test.go": "package tlb_test\nimport \"testing\"\nfunc TestMore(t *testing.T) {}\n"}, "declares TestMore"},
		{"a syntax error", map[string]string{"points.json": `{"04-tlb": 3}`, "04-tlb/a_test.go": "package tlb_test\nfunc {"}, "hidden/04-tlb/a_test.go: "},
	}
	for _, tt := range tests {
		_, err := Load(kit(t, tt.files))
		assert.ErrorContains(t, err, tt.want, tt.name)
	}
}

func TestTestFuncOnlyFindsWhatGoTestRuns(t *testing.T) {
	root := kit(t, map[string]string{"points.json": `{"04-tlb": 3}`,
		"04-tlb/a_test.go": "package tlb_test\nfunc Testify() {}\nfunc helper() {}\ntype T struct{}\nfunc (T) TestX() {}\n"})
	_, err := Load(root)
	assert.NoError(t, err, "Testify, helper and a method named TestX are not tests")
}

func TestApply(t *testing.T) {
	root := kit(t, map[string]string{"points.json": `{"04-tlb": 3}`, "04-tlb/asid_test.go": exampleSpec(t)})
	sets, err := Load(root)
	require.NoError(t, err)
	require.Len(t, sets["04-tlb"].Files, 1)

	before, _ := catalog.Find("04")
	raised := Apply(catalog.Exercises, sets)
	require.Len(t, raised, len(catalog.Exercises))
	for i, e := range catalog.Exercises {
		want := e.Points
		if e.ID == "04-tlb" {
			want += 3
		}
		assert.Equal(t, want, raised[i].Points, e.ID)
	}
	after, _ := catalog.Find("04")
	assert.Equal(t, before.Points, after.Points, "Apply leaves the catalog alone")
}

// The example hidden spec, installed beside exercise 04's own test file
// (here by an overlay), runs with the exercise's specs: it passes on the
// solution build and fails on the stub.
func TestHiddenSpecRunsWithTheExercise(t *testing.T) {
	root, err := filepath.Abs("../../..")
	require.NoError(t, err)
	e, _ := catalog.Find("04")
	abs, err := filepath.Abs(example)
	require.NoError(t, err)
	overlay, err := json.Marshal(map[string]map[string]string{
		"Replace": {filepath.Join(root, e.Dir(), "hidden_asid_test.go"): abs}})
	require.NoError(t, err)
	tmp := t.TempDir()
	overlayFile := filepath.Join(tmp, "overlay.json")
	require.NoError(t, os.WriteFile(overlayFile, overlay, 0o644))

	for _, tc := range []struct {
		tags  string
		state string
	}{{"solution", "passed"}, {"", "panicked"}} {
		report := filepath.Join(tmp, "report-"+tc.state+".json")
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		cmd := exec.CommandContext(ctx, "go", "test", "-count=1", "-tags="+tc.tags, "-overlay", overlayFile, "./"+e.Dir(),
			"-args", "-ginkgo.label-filter=hidden", "-ginkgo.json-report="+report)
		cmd.Dir = root
		out, _ := cmd.CombinedOutput()
		cancel()
		data, err := os.ReadFile(report)
		require.NoError(t, err, "go test wrote no report:\n%s", out)
		var suites []struct {
			SpecReports []struct {
				LeafNodeText   string
				LeafNodeLabels []string
				State          string
			}
		}
		require.NoError(t, json.Unmarshal(data, &suites))
		require.Len(t, suites, 1)
		var ran []string
		for _, s := range suites[0].SpecReports {
			if s.State != "skipped" && s.LeafNodeText != "" {
				ran = append(ran, s.LeafNodeText)
				assert.Equal(t, tc.state, s.State, "tags %q", tc.tags)
				assert.Contains(t, s.LeafNodeLabels, "points:3")
			}
		}
		assert.Equal(t, []string{"evicts the other ASID's entry of a direct-mapped set, and counts it"}, ran, "tags %q", tc.tags)
	}
}

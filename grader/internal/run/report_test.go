package run

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/onsi/ginkgo/v2/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestReadReportKeepsNotes reads a Ginkgo report in which a spec left a
// report entry named NoteEntry and another entry: the note is the spec's,
// the other entry is not.
func TestReadReportKeepsNotes(t *testing.T) {
	spec := types.SpecReport{LeafNodeType: types.NodeTypeIt, LeafNodeText: "your TLB", State: types.SpecStatePassed,
		ReportEntries: types.ReportEntries{
			{Name: NoteEntry, Value: types.WrapEntryValue("TLB (exercise 04, NewTLB): yours")},
			{Name: "hit ratios", Value: types.WrapEntryValue("not a note")},
		}}
	data, err := json.Marshal([]types.Report{{SuiteDescription: "capstone", SpecReports: types.SpecReports{spec}}})
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "report.json")
	require.NoError(t, os.WriteFile(path, data, 0o644))
	got, ok := readReport(path, t.TempDir())
	require.True(t, ok, "readReport(%s)", path)
	require.Len(t, got.specs, 1)
	assert.Equal(t, []string{"TLB (exercise 04, NewTLB): yours"}, got.specs[0].Notes, "the spec's notes")
}

// A spec that skips itself, because the machine cannot show what it
// checks, earns no points, and the learner reads why.
func TestSkippedSpecsEarnNothingAndSayWhy(t *testing.T) {
	it := func(text string, state types.SpecState, message string) types.SpecReport {
		return types.SpecReport{LeafNodeType: types.NodeTypeIt, LeafNodeText: text,
			LeafNodeLabels: []string{"points:3"}, State: state, Failure: types.Failure{Message: message}}
	}
	reports := []types.Report{{SuiteDescription: "lab", SpecReports: types.SpecReports{
		it("runs", types.SpecStatePassed, ""),
		it("needs huge pages", types.SpecStateSkipped, "this spec relies on transparent huge pages, and this kernel's mode is \"never\""),
		it("is filtered out", types.SpecStateSkipped, ""),
	}}}
	data, err := json.Marshal(reports)
	require.NoError(t, err)
	file := filepath.Join(t.TempDir(), "report.json")
	require.NoError(t, os.WriteFile(file, data, 0o644))

	rep, ok := readReport(file, t.TempDir())
	require.True(t, ok)
	require.Len(t, rep.specs, 3)
	res := Result{Specs: rep.specs}
	res.total()
	assert.Equal(t, 3, res.Points, "only the spec that ran earns its points")
	assert.Equal(t, 9, res.MaxPoints, "a skipped spec's points still count in the maximum")
	skipped := rep.specs[1]
	assert.False(t, skipped.Passed())
	assert.Equal(t, "skipped", skipped.State)
	assert.Equal(t, "skipped, not earned: this spec relies on transparent huge pages, and this kernel's mode is \"never\"", skipped.Failure)
	assert.Equal(t, "not run: skipped", rep.specs[2].Failure, "a spec skipped with no reason")
	first, ok := res.FirstFailure()
	require.True(t, ok)
	assert.Equal(t, "needs huge pages", first.Name, "the learner is told first about the spec that did not earn its points")
}

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

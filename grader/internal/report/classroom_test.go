package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vmkata/vmkata/catalog"
	"github.com/vmkata/vmkata/grader/internal/run"
)

// reporterView decodes a runner's result as
// classroom-resources/autograding-grading-reporter reads it: status at the
// top, max_score, and each test's name, status, score, message and line_no
// (printed unless 0).
type reporterView struct {
	Version  *int     `json:"version"`
	Status   string   `json:"status"`
	MaxScore *float64 `json:"max_score"`
	Tests    []struct {
		Name     *string  `json:"name"`
		Status   string   `json:"status"`
		Score    *float64 `json:"score"`
		MaxScore *float64 `json:"max_score"`
		Message  *string  `json:"message"`
		LineNo   *int     `json:"line_no"`
	} `json:"tests"`
}

// checkClassroom decodes a classroom result and checks what the reporter
// relies on: every field present with its type, statuses it knows, and the
// sums it computes (total points = sum of scores, maximum = max_score =
// sum of the tests' max_score). It returns the decoded result.
func checkClassroom(t *testing.T, data []byte) reporterView {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	var doc reporterView
	require.NoError(t, dec.Decode(&doc))
	require.NotNil(t, doc.Version)
	assert.Equal(t, 1, *doc.Version)
	assert.Contains(t, []string{"pass", "fail", "error"}, doc.Status)
	require.NotNil(t, doc.MaxScore)
	var scores, maxima float64
	for _, tc := range doc.Tests {
		require.NotNil(t, tc.Name)
		require.NotNil(t, tc.Score, *tc.Name)
		require.NotNil(t, tc.MaxScore, *tc.Name)
		require.NotNil(t, tc.Message, *tc.Name)
		require.NotNil(t, tc.LineNo, *tc.Name)
		assert.Equal(t, 0, *tc.LineNo, *tc.Name)
		assert.Contains(t, []string{"pass", "fail", "error"}, tc.Status, *tc.Name)
		if tc.Status == "pass" {
			assert.Equal(t, *tc.MaxScore, *tc.Score, "%s: a passed spec earns its points", *tc.Name)
		} else {
			assert.Zero(t, *tc.Score, "%s: a failed spec earns nothing", *tc.Name)
		}
		scores += *tc.Score
		maxima += *tc.MaxScore
	}
	assert.Equal(t, *doc.MaxScore, maxima, "max_score is the sum of the tests' max_score")
	want := "pass"
	if scores < maxima {
		want = "fail"
	}
	for _, tc := range doc.Tests {
		if tc.Status == "error" {
			want = "error"
		}
	}
	assert.Equal(t, want, doc.Status)
	return doc
}

func TestClassroomResult(t *testing.T) {
	var b bytes.Buffer
	require.NoError(t, Write(&b, "classroom", sample()))
	doc := checkClassroom(t, b.Bytes())
	require.Len(t, doc.Tests, 4, "one test per spec, and one for the exercise that could not be graded")
	var scores float64
	for _, tc := range doc.Tests {
		scores += *tc.Score
	}
	assert.Equal(t, 3.0, scores, "the points Classroom records")
	assert.Equal(t, 13.0, *doc.MaxScore)
	assert.Equal(t, "error", doc.Status)
	assert.Equal(t, "04-tlb: TLB isolates ASIDs", *doc.Tests[2].Name)
	assert.Equal(t, "specs/tlbspec/tlbspec.go:42: Lookup(asid 2, 0x1000) = hit, want miss", *doc.Tests[2].Message)
	assert.Equal(t, "05-mmu: grading", *doc.Tests[3].Name)
	assert.Equal(t, "error", doc.Tests[3].Status)
	assert.Contains(t, *doc.Tests[3].Message, "does not compile")
	assert.Equal(t, 1, strings.Count(b.String(), "\n"), "one line, ready for base64")
}

func TestClassroomAllPassedAndLongMessages(t *testing.T) {
	done := Grade{Results: []run.Result{{Exercise: catalog.Exercise{ID: "01-address-split"}, Points: 2, MaxPoints: 2,
		Specs: []run.Spec{{Name: "a", Points: 2, State: "passed"}}}}}
	var b bytes.Buffer
	require.NoError(t, Write(&b, "classroom", done))
	assert.Equal(t, "pass", checkClassroom(t, b.Bytes()).Status)

	long := strings.Repeat("가", 1000) // 3 bytes a rune: the cut falls inside one
	failing := Grade{Results: []run.Result{{Exercise: catalog.Exercise{ID: "01-address-split"}, MaxPoints: 2,
		Specs: []run.Spec{{Name: "a", Points: 2, State: "failed", Failure: long}}}}}
	b.Reset()
	require.NoError(t, Write(&b, "classroom", failing))
	doc := checkClassroom(t, b.Bytes())
	msg := *doc.Tests[0].Message
	assert.LessOrEqual(t, len(msg), classroomMessageLimit)
	assert.True(t, utf8.ValidString(msg), "the cut keeps whole runes")
	assert.True(t, strings.HasSuffix(msg, "…"))
	assert.Equal(t, "fail", doc.Status)
}

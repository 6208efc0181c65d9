package report

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vmkata/vmkata/catalog"
	"github.com/vmkata/vmkata/grader/internal/i18n"
	"github.com/vmkata/vmkata/grader/internal/run"
	"github.com/vmkata/vmkata/grader/internal/similarity"
)

// sample is a grade with one finished exercise, one in progress and one
// that does not compile.
func sample() Grade {
	done := run.Result{Exercise: catalog.Exercise{ID: "01-address-split", Title: "Split"}, Specs: []run.Spec{
		{Name: "split works", Points: 2, State: "passed", Labels: []string{"topic:address", "points:2"}},
	}, Points: 2, MaxPoints: 2, Duration: time.Second}
	partial := run.Result{Exercise: catalog.Exercise{ID: "04-tlb", Title: "TLB"}, Specs: []run.Spec{
		{Name: "TLB hits", Points: 1, State: "passed"},
		{Name: "TLB isolates ASIDs", Points: 3, State: "failed", Failure: "Lookup(asid 2, 0x1000) = hit, want miss",
			Location: "specs/tlbspec/tlbspec.go:42", Labels: []string{"topic:tlb", "points:3"}},
	}, Points: 1, MaxPoints: 4, Duration: 2 * time.Second, Similarity: []similarity.Match{
		{File: "exercises/04-tlb/tlb.go", Reference: "reference/tlb/tlb.go", Percent: 97},
		{File: "exercises/04-tlb/extra.go", Percent: 0},
	}}
	broken := run.Result{Exercise: catalog.Exercise{ID: "05-mmu", Title: "MMU"}, MaxPoints: 7,
		Problem: "does not compile:\nmmu.go:3: syntax error"}
	return Grade{Results: []run.Result{done, partial, broken}, Seed: 99}
}

func TestTextShowsTableFirstFailureAndNext(t *testing.T) {
	var b bytes.Buffer
	require.NoError(t, Write(&b, "text", sample()))
	out := b.String()
	for _, want := range []string{
		"rapid seed 99",
		"01-address-split", "2/2", "done",
		"04-tlb", "1/2", "1/4", "in progress",
		"05-mmu", "0/7", "no credit",
		"total", "3/13",
		"First failure in 04-tlb (3 points)", "Lookup(asid 2, 0x1000) = hit, want miss", "specs/tlbspec/tlbspec.go:42",
		"Next: 04-tlb", "go test ./exercises/04-tlb/", "--seed 99",
		"Similarity to the reference (reported, not scored):\n  04-tlb                   tlb.go 97 % (reference/tlb/tlb.go); extra.go 0 %\n",
	} {
		assert.Contains(t, out, want)
	}
}

func TestTextInKorean(t *testing.T) {
	g := sample()
	g.Lang = i18n.KO
	var b bytes.Buffer
	require.NoError(t, Write(&b, "text", g))
	out := b.String()
	for _, want := range []string{
		"vmkata 채점 결과 (rapid 시드 99)", "완료", "진행 중", "점수 없음", "합계",
		"04-tlb의 첫 실패 (3점):", "위치 specs/tlbspec/tlbspec.go:42",
		"다음: 04-tlb — TLB", "exercises/04-tlb/README.ko.md", "go run ./grader hint 04",
		"같은 채점 다시 하기: go run ./grader --exercise 04 --seed 99",
	} {
		assert.Contains(t, out, want)
	}
	assert.NotContains(t, out, "First failure")
}

func TestGradescopeResultsJSON(t *testing.T) {
	var b bytes.Buffer
	require.NoError(t, Write(&b, "gradescope", sample()))
	var doc struct {
		Score         *float64 `json:"score"`
		ExecutionTime int      `json:"execution_time"`
		Tests         []struct {
			Name       string   `json:"name"`
			Score      *float64 `json:"score"`
			MaxScore   *float64 `json:"max_score"`
			Status     string   `json:"status"`
			Output     string   `json:"output"`
			Visibility string   `json:"visibility"`
			ExtraData  struct {
				Similarity []similarity.Match `json:"similarity"`
			} `json:"extra_data"`
		} `json:"tests"`
	}
	require.NoError(t, json.Unmarshal(b.Bytes(), &doc))
	require.NotNil(t, doc.Score)
	assert.Equal(t, 3.0, *doc.Score)
	assert.Equal(t, 3, doc.ExecutionTime)
	require.Len(t, doc.Tests, 5, "one test per spec, one for the exercise that could not be graded, one for a similarity report")
	var max float64
	for _, tc := range doc.Tests[:4] {
		require.NotNil(t, tc.Score, tc.Name)
		require.NotNil(t, tc.MaxScore, tc.Name)
		assert.Contains(t, []string{"passed", "failed"}, tc.Status, tc.Name)
		assert.Equal(t, "visible", tc.Visibility, tc.Name)
		max += *tc.MaxScore
	}
	assert.Equal(t, 13.0, max, "max scores add up to the grade's maximum")
	assert.Equal(t, "05-mmu: grading", doc.Tests[3].Name)
	assert.Contains(t, doc.Tests[3].Output, "does not compile")

	similar := doc.Tests[4]
	assert.Equal(t, "04-tlb: similarity to the reference (not scored)", similar.Name)
	assert.Equal(t, "hidden", similar.Visibility, "only the instructor sees the similarity report")
	assert.Equal(t, 0.0, *similar.Score)
	assert.Equal(t, 0.0, *similar.MaxScore)
	assert.Equal(t, "tlb.go 97 % (reference/tlb/tlb.go); extra.go 0 %", similar.Output)
	assert.Equal(t, []similarity.Match{{File: "exercises/04-tlb/tlb.go", Reference: "reference/tlb/tlb.go", Percent: 97},
		{File: "exercises/04-tlb/extra.go"}}, similar.ExtraData.Similarity)
}

func TestGradescopeShowsHiddenSpecsAfterPublication(t *testing.T) {
	g := Grade{Results: []run.Result{{Exercise: catalog.Exercise{ID: "04-tlb"}, Points: 1, MaxPoints: 3, Specs: []run.Spec{
		{Name: "shipped", Points: 1, State: "passed"},
		{Name: "instructor's", Points: 2, State: "failed", Labels: []string{"hidden", "points:2"}},
	}}}}
	var b bytes.Buffer
	require.NoError(t, Write(&b, "gradescope", g))
	var doc struct {
		Tests []struct{ Name, Visibility string }
	}
	require.NoError(t, json.Unmarshal(b.Bytes(), &doc))
	require.Len(t, doc.Tests, 2)
	assert.Equal(t, "visible", doc.Tests[0].Visibility)
	assert.Equal(t, "after_published", doc.Tests[1].Visibility)
}

func TestJUnitXML(t *testing.T) {
	var b bytes.Buffer
	require.NoError(t, Write(&b, "junit", sample()))
	var doc struct {
		XMLName xml.Name `xml:"testsuites"`
		Suites  []struct {
			Name     string `xml:"name,attr"`
			Tests    int    `xml:"tests,attr"`
			Failures int    `xml:"failures,attr"`
			Cases    []struct {
				Name    string `xml:"name,attr"`
				Failure *struct {
					Message string `xml:"message,attr"`
					Data    string `xml:",chardata"`
				} `xml:"failure"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	require.NoError(t, xml.Unmarshal(b.Bytes(), &doc))
	require.Len(t, doc.Suites, 3)
	assert.Equal(t, "04-tlb", doc.Suites[1].Name)
	assert.Equal(t, 2, doc.Suites[1].Tests)
	assert.Equal(t, 1, doc.Suites[1].Failures)
	require.NotNil(t, doc.Suites[1].Cases[1].Failure)
	assert.Contains(t, doc.Suites[1].Cases[1].Failure.Data, "want miss")
	assert.Nil(t, doc.Suites[1].Cases[0].Failure)
}

func TestJSONAndMarkdown(t *testing.T) {
	var b bytes.Buffer
	require.NoError(t, Write(&b, "json", sample()))
	var doc struct {
		Points, MaxPoints int
		Next              string
		Exercises         []struct {
			ID         string
			Complete   bool
			Specs      []struct{ Name, State string }
			Similarity []map[string]any
		}
	}
	require.NoError(t, json.Unmarshal(b.Bytes(), &doc))
	assert.Equal(t, 3, doc.Points)
	assert.Equal(t, "04-tlb", doc.Next)
	assert.True(t, doc.Exercises[0].Complete)
	assert.False(t, doc.Exercises[1].Complete)
	assert.Equal(t, []map[string]any{
		{"file": "exercises/04-tlb/tlb.go", "reference": "reference/tlb/tlb.go", "percent": 97.0},
		{"file": "exercises/04-tlb/extra.go", "reference": "", "percent": 0.0},
	}, doc.Exercises[1].Similarity)
	assert.Contains(t, b.String(), `"similarity": []`, "an exercise without a report has an empty list")

	b.Reset()
	require.NoError(t, Write(&b, "markdown", sample()))
	assert.True(t, strings.HasPrefix(b.String(), "## vmkata grade: 3 / 13"))
	assert.Contains(t, b.String(), "| 04-tlb | 1/2 | 1/4 | in progress |")
	assert.Contains(t, b.String(), "| 04-tlb | tlb.go 97 % (reference/tlb/tlb.go); extra.go 0 % |")
}

func TestUnknownFormat(t *testing.T) {
	err := Write(&bytes.Buffer{}, "yaml", sample())
	assert.ErrorContains(t, err, `unknown format "yaml"`)
}

// TestNotesListedOnceInOrder: the notes specs leave (whose each part of the
// capstone is) are listed under their exercise, each once, in run order,
// in the text and markdown reports.
func TestNotesListedOnceInOrder(t *testing.T) {
	g := sample()
	g.Results[1].Specs[0].Notes = []string{"TLB (exercise 04, NewTLB): yours", "MMU (exercise 05, NewMMU): reference (not implemented)"}
	g.Results[1].Specs[1].Notes = []string{"TLB (exercise 04, NewTLB): yours"}
	var b bytes.Buffer
	require.NoError(t, Write(&b, "text", g))
	assert.Contains(t, b.String(), "\nNotes on 04-tlb:\n  TLB (exercise 04, NewTLB): yours\n  MMU (exercise 05, NewMMU): reference (not implemented)\n")
	assert.Equal(t, 1, strings.Count(b.String(), "NewTLB): yours"), "a note two specs leave is listed once")
	assert.NotContains(t, b.String(), "Notes on 01-address-split", "an exercise without notes has no section")
	b.Reset()
	require.NoError(t, Write(&b, "markdown", g))
	assert.Contains(t, b.String(), "Notes on 04-tlb:\n\n- TLB (exercise 04, NewTLB): yours\n- MMU (exercise 05, NewMMU): reference (not implemented)\n")
}

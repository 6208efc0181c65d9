package report

import (
	"encoding/json"
	"io"
	"unicode/utf8"
)

// classroomResult is what a GitHub Classroom test runner
// (classroom-resources/autograding-command-grader, -io-grader, …) hands the
// grading reporter (classroom-resources/autograding-grading-reporter): the
// runner's step sets its output "result" to this JSON in base64, and the
// reporter reads it back from the environment variable <STEP-ID>_RESULTS.
//
// The reporter sends Classroom the sum of the tests' scores over the sum of
// the runners' max_score, so one test per spec, scored in points, gives
// per-spec partial credit. (Its console table shows a runner's score as
// max_score times the share of tests passed, which weighs every spec
// alike; the total Classroom records is the sum of scores.)
type classroomResult struct {
	Version  int             `json:"version"` // 1, as the runners write
	Status   string          `json:"status"`  // pass when every point is earned, error when an exercise could not be graded, else fail
	MaxScore int             `json:"max_score"`
	Tests    []classroomTest `json:"tests"`
}

type classroomTest struct {
	Name     string `json:"name"`
	Status   string `json:"status"` // pass, fail, or error for an exercise that could not be graded
	Score    int    `json:"score"`
	MaxScore int    `json:"max_score"`
	Message  string `json:"message"`
	// The runners' remaining fields, which the reporter prints when set.
	TestCode string `json:"test_code"`
	Filename string `json:"filename"`
	LineNo   int    `json:"line_no"`
}

// classroomMessageLimit bounds a failure message, in bytes: a step's
// outputs share 1 MB per job, and a stub fails every spec.
const classroomMessageLimit = 500

// writeClassroom writes g as one Classroom runner's result, one test per
// spec; an exercise that could not be graded is one errored test worth its
// points, whose message says why. The similarity report is left out: the
// students read this result.
func writeClassroom(w io.Writer, g Grade) error {
	earned, max := g.Points()
	doc := classroomResult{Version: 1, Status: "pass", MaxScore: max, Tests: []classroomTest{}}
	if earned < max {
		doc.Status = "fail"
	}
	for _, r := range g.Results {
		if len(r.Specs) == 0 {
			doc.Status = "error"
			doc.Tests = append(doc.Tests, classroomTest{Name: r.Exercise.ID + ": grading", Status: "error",
				MaxScore: r.MaxPoints, Message: clip(r.Problem)})
			continue
		}
		for _, s := range r.Specs {
			t := classroomTest{Name: r.Exercise.ID + ": " + s.Name, Status: "fail", MaxScore: s.Points}
			if s.Passed() {
				t.Status, t.Score = "pass", s.Points
			} else {
				t.Message = s.Failure
				if s.Location != "" {
					t.Message = s.Location + ": " + t.Message
				}
				t.Message = clip(t.Message)
			}
			doc.Tests = append(doc.Tests, t)
		}
	}
	return json.NewEncoder(w).Encode(doc)
}

// clip cuts s to at most classroomMessageLimit bytes, on a rune boundary,
// marking the cut with "…".
func clip(s string) string {
	if len(s) <= classroomMessageLimit {
		return s
	}
	cut := classroomMessageLimit - len("…")
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

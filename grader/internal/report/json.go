package report

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/jstemmer/go-junit-report/v2/junit"

	"github.com/vmkata/vmkata/catalog"
	"github.com/vmkata/vmkata/grader/internal/run"
	"github.com/vmkata/vmkata/grader/internal/similarity"
)

type jsonSpec struct {
	Name     string   `json:"name"`
	Points   int      `json:"points"`
	Earned   int      `json:"earned"`
	State    string   `json:"state"`
	Topics   []string `json:"topics,omitempty"`
	Failure  string   `json:"failure,omitempty"`
	Location string   `json:"location,omitempty"`
}

type jsonExercise struct {
	ID        string     `json:"id"`
	Title     string     `json:"title"`
	Points    int        `json:"points"`
	MaxPoints int        `json:"max_points"`
	Complete  bool       `json:"complete"`
	Problem   string     `json:"problem,omitempty"`
	Seconds   float64    `json:"seconds"`
	Specs     []jsonSpec `json:"specs"`
	// Similarity is run.Result's: one object per learner file.
	Similarity []similarity.Match `json:"similarity"`
}

func writeJSON(w io.Writer, g Grade) error {
	earned, max := g.Points()
	doc := struct {
		Seed      uint64         `json:"seed"`
		Sandbox   string         `json:"sandbox,omitempty"`
		Points    int            `json:"points"`
		MaxPoints int            `json:"max_points"`
		Next      string         `json:"next,omitempty"`
		Exercises []jsonExercise `json:"exercises"`
	}{Seed: g.Seed, Sandbox: g.Protections, Points: earned, MaxPoints: max, Exercises: []jsonExercise{}}
	if next, ok := g.Next(); ok {
		doc.Next = next.Exercise.ID
	}
	for _, r := range g.Results {
		je := jsonExercise{ID: r.Exercise.ID, Title: r.Exercise.Title, Points: r.Points, MaxPoints: r.MaxPoints,
			Complete: r.Complete(), Problem: r.Problem, Seconds: r.Duration.Seconds(), Specs: []jsonSpec{},
			Similarity: append([]similarity.Match{}, r.Similarity...)}
		for _, s := range r.Specs {
			js := jsonSpec{Name: s.Name, Points: s.Points, State: s.State, Topics: topics(s), Failure: s.Failure, Location: s.Location}
			if s.Passed() {
				js.Earned = s.Points
			}
			je.Specs = append(je.Specs, js)
		}
		doc.Exercises = append(doc.Exercises, je)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

// writeGradescope writes Gradescope's autograder results.json: a top-level
// score and one test per spec with score, max_score, status, name, output
// and visibility. A spec labelled "hidden" (an instructor's hidden spec) is
// shown to students only once grades are published ("after_published").
// Each exercise with a similarity report adds a test worth 0 points that
// only the instructor sees ("hidden", Gradescope's visibility for a test
// never shown to students), its output one line per learner file and its
// extra_data the report itself.
func writeGradescope(w io.Writer, g Grade) error {
	type test struct {
		Name       string   `json:"name"`
		Number     string   `json:"number"`
		Score      float64  `json:"score"`
		MaxScore   float64  `json:"max_score"`
		Status     string   `json:"status"`
		Output     string   `json:"output,omitempty"`
		Tags       []string `json:"tags,omitempty"`
		Visibility string   `json:"visibility"`
		ExtraData  any      `json:"extra_data,omitempty"`
	}
	earned, _ := g.Points()
	var total time.Duration
	doc := struct {
		Score         float64 `json:"score"`
		ExecutionTime int     `json:"execution_time"`
		Output        string  `json:"output"`
		Visibility    string  `json:"visibility"`
		Tests         []test  `json:"tests"`
	}{Score: float64(earned), Visibility: "visible", Tests: []test{}}
	perExercise := map[string]int{}
	specsByExercise(g, func(e catalog.Exercise, s run.Spec) {
		perExercise[e.ID]++
		t := test{Name: e.ID + ": " + s.Name, Number: fmt.Sprintf("%s.%d", e.ID[:2], perExercise[e.ID]),
			MaxScore: float64(s.Points), Status: "failed", Output: s.Failure, Tags: topics(s), Visibility: "visible"}
		if s.Passed() {
			t.Score, t.Status = float64(s.Points), "passed"
		}
		if slices.Contains(s.Labels, "hidden") {
			t.Visibility = "after_published"
		}
		doc.Tests = append(doc.Tests, t)
	})
	for _, r := range g.Results {
		total += r.Duration
		if len(r.Similarity) > 0 {
			doc.Tests = append(doc.Tests, test{Name: r.Exercise.ID + ": similarity to the reference (not scored)",
				Number: r.Exercise.ID[:2] + ".0", Status: "passed", Output: similarityLine(r.Similarity),
				Visibility: "hidden", ExtraData: map[string]any{"similarity": r.Similarity}})
		}
	}
	doc.ExecutionTime = int(total.Seconds() + 0.5)
	doc.Output = fmt.Sprintf("rapid seed %d; replay with go run ./grader --seed %d", g.Seed, g.Seed)
	if g.Protections != "" {
		doc.Output += "\nsandbox: " + g.Protections
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

// writeJUnit writes one testsuite per exercise and one testcase per spec.
func writeJUnit(w io.Writer, g Grade) error {
	var doc junit.Testsuites
	for _, r := range g.Results {
		suite := junit.Testsuite{Name: r.Exercise.ID, Package: r.Exercise.ImportPath(), Time: seconds(r.Duration)}
		suite.AddProperty("rapid.seed", fmt.Sprint(g.Seed))
		suite.AddProperty("points", fmt.Sprintf("%d/%d", r.Points, r.MaxPoints))
		one := Grade{Results: []run.Result{r}}
		specsByExercise(one, func(e catalog.Exercise, s run.Spec) {
			tc := junit.Testcase{Name: s.Name, Classname: e.ID, Time: seconds(s.Duration)}
			if !s.Passed() {
				tc.Failure = &junit.Result{Message: s.State, Type: s.State, Data: s.Failure}
			}
			suite.AddTestcase(tc)
		})
		doc.AddSuite(suite)
	}
	return doc.WriteXML(w)
}

func seconds(d time.Duration) string { return fmt.Sprintf("%.3f", d.Seconds()) }

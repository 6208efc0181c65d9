// Package hidden reads an instructor's hidden specs: spec files kept in the
// instructor's copy of the kit and not in the students', which count toward
// an exercise's grade like its own specs.
//
// In the instructor's kit they live beside the kit's own folders:
//
//	hidden/points.json              {"04-tlb": 3, …}: the points each exercise's hidden specs are worth
//	hidden/04-tlb/asid_test.go      Ginkgo specs for exercise 04
//
// A hidden spec file belongs to the exercise's external test package
// (package tlb_test for exercise 04) and reaches the implementation as the
// exercise's own _test.go file does, through the exercise package's
// exported API. It only declares specs (var _ = Describe(…)): no Test
// function and no RunSpecs, which the exercise's own test file already
// has. Its specs carry points:N labels that add up to the exercise's entry
// in points.json, and a "hidden" label, so that Gradescope shows them only
// once grades are published. Hidden spec files are ordinary Go test files,
// so "go vet ./..." checks them in the instructor's kit; "go test ./..."
// compiles them and runs nothing.
//
// The grader builds them into exercise e's judge, next to the exercise's
// own test file (so they reach the learner's code through the same proxies),
// and takes e's maximum from [Apply]'s catalog.
package hidden

import (
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode"

	"github.com/vmkata/vmkata/catalog"
)

// Dir is the folder, relative to the kit's root, that holds hidden specs.
const Dir = "hidden"

// Set is the hidden specs of one exercise.
type Set struct {
	Exercise string   // the catalog ID, e.g. "04-tlb"
	Files    []string // the spec files, absolute, in name order
	Points   int      // what they are worth, from points.json; > 0
}

// Load reads the hidden specs of the kit at root, by exercise ID. A kit
// without a hidden folder has none. Load checks the layout and reports the
// first problem: a folder or points.json entry that is not a catalog
// exercise, a folder without a points.json entry or the other way round, a
// file that is not a _test.go file, a spec file in the wrong package or
// with a Test function, points that are not positive.
func Load(root string) (map[string]Set, error) {
	dir := filepath.Join(root, Dir)
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return map[string]Set{}, nil
	}
	if err != nil {
		return nil, err
	}
	points, err := readPoints(filepath.Join(dir, "points.json"))
	if err != nil {
		return nil, err
	}
	sets := map[string]Set{}
	for _, d := range entries {
		name := d.Name()
		if !d.IsDir() {
			if name != "points.json" {
				return nil, fmt.Errorf("%s/%s: only points.json and exercise folders belong in %s/", Dir, name, Dir)
			}
			continue
		}
		e, ok := catalog.Find(name)
		if !ok || e.ID != name {
			return nil, fmt.Errorf("%s/%s: not an exercise ID (see 'go run ./grader list')", Dir, name)
		}
		files, err := specFiles(filepath.Join(dir, name), e)
		if err != nil {
			return nil, err
		}
		p, ok := points[name]
		if !ok {
			return nil, fmt.Errorf("%s/points.json: no entry for %s", Dir, name)
		}
		sets[name] = Set{Exercise: name, Files: files, Points: p}
	}
	for id, p := range points {
		if _, ok := sets[id]; !ok {
			return nil, fmt.Errorf("%s/points.json: %q has no folder %s/%s", Dir, id, Dir, id)
		}
		if p <= 0 {
			return nil, fmt.Errorf("%s/points.json: %s is worth %d points; want a positive number", Dir, id, p)
		}
	}
	return sets, nil
}

func readPoints(file string) (map[string]int, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("hidden specs need %s/points.json: %w", Dir, err)
	}
	var points map[string]int
	if err := json.Unmarshal(data, &points); err != nil {
		return nil, fmt.Errorf("%s/points.json: %w (want {\"04-tlb\": 3, …})", Dir, err)
	}
	return points, nil
}

// specFiles returns the spec files in dir, checked to belong to e's
// external test package and to declare no Test function.
func specFiles(dir string, e catalog.Exercise) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var files []string
	for _, d := range entries {
		rel := Dir + "/" + e.ID + "/" + d.Name()
		if d.IsDir() || !strings.HasSuffix(d.Name(), "_test.go") {
			return nil, fmt.Errorf("%s: only _test.go files are hidden specs", rel)
		}
		p := filepath.Join(dir, d.Name())
		f, err := parser.ParseFile(token.NewFileSet(), p, nil, parser.SkipObjectResolution)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", rel, err)
		}
		if want := e.Package + "_test"; f.Name.Name != want {
			return nil, fmt.Errorf("%s: package %s; want %s, the exercise's test package", rel, f.Name.Name, want)
		}
		if name, ok := testFunc(f); ok {
			return nil, fmt.Errorf("%s: declares %s; hidden specs only declare specs (the exercise's own test runs them)", rel, name)
		}
		files = append(files, p)
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("%s/%s: no spec files", Dir, e.ID)
	}
	sort.Strings(files)
	return files, nil
}

// testFunc returns the first function of f that go test would run itself
// (TestMain, or Test followed by an upper-case letter, a digit or nothing).
func testFunc(f *ast.File) (string, bool) {
	for _, d := range f.Decls {
		fn, ok := d.(*ast.FuncDecl)
		if !ok || fn.Recv != nil {
			continue
		}
		rest, ok := strings.CutPrefix(fn.Name.Name, "Test")
		if ok && (rest == "" || !unicode.IsLower([]rune(rest)[0])) {
			return fn.Name.Name, true
		}
	}
	return "", false
}

// Apply returns a copy of list in which each exercise with hidden specs is
// worth its catalog points plus theirs.
func Apply(list []catalog.Exercise, sets map[string]Set) []catalog.Exercise {
	out := make([]catalog.Exercise, len(list))
	for i, e := range list {
		e.Points += sets[e.ID].Points
		out[i] = e
	}
	return out
}

package run

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vmkata/vmkata/catalog"
)

// hostileExercise misbehaves in every way (testdata/hostile), with its own
// judge suite and subject command.
var hostileExercise = catalog.Exercise{ID: "00-hostile", Folder: "grader/internal/run/testdata/hostile", Points: 9,
	FacadeFolder: "grader/internal/run/testdata/hostile/facade", SubjectFolder: "grader/internal/run/testdata/hostile/subject"}

func moduleRoot(t *testing.T) string {
	root, err := filepath.Abs("../../..")
	require.NoError(t, err)
	_, err = os.Stat(filepath.Join(root, "go.mod"))
	require.NoError(t, err, "the module root must hold go.mod")
	return root
}

// Learner code that panics, hangs, exits or exhausts memory costs only its
// own specs: the others are still graded and passing ones earn their points.
func TestGradeContainsHostileCode(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a test binary several times")
	}
	e := hostileExercise
	res, err := Grade(context.Background(), e, Options{
		Root: moduleRoot(t), WorkDir: t.TempDir(), AllowReference: true,
		Timeout: 5 * time.Second, SpecTimeout: 3 * time.Second, MemoryLimit: 1 << 30,
	})
	require.NoError(t, err)
	states := map[string]string{}
	for _, s := range res.Specs {
		states[s.Name] = s.State
	}
	assert.Equal(t, map[string]string{
		"hostile works":     "passed",
		"hostile panics":    "panicked",
		"hostile hangs":     "panicked",
		"hostile exits":     "panicked",
		"hostile hoards":    "panicked",
		"hostile works too": "passed",
	}, states)
	assert.Equal(t, 5, res.Points, "the two working specs are worth 2 and 3 points")
	assert.Equal(t, 9, res.MaxPoints)
	for _, s := range res.Specs {
		switch s.Name {
		case "hostile hangs":
			assert.Contains(t, s.Failure, "Hangs did not finish within 3s")
		case "hostile exits":
			assert.Contains(t, s.Failure, "exited with status 3")
		case "hostile hoards":
			assert.Contains(t, s.Failure, "memory")
		}
	}
}

func TestGradeReportsCompileErrors(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command")
	}
	root := moduleRoot(t)
	dir := t.TempDir()
	broken := filepath.Join(dir, "broken.go")
	require.NoError(t, os.WriteFile(broken, []byte("package hostile\n\nfunc Works() int { return \"no\" }\n"), 0o644))
	e := hostileExercise
	res, err := Grade(context.Background(), e, Options{
		Root: root, WorkDir: dir, AllowReference: true,
		Overlay: map[string]string{filepath.Join(root, e.Dir(), "hostile.go"): broken},
	})
	require.NoError(t, err)
	assert.Contains(t, res.Problem, "does not compile")
	assert.Contains(t, res.Problem, "cannot use \"no\"")
	assert.Equal(t, 0, res.Points)
	assert.Equal(t, 9, res.MaxPoints, "an exercise that does not compile is still worth its catalog points")
}

func TestPointsOf(t *testing.T) {
	tests := []struct {
		labels []string
		want   int
	}{
		{nil, 1},
		{[]string{"topic:tlb"}, 1},
		{[]string{"topic:tlb", "points:3"}, 3},
		{[]string{"points:0", "points:2"}, 2},
		{[]string{"points:x"}, 1},
		{[]string{"property"}, 0},
		{[]string{"points:3", "property"}, 0},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, pointsOf(tt.labels), "pointsOf(%q)", tt.labels)
	}
}

// Code that depends on the reference (here through an added file) gets no
// credit, and the reason names the import chain; its tests are not run.
func TestGradeRefusesReferenceImports(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command")
	}
	root := moduleRoot(t)
	dir := t.TempDir()
	cheat := filepath.Join(dir, "cheat.go")
	require.NoError(t, os.WriteFile(cheat, []byte("package hostile\n\nimport _ \"github.com/vmkata/vmkata/reference/tlb\"\n"), 0o644))
	e := hostileExercise
	res, err := Grade(context.Background(), e, Options{
		Root: root, WorkDir: dir,
		Overlay: map[string]string{filepath.Join(root, e.Dir(), "cheat.go"): cheat},
	})
	require.NoError(t, err)
	assert.Contains(t, res.Problem, "no credit")
	assert.Contains(t, res.Problem, "imports github.com/vmkata/vmkata/reference/tlb")
	assert.Empty(t, res.Specs, "no spec may run when the code depends on the reference")
	assert.Equal(t, 0, res.Points)
}

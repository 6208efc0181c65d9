package main

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vmkata/vmkata/catalog"
)

// root is the kit's module root, seen from this package.
const root = "../.."

// The sample submission: exercise 04's TLB written from the stub's
// contract alone (it also serves the similarity tests as honest work), and
// the example hidden spec, which it passes.
const (
	sampleTLB    = root + "/grader/internal/similarity/testdata/independent_tlb.go"
	hiddenSpec   = root + "/grader/internal/hidden/testdata/hidden/04-tlb/asid_test.go"
	hiddenPoints = 3
)

// unzip unpacks the zip in data into dir, keeping file modes.
func unzip(t *testing.T, data []byte, dir string) {
	t.Helper()
	r, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	require.NoError(t, err)
	for _, f := range r.File {
		require.False(t, strings.Contains(f.Name, "..") || filepath.IsAbs(f.Name), "zip entry %q escapes", f.Name)
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		rc, err := f.Open()
		require.NoError(t, err)
		content, err := io.ReadAll(rc)
		rc.Close()
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(p, content, f.Mode().Perm()))
	}
}

func copyFile(t *testing.T, src, dst string) {
	t.Helper()
	data, err := os.ReadFile(src)
	require.NoError(t, err)
	require.NoError(t, os.MkdirAll(filepath.Dir(dst), 0o755))
	require.NoError(t, os.WriteFile(dst, data, 0o644))
}

// script runs one of the autograder's scripts as Gradescope does (from
// AUTOGRADER_ROOT), with env added, and returns its combined output.
func script(t *testing.T, autograder, name string, env ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, filepath.Join(autograder, "source", name))
	cmd.Dir = autograder
	cmd.Env = append(append(os.Environ(), "AUTOGRADER_ROOT="+autograder), env...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func TestZipLayout(t *testing.T) {
	var b bytes.Buffer
	require.NoError(t, writeZip(&b, root, "4"))
	r, err := zip.NewReader(bytes.NewReader(b.Bytes()), int64(b.Len()))
	require.NoError(t, err)
	modes := map[string]os.FileMode{}
	for _, f := range r.File {
		modes[f.Name] = f.Mode()
	}
	for _, name := range []string{"setup.sh", "run_autograder"} {
		require.Contains(t, modes, name, "Gradescope wants %s at the zip's root", name)
		assert.Equal(t, os.FileMode(0o755), modes[name].Perm(), name)
	}
	for _, name := range []string{"go.mod", "go.sum", "grader/main.go", "catalog/catalog.go", "exercises/04-tlb/tlb.go", "grader.args"} {
		assert.Contains(t, modes, name)
	}
	for name := range modes {
		assert.False(t, strings.HasPrefix(name, ".git/") || strings.HasPrefix(name, "bin/") || strings.HasPrefix(name, "dist/"), name)
	}
}

func TestZipRefusesBadInput(t *testing.T) {
	assert.ErrorContains(t, writeZip(io.Discard, root, "99"), `no exercise "99"`)
	assert.ErrorContains(t, writeZip(io.Discard, t.TempDir(), ""), "is not the kit's root")
}

// setup.sh installs the Go release go.mod names when the go on PATH is
// older. Here curl is a stand-in that records its arguments and fails, so
// the script stops before it touches /usr/local.
func TestSetupInstallsGoWhenOlder(t *testing.T) {
	autograder := t.TempDir()
	copyFile(t, root+"/go.mod", filepath.Join(autograder, "source", "go.mod"))
	require.NoError(t, os.WriteFile(filepath.Join(autograder, "source", "setup.sh"), setupScript, 0o755))
	mod, err := os.ReadFile(root + "/go.mod")
	require.NoError(t, err)
	var need string
	for _, line := range strings.Split(string(mod), "\n") {
		if v, ok := strings.CutPrefix(line, "go "); ok {
			need = v
		}
	}
	require.NotEmpty(t, need)

	bin := t.TempDir()
	stub := func(name, body string) {
		require.NoError(t, os.WriteFile(filepath.Join(bin, name), []byte("#!/bin/sh\n"+body+"\n"), 0o755))
	}
	for _, tc := range []struct {
		have    string
		install bool
	}{{"go1.20.3", true}, {"go1.9", true}, {"go" + need, false}, {"go9.0.0", false}} {
		stub("go", `case "$*" in "env GOVERSION") echo `+tc.have+`;; *) exit 0;; esac`)
		stub("curl", `echo "curl $*"; exit 22`)
		out, err := script(t, autograder, "setup.sh", "PATH="+bin+":/usr/bin:/bin")
		if tc.install {
			assert.Error(t, err, "setup.sh with %s: the stand-in curl fails", tc.have)
			assert.Contains(t, out, "installing go "+need, "setup.sh with %s", tc.have)
			assert.Contains(t, out, "curl -fsSL https://go.dev/dl/go"+need+".linux-", "setup.sh with %s", tc.have)
		} else {
			assert.NoError(t, err, "setup.sh with %s:\n%s", tc.have, out)
			assert.Contains(t, out, "go "+strings.TrimPrefix(tc.have, "go")+" is on PATH")
			assert.NotContains(t, out, "curl")
		}
	}
}

// The zip, unpacked into a temporary AUTOGRADER_ROOT with a hidden spec
// added to the kit, grades a submission that solves exercise 04: every
// point of 04, the hidden spec's included, and a similarity report only
// the instructor sees.
func TestAutograderGradesASubmission(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command on PATH")
	}
	var b bytes.Buffer
	require.NoError(t, writeZip(&b, root, "04"))
	autograder := t.TempDir()
	kit := filepath.Join(autograder, "source")
	unzip(t, b.Bytes(), kit)
	copyFile(t, hiddenSpec, filepath.Join(kit, "hidden", "04-tlb", "asid_test.go"))
	require.NoError(t, os.WriteFile(filepath.Join(kit, "hidden", "points.json"), []byte(`{"04-tlb": 3}`), 0o644))
	copyFile(t, sampleTLB, filepath.Join(autograder, "submission", "exercises", "04-tlb", "tlb.go"))

	out, err := script(t, autograder, "setup.sh")
	require.NoError(t, err, "setup.sh:\n%s", out)
	assert.Contains(t, out, "is on PATH", "setup.sh installs nothing when go is new enough")

	out, err = script(t, autograder, "run_autograder")
	if err != nil && strings.Contains(out, "flag provided but not defined: -submission") {
		t.Fatalf("run_autograder: the grader has no --submission flag yet, so the autograder cannot grade (sealed grading's command line):\n%s", out)
	}
	require.NoError(t, err, "run_autograder:\n%s", out)

	data, err := os.ReadFile(filepath.Join(autograder, "results", "results.json"))
	require.NoError(t, err)
	var results struct {
		Score *float64 `json:"score"`
		Tests []struct {
			Name       string   `json:"name"`
			Score      *float64 `json:"score"`
			MaxScore   *float64 `json:"max_score"`
			Status     string   `json:"status"`
			Visibility string   `json:"visibility"`
			ExtraData  struct {
				Similarity []struct {
					File      string `json:"file"`
					Reference string `json:"reference"`
					Percent   *int   `json:"percent"`
				} `json:"similarity"`
			} `json:"extra_data"`
		} `json:"tests"`
	}
	require.NoError(t, json.Unmarshal(data, &results), "results.json:\n%s", data)
	e, _ := catalog.Find("04")
	var shipped, hidden, max float64
	var similarity int
	for _, tc := range results.Tests {
		require.NotNil(t, tc.Score, tc.Name)
		require.NotNil(t, tc.MaxScore, tc.Name)
		assert.True(t, strings.HasPrefix(tc.Name, "04-tlb: "), "only exercise 04 is graded: %s", tc.Name)
		max += *tc.MaxScore
		switch tc.Visibility {
		case "visible":
			assert.Equal(t, "passed", tc.Status, tc.Name)
			shipped += *tc.Score
		case "after_published":
			assert.Equal(t, "passed", tc.Status, tc.Name)
			hidden += *tc.Score
		case "hidden":
			similarity++
			require.Len(t, tc.ExtraData.Similarity, 1, tc.Name)
			s := tc.ExtraData.Similarity[0]
			assert.Equal(t, "exercises/04-tlb/tlb.go", s.File)
			require.NotNil(t, s.Percent)
			// The plain teaching solution shares more idioms with an
			// independent one than the tuned reference does, and far less
			// than a copy (90 % and more).
			assert.LessOrEqual(t, *s.Percent, 40, "an independent solution is not a copy")
		default:
			t.Errorf("%s: visibility %q", tc.Name, tc.Visibility)
		}
	}
	assert.Equal(t, float64(e.Points), shipped, "the shipped specs earn the catalog's points")
	assert.Equal(t, 1, similarity, "one similarity report, for the instructor only")
	assert.Equal(t, float64(hiddenPoints), hidden, "the hidden spec counts: the grader includes hidden/04-tlb (see grader/internal/hidden)")
	assert.Equal(t, float64(e.Points+hiddenPoints), max)
	require.NotNil(t, results.Score)
	assert.Equal(t, float64(e.Points+hiddenPoints), *results.Score)
}

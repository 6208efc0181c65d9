package stubs

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vmkata/vmkata/catalog"
)

var update = flag.Bool("update", false, "rewrite the copy in shipped/ from the stubs in exercises/")

// root is the module root, from this package's folder.
const root = "../../.."

// learnerFiles reads the stub files of exercise e in the kit: the non-test
// .go files of its folder other than solution.go.
func learnerFiles(t *testing.T, e catalog.Exercise) map[string][]byte {
	t.Helper()
	dir := filepath.Join(root, filepath.FromSlash(e.Dir()))
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, d := range entries {
		name := d.Name()
		if d.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") || name == "solution.go" {
			continue
		}
		if files[name], err = os.ReadFile(filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	return files
}

// TestCopyEqualsShippedStubs holds the embedded copy equal, file for file
// and byte for byte, to the stubs every exercise ships.
func TestCopyEqualsShippedStubs(t *testing.T) {
	if *update {
		if err := os.RemoveAll("shipped"); err != nil {
			t.Fatal(err)
		}
		for _, e := range catalog.Exercises {
			for name, data := range learnerFiles(t, e) {
				if err := os.MkdirAll(filepath.Join("shipped", e.ID), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join("shipped", e.ID, name+Suffix), data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
		}
		t.Skip("rewrote shipped/; rebuild to embed it")
	}
	for _, e := range catalog.Exercises {
		want := learnerFiles(t, e)
		got, err := Files(e.ID)
		if err != nil {
			t.Errorf("Files(%q): %v (run go test ./grader/internal/stubs -update)", e.ID, err)
			continue
		}
		for name, data := range want {
			if !bytes.Equal(got[name], data) {
				t.Errorf("Files(%q)[%q] differs from %s/%s (run go test ./grader/internal/stubs -update)", e.ID, name, e.Dir(), name)
			}
		}
		for name := range got {
			if _, ok := want[name]; !ok {
				t.Errorf("Files(%q) holds %q, which %s does not ship (run go test ./grader/internal/stubs -update)", e.ID, name, e.Dir())
			}
		}
	}
}

func TestFilesOfUnknownExercise(t *testing.T) {
	if _, err := Files("99-nothing"); err == nil {
		t.Error(`Files("99-nothing") = nil error, want one`)
	}
}

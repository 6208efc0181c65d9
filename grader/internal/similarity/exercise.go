package similarity

import (
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/vmkata/vmkata/catalog"
)

// MaxFileSize bounds how much of a learner file CompareExercise reads:
// the first MaxFileSize bytes are compared, the rest ignored, so that a
// huge file costs the grader no more than a large honest one (the
// exercises' stubs are a few KiB).
const MaxFileSize = 1 << 20

// CompareExercise compares a learner's files for exercise e with the
// non-test Go files of e's reference package in the kit at root, and of
// the exercise's teaching solution (exercises/<ID>/teaching) where it has
// one: both ship with the kit, so both can be copied.
// learnerFiles are paths to the learner's files (wherever they lie); each
// is reported under e's folder, as exercises/<ID>/<base name>.
func CompareExercise(root string, e catalog.Exercise, learnerFiles []string) ([]Match, error) {
	reference, err := referenceFiles(root, e.Reference)
	if err != nil {
		return nil, err
	}
	teaching := path.Join(e.Dir(), "teaching")
	if _, err := os.Stat(filepath.Join(root, filepath.FromSlash(teaching))); err == nil {
		more, err := referenceFiles(root, teaching)
		if err != nil {
			return nil, err
		}
		reference = append(reference, more...)
	}
	learner := make([]File, 0, len(learnerFiles))
	for _, p := range learnerFiles {
		src, err := readPrefix(p, MaxFileSize)
		if err != nil {
			return nil, fmt.Errorf("similarity: %w", err)
		}
		learner = append(learner, File{Name: path.Join(e.Dir(), filepath.Base(p)), Src: src})
	}
	return Compare(learner, reference), nil
}

// readPrefix reads at most n bytes from the start of the file at p.
func readPrefix(p string, n int64) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, n))
}

// referenceFiles reads the non-test Go files of the package in dir
// (relative to root), in name order.
func referenceFiles(root, dir string) ([]File, error) {
	entries, err := os.ReadDir(filepath.Join(root, filepath.FromSlash(dir)))
	if err != nil {
		return nil, fmt.Errorf("similarity: reading the reference: %w", err)
	}
	var out []File
	for _, d := range entries {
		name := d.Name()
		if d.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(dir), name))
		if err != nil {
			return nil, fmt.Errorf("similarity: %w", err)
		}
		out = append(out, File{Name: path.Join(dir, name), Src: src})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("similarity: the reference %s holds no Go files", dir)
	}
	return out, nil
}

// Package stubs holds a copy of every exercise's stub as shipped, built
// into the grader, so that "grader reset" can restore a stub byte for byte
// whatever the learner has done to the checkout.
//
// The copy lives in shipped/<exercise ID>/<file>.stub rather than being
// embedded from exercises/ directly: go:embed reads files when the grader is
// built, and the grader is built from the learner's own checkout, where the
// stubs are the learner's work. The test of this package holds the copy
// equal to the stubs in exercises/ (go test ./grader/internal/stubs -update
// rewrites it after a stub changes).
package stubs

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"strings"
)

//go:embed shipped
var shipped embed.FS

// Suffix ends the name of every file of the copy: a stub that ended in .go
// there would be compiled into this package.
const Suffix = ".stub"

// Files returns the stub files of the exercise with the given ID as
// shipped: file name (addr.go) to content. An exercise without a copy is
// an error.
func Files(id string) (map[string][]byte, error) {
	dir := path.Join("shipped", id)
	entries, err := fs.ReadDir(shipped, dir)
	if err != nil || len(entries) == 0 {
		return nil, fmt.Errorf("the grader holds no shipped stub of exercise %s", id)
	}
	files := map[string][]byte{}
	for _, d := range entries {
		name, ok := strings.CutSuffix(d.Name(), Suffix)
		if d.IsDir() || !ok {
			return nil, fmt.Errorf("stubs: %s/%s is not a stub copy", dir, d.Name())
		}
		if files[name], err = fs.ReadFile(shipped, path.Join(dir, d.Name())); err != nil {
			return nil, err
		}
	}
	return files, nil
}

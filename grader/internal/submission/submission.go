// Package submission lays a learner's files into a throw-away copy of the
// trusted kit, so that everything a grade depends on except the learner's
// own code comes from the kit by construction.
//
// Only the non-test .go files directly inside each exercises/NN-*/ folder
// of the submission are taken (never solution.go, never a _test.go, never
// a subfolder, a symbolic link or a file over MaxFileSize). The copy holds
// just what the learner's packages and the subject commands build from:
// go.mod, go.sum, vm, the exercises and the subject's serving code (with
// the trusted rig the Linux lab's subject serves beside the learner's
// package, grader/sealed/labrig). The
// reference, the specs and the rest of the grader are not in it, so no
// learner file can reach them, whatever it imports.
package submission

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/vmkata/vmkata/catalog"
)

// MaxFileSize bounds one learner file.
const MaxFileSize = 1 << 20

// kitParts are the parts of the kit a copy holds, relative to its root.
var kitParts = []string{"go.mod", "go.sum", "vm", "grader/internal/subject", "grader/sealed/remote", "grader/sealed/wire", "grader/sealed/labrig"}

// Copy is a prepared copy of the kit.
type Copy struct {
	Root  string              // the copy's module root
	Files map[string][]string // exercise ID -> the learner's files taken, relative to the copy's root, sorted
	Notes map[string][]string // exercise ID -> files of the submission that were not taken, and why
}

// Prepare copies the kit at kit into dst (which must not exist) and lays
// in the learner's files of every exercise of the catalog found in dir.
// An exercise the submission lacks keeps the kit's stub. Neither kit nor
// dir is written.
func Prepare(kit, dir, dst string) (*Copy, error) {
	info, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("submission %s: %w", dir, err)
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("submission %s: not a folder", dir)
	}
	c := &Copy{Root: dst, Files: map[string][]string{}, Notes: map[string][]string{}}
	for _, part := range kitParts {
		if err := copyTree(filepath.Join(kit, part), filepath.Join(dst, part), func(string) bool { return true }); err != nil {
			return nil, err
		}
	}
	for _, e := range catalog.Exercises {
		learner := filepath.Join(dir, filepath.FromSlash(e.Dir()))
		stubs := filepath.Join(kit, filepath.FromSlash(e.Dir()))
		into := filepath.Join(dst, filepath.FromSlash(e.Dir()))
		if err := os.MkdirAll(into, 0o755); err != nil {
			return nil, err
		}
		taken, notes, err := c.take(learner, into, e.Dir())
		if err != nil {
			return nil, err
		}
		c.Notes[e.ID] = notes
		if len(taken) == 0 {
			// Nothing handed in: the kit's stub stands.
			if err := copyStubs(stubs, into); err != nil {
				return nil, err
			}
			continue
		}
		c.Files[e.ID] = taken
	}
	return c, nil
}

// isLearnerFile reports whether a file name is one the grader takes from a
// learner.
func isLearnerFile(name string) bool {
	return strings.HasSuffix(name, ".go") && !strings.HasSuffix(name, "_test.go") && name != "solution.go"
}

// take copies the learner's files of one exercise folder.
func (c *Copy) take(from, into, rel string) (taken, notes []string, err error) {
	// The folder must be a folder of the submission, not a link to one
	// elsewhere (the kit's reference, say).
	for d := from; d != filepath.Dir(d); d = filepath.Dir(d) {
		info, err := os.Lstat(d)
		if os.IsNotExist(err) {
			return nil, nil, nil
		}
		if err != nil {
			return nil, nil, err
		}
		if info.Mode()&os.ModeSymlink != 0 {
			return nil, []string{fmt.Sprintf("%s: not taken (%s is a link)", rel, d)}, nil
		}
		if filepath.Base(d) == "exercises" {
			break
		}
	}
	entries, err := os.ReadDir(from)
	if os.IsNotExist(err) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("reading %s: %w", from, err)
	}
	for _, d := range entries {
		name := d.Name()
		if d.IsDir() || !strings.HasSuffix(name, ".go") {
			continue
		}
		if !isLearnerFile(name) {
			notes = append(notes, fmt.Sprintf("%s/%s: not taken (the kit supplies test files and solution.go)", rel, name))
			continue
		}
		info, err := os.Lstat(filepath.Join(from, name))
		if err != nil {
			return nil, nil, err
		}
		if !info.Mode().IsRegular() {
			notes = append(notes, fmt.Sprintf("%s/%s: not taken (not a regular file)", rel, name))
			continue
		}
		if info.Size() > MaxFileSize {
			notes = append(notes, fmt.Sprintf("%s/%s: not taken (%d bytes; the limit is %d)", rel, name, info.Size(), MaxFileSize))
			continue
		}
		data, err := os.ReadFile(filepath.Join(from, name))
		if err != nil {
			return nil, nil, err
		}
		if err := os.WriteFile(filepath.Join(into, name), data, 0o644); err != nil {
			return nil, nil, err
		}
		taken = append(taken, rel+"/"+name)
	}
	sort.Strings(taken)
	return taken, notes, nil
}

// copyStubs copies the kit's stub files of one exercise folder: the
// learner's files as shipped, directly in the folder. Its subfolders (a
// teaching solution) stay out of the copy, so no learner file can import
// them.
func copyStubs(src, dst string) error {
	entries, err := os.ReadDir(src)
	if err != nil {
		return err
	}
	for _, d := range entries {
		if !d.Type().IsRegular() || !isLearnerFile(d.Name()) {
			continue
		}
		data, err := os.ReadFile(filepath.Join(src, d.Name()))
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dst, d.Name()), data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// copyTree copies the regular files under src whose names keep accepts
// (or the single file src) to dst.
func copyTree(src, dst string, keep func(name string) bool) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		if !d.Type().IsRegular() || !keep(d.Name()) {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
}

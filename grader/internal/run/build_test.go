package run

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vmkata/vmkata/catalog"
)

// A cached judge is filed under a digest of what its build reads: the
// kit's Go files and the exercise's tests change it, the learner's files
// do not.
func TestJudgeCacheKey(t *testing.T) {
	kit := t.TempDir()
	write := func(rel, text string) {
		path := filepath.Join(kit, filepath.FromSlash(rel))
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, []byte(text), 0o644))
	}
	write("go.mod", "module example.com/kit\n\ngo 1.26\n")
	write("vm/vm.go", "package vm\n")
	write("exercises/01-a/a.go", "package a\n")
	write("exercises/01-a/a_test.go", "package a\n")
	write("exercises/02-b/b_test.go", "package b\n")
	write("grader/testdata/hostile/x.go", "package x\n")
	e := catalog.Exercise{ID: "01-a"}
	key := func() string {
		j, err := NewJudges(t.TempDir())
		require.NoError(t, err)
		defer j.Close()
		k, err := j.key(context.Background(), Options{Root: kit, Go: "go"}, e)
		require.NoError(t, err)
		return k
	}
	base := key()
	assert.Equal(t, base, key(), "the same kit, the same key")

	write("exercises/01-a/a.go", "package a\n\nfunc Learner() {}\n")
	write("exercises/02-b/b_test.go", "package b\n\n// another exercise's test\n")
	write("grader/testdata/hostile/x.go", "package x\n\n// a hostile case\n")
	assert.Equal(t, base, key(), "learner files, other exercises and testdata are not part of a judge")

	for _, change := range []struct{ file, text string }{
		{"exercises/01-a/a_test.go", "package a\n\n// changed\n"},
		{"vm/vm.go", "package vm\n\n// changed\n"},
		{"specs/new.go", "package specs\n"},
		{"go.mod", "module example.com/kit\n\ngo 1.26.1\n"},
	} {
		write(change.file, change.text)
		k := key()
		assert.NotEqual(t, base, k, "after changing %s", change.file)
		base = k
	}
}

// A run executes its own link to a cached judge, never the cached file: a
// run of another version of the kit files its own judge of the exercise
// and removes the older ones, the one this run uses included.
func TestACachedJudgeOutlivesItsRemovalFromTheCache(t *testing.T) {
	kit := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(kit, "go.mod"), []byte("module example.com/kit\n\ngo 1.26\n"), 0o644))
	e := catalog.Exercise{ID: "01-a"}
	opt := Options{Root: kit, Go: "go"}
	cache := t.TempDir()
	j, err := NewJudges(cache)
	require.NoError(t, err)
	defer j.Close()
	key, err := j.key(context.Background(), opt, e)
	require.NoError(t, err)
	cached := filepath.Join(cache, e.ID+"-"+key+".judge"+exeSuffix)
	require.NoError(t, os.WriteFile(cached, []byte("the judge"), 0o755))

	bin, err := j.build(context.Background(), opt, e)
	require.NoError(t, err)
	assert.NotEqual(t, cached, bin, "the run's judge is its own file")
	require.NoError(t, os.Remove(cached), "another version of the kit replaces the cached judge")
	got, err := os.ReadFile(bin)
	require.NoError(t, err, "the run's judge after the cache lost it")
	assert.Equal(t, "the judge", string(got))
}

// A cached subject is named after the exercise's files and the build's
// settings: runs on different code never share a file.
func TestSubjectCacheName(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "exercises", "01-a")
	require.NoError(t, os.MkdirAll(dir, 0o755))
	write := func(text string) { require.NoError(t, os.WriteFile(filepath.Join(dir, "a.go"), []byte(text), 0o644)) }
	e := catalog.Exercise{ID: "01-a"}
	name := func(opt Options) string {
		opt.SubjectRoot = root
		n, err := subjectName(opt, e)
		require.NoError(t, err)
		return n
	}
	write("package a\n")
	base := name(Options{})
	assert.Regexp(t, `^01-a-[0-9a-f]{24}\.subject`, base)
	assert.Equal(t, base, name(Options{}))
	assert.NotEqual(t, base, name(Options{Tags: []string{"solution"}}))
	assert.NotEqual(t, base, name(Options{Overlay: map[string]string{"/x.go": "/y.go"}}))
	write("package a\n\nfunc F() {}\n")
	assert.NotEqual(t, base, name(Options{}))

	// An exercise that imports another is named after both.
	other := filepath.Join(root, "exercises", "00-b")
	require.NoError(t, os.MkdirAll(other, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(other, "b.go"), []byte("package b\n"), 0o644))
	write("package a\n\nimport _ \"" + catalog.Module + "/exercises/00-b\"\n")
	importing := name(Options{})
	require.NoError(t, os.WriteFile(filepath.Join(other, "b.go"), []byte("package b\n\nfunc G() {}\n"), 0o644))
	assert.NotEqual(t, importing, name(Options{}), "after changing the imported exercise")
}

func TestPruneSubjectsKeepsTheNewest(t *testing.T) {
	cache := t.TempDir()
	e := catalog.Exercise{ID: "01-a"}
	now := time.Now()
	var files []string
	for i := range 6 {
		f := filepath.Join(cache, fmt.Sprintf("01-a-%d.subject", i))
		require.NoError(t, os.WriteFile(f, nil, 0o755))
		require.NoError(t, os.Chtimes(f, now, now.Add(time.Duration(i)*time.Minute)))
		files = append(files, f)
	}
	other := filepath.Join(cache, "02-b-0.subject")
	require.NoError(t, os.WriteFile(other, nil, 0o755))
	pruneSubjects(cache, e, files[0]) // the oldest was just used
	left, err := filepath.Glob(filepath.Join(cache, "*"))
	require.NoError(t, err)
	assert.ElementsMatch(t, []string{files[0], files[3], files[4], files[5], other}, left)
}

package submission

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func kitRoot(t *testing.T) string {
	root, err := filepath.Abs("../../..")
	require.NoError(t, err)
	return root
}

func write(t *testing.T, path, data string) {
	t.Helper()
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
	require.NoError(t, os.WriteFile(path, []byte(data), 0o644))
}

// snapshot maps every file under dir to its contents.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	require.NoError(t, filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err == nil {
			files[p] = string(data)
		}
		return nil
	}))
	return files
}

func TestPrepareTakesOnlyTheLearnersFiles(t *testing.T) {
	kit := kitRoot(t)
	sub := t.TempDir()
	ex := filepath.Join(sub, "exercises", "04-tlb")
	write(t, filepath.Join(ex, "tlb.go"), "package tlb // mine\n")
	write(t, filepath.Join(ex, "helper.go"), "package tlb // mine too\n")
	write(t, filepath.Join(ex, "tlb_test.go"), "package tlb_test // forged\n")
	write(t, filepath.Join(ex, "solution.go"), "//go:build solution\n\npackage tlb // forged\n")
	write(t, filepath.Join(ex, "sub", "x.go"), "package sub\n")
	write(t, filepath.Join(ex, "big.go"), "package tlb\n"+strings.Repeat("//\n", MaxFileSize/3+1))
	require.NoError(t, os.Symlink(filepath.Join(kit, "reference", "tlb", "tlb.go"), filepath.Join(ex, "link.go")))
	write(t, filepath.Join(sub, "go.mod"), "module github.com/vmkata/vmkata\n\nreplace x => ../x\n")
	write(t, filepath.Join(sub, "vm", "extra.go"), "package vm // forged\n")
	write(t, filepath.Join(sub, "specs", "tlbspec", "x.go"), "package tlbspec // forged\n")
	before := snapshot(t, sub)

	dst := filepath.Join(t.TempDir(), "kit")
	c, err := Prepare(kit, sub, dst)
	require.NoError(t, err)

	assert.Equal(t, []string{"exercises/04-tlb/helper.go", "exercises/04-tlb/tlb.go"}, c.Files["04-tlb"])
	assert.Len(t, c.Notes["04-tlb"], 4, "test file, solution.go, link and oversized file are noted: %v", c.Notes["04-tlb"])
	got, err := os.ReadDir(filepath.Join(dst, "exercises", "04-tlb"))
	require.NoError(t, err)
	var names []string
	for _, d := range got {
		names = append(names, d.Name())
	}
	assert.Equal(t, []string{"helper.go", "tlb.go"}, names)

	mod, err := os.ReadFile(filepath.Join(dst, "go.mod"))
	require.NoError(t, err)
	kitMod, err := os.ReadFile(filepath.Join(kit, "go.mod"))
	require.NoError(t, err)
	assert.Equal(t, string(kitMod), string(mod), "go.mod comes from the kit")
	assert.NoFileExists(t, filepath.Join(dst, "vm", "extra.go"))
	assert.NoDirExists(t, filepath.Join(dst, "specs"), "the copy holds no specs")
	assert.NoDirExists(t, filepath.Join(dst, "reference"), "the copy holds no reference")
	assert.Equal(t, before, snapshot(t, sub), "the submission is not written")
}

func TestPrepareKeepsTheStubOfAnExerciseNotHandedIn(t *testing.T) {
	kit := kitRoot(t)
	dst := filepath.Join(t.TempDir(), "kit")
	c, err := Prepare(kit, t.TempDir(), dst)
	require.NoError(t, err)
	assert.Empty(t, c.Files["01-address-split"])
	stub, err := os.ReadFile(filepath.Join(kit, "exercises", "01-address-split", "addr.go"))
	require.NoError(t, err)
	copied, err := os.ReadFile(filepath.Join(dst, "exercises", "01-address-split", "addr.go"))
	require.NoError(t, err)
	assert.Equal(t, string(stub), string(copied))
	assert.NoFileExists(t, filepath.Join(dst, "exercises", "01-address-split", "solution.go"))
	require.DirExists(t, filepath.Join(kit, "exercises", "04-tlb", "teaching"))
	assert.NoDirExists(t, filepath.Join(dst, "exercises", "04-tlb", "teaching"), "a teaching solution stays out of the copy, so no learner file can import it")
}

func TestPrepareRefusesWhatIsNotAFolder(t *testing.T) {
	_, err := Prepare(kitRoot(t), filepath.Join(t.TempDir(), "missing"), filepath.Join(t.TempDir(), "kit"))
	assert.ErrorContains(t, err, "missing")
}

func TestPrepareRefusesAnExerciseFolderThatIsALink(t *testing.T) {
	kit := kitRoot(t)
	sub := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(sub, "exercises"), 0o755))
	require.NoError(t, os.Symlink(filepath.Join(kit, "reference", "addr"), filepath.Join(sub, "exercises", "01-address-split")))
	c, err := Prepare(kit, sub, filepath.Join(t.TempDir(), "kit"))
	require.NoError(t, err)
	assert.Empty(t, c.Files["01-address-split"], "a linked folder is not the learner's")
	assert.NotEmpty(t, c.Notes["01-address-split"])
}

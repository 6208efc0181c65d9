package integrity

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vmkata/vmkata/catalog"
)

var policy = Policy{Module: "m", Learner: []string{"exercises"}, Shared: []string{"vm"},
	Forbidden: []string{"unsafe", "plugin", "os/exec", "syscall", "net", "net/...", "C"}}

func TestSearchRefusesTheKitsOtherPackagesEvenIndirectly(t *testing.T) {
	pkgs := map[string]pkgInfo{
		"m/exercises/04-tlb":   {Imports: []string{"fmt", "m/exercises/04-tlb/x"}},
		"m/exercises/04-tlb/x": {Imports: []string{"m/reference/tlb"}},
		"m/reference/tlb":      {Imports: []string{"m/vm"}},
		"fmt":                  {Standard: true},
	}
	v := search("m/exercises/04-tlb", pkgs, policy, source{})
	require.NotNil(t, v, "an indirect import of the reference must be found")
	assert.Equal(t, []string{"m/exercises/04-tlb", "m/exercises/04-tlb/x", "m/reference/tlb"}, v.Chain)
	assert.Contains(t, v.Error(), "m/exercises/04-tlb/x imports m/reference/tlb")
}

func TestSearchAllowsVocabularyListedStandardPackagesAndOtherExercises(t *testing.T) {
	pkgs := map[string]pkgInfo{
		"m/exercises/05-mmu": {Imports: []string{"m/vm", "fmt", "m/exercises/04-tlb"}},
		"m/exercises/04-tlb": {Imports: []string{"errors"}},
		"m/vm":               {Imports: []string{"unsafe"}}, // the kit's own imports are not the learner's
		"fmt":                {Standard: true}, "errors": {Standard: true},
	}
	assert.Nil(t, search("m/exercises/05-mmu", pkgs, policy, source{}))
}

func TestSearchRefusesForbiddenStandardPackages(t *testing.T) {
	for _, imp := range []string{"unsafe", "os/exec", "syscall", "plugin", "net", "net/http", "C"} {
		pkgs := map[string]pkgInfo{"m/exercises/04-tlb": {Imports: []string{imp}}, imp: {Standard: imp != "C"}}
		v := search("m/exercises/04-tlb", pkgs, policy, source{})
		if assert.NotNil(t, v, "import %q must be refused", imp) {
			assert.Contains(t, v.Error(), "it imports "+imp)
		}
	}
	for _, imp := range []string{"os", "fmt", "log", "sort"} {
		pkgs := map[string]pkgInfo{"m/exercises/04-tlb": {Imports: []string{imp}}, imp: {Standard: true}}
		assert.Nil(t, search("m/exercises/04-tlb", pkgs, policy, source{}), "import %q is allowed", imp)
	}
	allowed := policy
	allowed.Allowed = []string{"syscall"}
	pkgs := map[string]pkgInfo{"m/exercises/19-linux-lab": {Imports: []string{"syscall"}}, "syscall": {Standard: true}}
	assert.Nil(t, search("m/exercises/19-linux-lab", pkgs, allowed, source{}), "an exercise may allow what the default refuses")
}

func TestScanRefusesDirectivesWithFileAndLine(t *testing.T) {
	cases := map[string]string{
		"//go:linkname f github.com/vmkata/vmkata/reference/tlb.New": "//go:linkname",
		"//go:embed solution.go":                                     "//go:embed",
		"//go:build ignore":                                          "//go:build ignore",
		"// +build linux":                                            "//+build linux",
		"//go:cgo_import_dynamic x":                                  "//go:cgo_import_dynamic",
		"//export F":                                                 "//export F",
	}
	for line, want := range cases {
		dir := t.TempDir()
		src := "package tlb\r\n\r\n" + line + "\r\nvar x int\r\n"
		require.NoError(t, os.WriteFile(filepath.Join(dir, "a.go"), []byte(src), 0o644))
		v := scanSources(pkgInfo{Dir: dir, GoFiles: []string{"a.go"}}, source{root: dir})
		if assert.NotNil(t, v, "%q must be refused", line) {
			assert.Contains(t, v.Error(), "a.go:3:")
			assert.Contains(t, v.Error(), want)
		}
	}
}

func TestScanAllowsTheStubsConstraint(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "a.go"), []byte("//go:build !solution\n\npackage tlb\n"), 0o644))
	assert.Nil(t, scanSources(pkgInfo{Dir: dir, GoFiles: []string{"a.go"}}, source{root: dir}))
}

func TestSearchRefusesFilesTheBuildLeavesOut(t *testing.T) {
	for _, f := range []string{"cgo.go", "tlb_windows.go"} {
		pkgs := map[string]pkgInfo{"m/exercises/04-tlb": {IgnoredGoFiles: []string{f, "solution.go", "tlb_test.go"}}}
		v := search("m/exercises/04-tlb", pkgs, policy, source{})
		if assert.NotNil(t, v, "%s must be refused", f) {
			assert.Contains(t, v.Error(), f+" would not be compiled")
		}
	}
	pkgs := map[string]pkgInfo{"m/exercises/04-tlb": {IgnoredGoFiles: []string{"solution.go", "tlb_test.go"}}}
	assert.Nil(t, search("m/exercises/04-tlb", pkgs, policy, source{}), "the kit's solution.go and test files are not the learner's")
}

// The Linux lab's code makes system calls through golang.org/x/sys/unix and
// catches faults with runtime/debug: the catalog allows exactly those to it,
// still refuses the rest of the deny-list, and allows neither to the others.
func TestTheLinuxLabMayImportExactlyWhatItNeeds(t *testing.T) {
	lab, ok := catalog.Find("19")
	require.True(t, ok)
	tlb, ok := catalog.Find("04")
	require.True(t, ok)
	assert.ElementsMatch(t, []string{"golang.org/x/sys/unix", "runtime/debug"}, lab.Imports)
	policyOf := func(e catalog.Exercise) Policy {
		return Policy{Module: catalog.Module, Learner: []string{"exercises"}, Shared: []string{"vm"},
			Forbidden: catalog.ForbiddenImports, Allowed: e.Imports}
	}
	check := func(e catalog.Exercise, imp string) *Violation {
		pkg := e.ImportPath()
		pkgs := map[string]pkgInfo{
			pkg: {Imports: []string{imp}},
			// x/sys/unix's own imports are not the learner's.
			"golang.org/x/sys/unix": {Imports: []string{"syscall", "unsafe"}},
			imp:                     {Standard: !strings.Contains(imp, ".")},
		}
		return search(pkg, pkgs, policyOf(e), source{})
	}
	for _, imp := range []string{"golang.org/x/sys/unix", "runtime/debug", "reflect", "os"} {
		assert.Nil(t, check(lab, imp), "exercise 19 may import %s", imp)
	}
	for _, imp := range []string{"syscall", "unsafe", "os/exec", "net", "golang.org/x/sys/windows"} {
		assert.NotNil(t, check(lab, imp), "exercise 19 may not import %s", imp)
	}
	for _, imp := range []string{"golang.org/x/sys/unix", "runtime/debug"} {
		assert.NotNil(t, check(tlb, imp), "exercise 04 may not import %s", imp)
	}
}

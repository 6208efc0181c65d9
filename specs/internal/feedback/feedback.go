// Package feedback shapes what a learner reads when a spec fails, the same
// way in every spec package:
//
//   - Gomega prints vm's value types through their String methods (a
//     permission as rw-u, an entry as PTE{pfn=0x2a P RW}), not as raw
//     integers. Importing the package registers the formatter.
//   - A rapid property run through Check prints a command that replays the
//     failure under Ginkgo (go test ./exercises/04-tlb/ -ginkgo.focus=…
//     -rapid.seed=N), where rapid alone prints a -run= pattern that selects
//     no Go test.
//   - rapid writes no fail files: a learner's folder stays as it was, under
//     the grader and under plain go test alike (-rapid.nofailfile defaults
//     to true; the command line may still set it).
//
// A property is declared as
//
//	ginkgo.It("agrees with a model", ginkgo.Label("property"), func() {
//		feedback.Check(func(t *rapid.T) { … })
//	})
package feedback

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/gomega/format"
	"pgregory.net/rapid"
)

// vmPackage is the import path of the types the formatter prints.
const vmPackage = "github.com/vmkata/vmkata/vm"

func init() {
	format.RegisterCustomFormatter(vmString)
	// rapid registers its flags in its own init, which runs before this one.
	if err := flag.Set("rapid.nofailfile", "true"); err != nil {
		panic(err)
	}
}

// vmString formats a value of one of vm's types through its String method.
// Errors keep Gomega's own rendering, which already prints Error().
func vmString(v any) (string, bool) {
	if v == nil {
		return "", false
	}
	t := reflect.TypeOf(v)
	if t.PkgPath() != vmPackage {
		return "", false
	}
	if _, isErr := v.(error); isErr {
		return "", false
	}
	s, ok := v.(fmt.Stringer)
	if !ok {
		return "", false
	}
	return s.String(), true
}

// Check runs the property prop inside the current spec, as
// feedback.Check(prop) does, and makes its failure message
// end with a command that replays the failure.
func Check(prop func(*rapid.T)) {
	ginkgo.GinkgoHelper()
	rapid.Check(replayable{ginkgo.GinkgoT()}, prop)
}

// replayable is the spec's testing.TB with rapid's failure messages
// rewritten by Replay.
type replayable struct{ ginkgo.FullGinkgoTInterface }

func (t replayable) Errorf(f string, args ...any) {
	ginkgo.GinkgoHelper()
	t.FullGinkgoTInterface.Error(Replay(fmt.Sprintf(f, args...), ginkgo.CurrentSpecReport().FullText(), packageDir()))
}

func (t replayable) Fatalf(f string, args ...any) {
	ginkgo.GinkgoHelper()
	t.FullGinkgoTInterface.Fatal(Replay(fmt.Sprintf(f, args...), ginkgo.CurrentSpecReport().FullText(), packageDir()))
}

var (
	runFlag     = regexp.MustCompile(`specify -run="(?:[^"\\]|\\.)*" `)
	emptyHeader = regexp.MustCompile(`\n(Failed test output|Traceback):\s*$`)
)

// Replay rewrites a failure message of rapid's for a spec: its "specify
// -run=… -rapid.seed=N" becomes a go test command for the package in pkgDir
// (relative to the module root) focused on the spec's full text, and a
// heading left with nothing under it is dropped (what rapid logs after it
// is in the spec's captured output).
func Replay(msg, spec, pkgDir string) string {
	pkg := "./"
	if pkgDir != "." {
		pkg += filepath.ToSlash(pkgDir) + "/"
	}
	cmd := fmt.Sprintf("run: go test %s -ginkgo.focus=%s ", pkg, shellQuote(regexp.QuoteMeta(spec)))
	msg = runFlag.ReplaceAllLiteralString(msg, cmd)
	return emptyHeader.ReplaceAllString(msg, "")
}

// shellQuote quotes s for a POSIX shell.
func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// packageDir returns the test's working directory (go test runs a test in
// its package's folder) relative to the module root, or "." when no go.mod
// is found above it.
func packageDir() string {
	wd, err := os.Getwd()
	if err != nil {
		return "."
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			rel, err := filepath.Rel(dir, wd)
			if err != nil {
				return "."
			}
			return rel
		}
		if filepath.Dir(dir) == dir {
			return "."
		}
	}
}

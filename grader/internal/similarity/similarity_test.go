package similarity

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vmkata/vmkata/catalog"
)

// root is the kit's module root, seen from this package.
const root = "../../.."

// referencePackages returns every reference package an exercise mirrors,
// each once, with its files.
func referencePackages(t *testing.T) map[string][]File {
	t.Helper()
	out := map[string][]File{}
	for _, e := range catalog.Exercises {
		if _, seen := out[e.Reference]; seen {
			continue
		}
		files, err := referenceFiles(root, e.Reference)
		require.NoError(t, err)
		out[e.Reference] = files
	}
	return out
}

// learnerFiles returns the shipped stub files of e.
func learnerFiles(t *testing.T, e catalog.Exercise) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(root, e.Dir()))
	require.NoError(t, err)
	var out []string
	for _, d := range entries {
		n := d.Name()
		if strings.HasSuffix(n, ".go") && !strings.HasSuffix(n, "_test.go") && n != "solution.go" {
			out = append(out, filepath.Join(root, e.Dir(), n))
		}
	}
	require.NotEmpty(t, out, "%s has no stub", e.ID)
	return out
}

func TestVerbatimCopyIsFound(t *testing.T) {
	for pkg, files := range referencePackages(t) {
		for _, f := range files {
			if len(symbols(f.Src)) < K+W {
				continue // declarations only: nothing a learner writes
			}
			got := Compare([]File{{Name: "copy.go", Src: f.Src}}, files)
			require.Len(t, got, 1)
			assert.GreaterOrEqual(t, got[0].Percent, 95, "Compare(copy of %s, %s) = %d %%", f.Name, pkg, got[0].Percent)
			assert.Equal(t, f.Name, got[0].Reference, "Compare(copy of %s, %s): best reference", f.Name, pkg)
			t.Logf("verbatim %s: %d %%", f.Name, got[0].Percent)
		}
	}
}

func TestDisguisedCopyIsFound(t *testing.T) {
	tests := []struct {
		name  string
		swap  bool // also swap neighbouring functions
		least int  // the lowest percentage accepted
	}{
		{"renamed, x++ rewritten, comments and layout changed", false, 80},
		{"and neighbouring functions swapped", true, 50},
	}
	for _, tt := range tests {
		worst := 100
		for pkg, files := range referencePackages(t) {
			for _, f := range files {
				if len(symbols(f.Src)) < K+W {
					continue
				}
				disguised := disguise(t, f.Src, tt.swap)
				got := Compare([]File{{Name: "copy.go", Src: disguised}}, files)
				assert.GreaterOrEqual(t, got[0].Percent, tt.least, "%s: Compare(copy of %s, %s) = %d %%", tt.name, f.Name, pkg, got[0].Percent)
				assert.Equal(t, f.Name, got[0].Reference, "%s: Compare(copy of %s, %s): best reference", tt.name, f.Name, pkg)
				worst = min(worst, got[0].Percent)
			}
		}
		t.Logf("%s: %d %% or more", tt.name, worst)
	}
}

// disguise rewrites Go source as someone hiding a copy would: every
// identifier renamed, x++ written x += 1, the comments replaced by others,
// indented with spaces, with blank lines and comments between statements;
// and, if swap is set, each pair of neighbouring functions swapped.
func disguise(t *testing.T, src []byte, swap bool) []byte {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "", src, 0) // without comments
	require.NoError(t, err)
	names := map[string]string{}
	ast.Inspect(f, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && id.Name != "_" {
			if _, ok := names[id.Name]; !ok {
				names[id.Name] = fmt.Sprintf("my%dName", len(names))
			}
			id.Name = names[id.Name]
		}
		if block, ok := n.(*ast.BlockStmt); ok {
			for i, st := range block.List {
				if inc, ok := st.(*ast.IncDecStmt); ok && inc.Tok == token.INC {
					block.List[i] = &ast.AssignStmt{Lhs: []ast.Expr{inc.X}, Tok: token.ADD_ASSIGN,
						Rhs: []ast.Expr{&ast.BasicLit{Kind: token.INT, Value: "1"}}}
				}
			}
		}
		return true
	})
	for i := 1; swap && i < len(f.Decls); i += 2 {
		_, a := f.Decls[i-1].(*ast.FuncDecl)
		_, b := f.Decls[i].(*ast.FuncDecl)
		if a && b {
			f.Decls[i-1], f.Decls[i] = f.Decls[i], f.Decls[i-1]
		}
	}
	var b bytes.Buffer
	cfg := printer.Config{Mode: printer.UseSpaces, Tabwidth: 3}
	require.NoError(t, cfg.Fprint(&b, fset, f))
	var out strings.Builder
	for i, line := range strings.Split(b.String(), "\n") {
		if i%4 == 3 {
			out.WriteString("\n    // my own work, step by step\n")
		}
		out.WriteString(line + "   \n")
	}
	require.NotEqual(t, string(src), out.String())
	return []byte(out.String())
}

func TestStubsAreNotCopies(t *testing.T) {
	for _, e := range catalog.Exercises {
		got, err := CompareExercise(root, e, learnerFiles(t, e))
		require.NoError(t, err)
		for _, m := range got {
			assert.LessOrEqual(t, m.Percent, 5, "CompareExercise(%s, shipped stub %s) = %d %%", e.ID, m.File, m.Percent)
			t.Logf("stub %s: %d %%", m.File, m.Percent)
		}
	}
}

// testdata/independent_tlb.go passes exercise 04's specs and was written
// from the stub's contract alone.
func TestIndependentSolutionIsNotACopy(t *testing.T) {
	e, ok := catalog.Find("04")
	require.True(t, ok)
	got, err := CompareExercise(root, e, []string{"testdata/independent_tlb.go"})
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.Equal(t, "exercises/04-tlb/independent_tlb.go", got[0].File)
	// The teaching solution is deliberately plain, as an independent one
	// tends to be: they share more idioms than either does with the tuned
	// reference, and still far less than a copy (90 % and more).
	assert.LessOrEqual(t, got[0].Percent, 40, "CompareExercise(04, independent solution) = %d %%", got[0].Percent)
	t.Logf("independent solution: %d %% (%s)", got[0].Percent, got[0].Reference)
	ref, err := referenceFiles(root, e.Reference)
	require.NoError(t, err)
	m := Compare([]File{{Name: "independent_tlb.go", Src: mustRead(t, "testdata/independent_tlb.go")}}, ref)
	require.Len(t, m, 1)
	assert.LessOrEqual(t, m[0].Percent, 15, "against the reference alone")
}

func TestLineEndingsDoNotMatter(t *testing.T) {
	e, _ := catalog.Find("04")
	reference, err := referenceFiles(root, e.Reference)
	require.NoError(t, err)
	indep, err := os.ReadFile("testdata/independent_tlb.go")
	require.NoError(t, err)
	i := slices.IndexFunc(reference, func(f File) bool { return f.Name == "reference/tlb/tlb.go" })
	require.GreaterOrEqual(t, i, 0)
	for _, src := range [][]byte{reference[i].Src, indep, disguise(t, reference[i].Src, true)} {
		lf := Compare([]File{{Name: "x.go", Src: src}}, reference)
		crlf := Compare([]File{{Name: "x.go", Src: bytes.ReplaceAll(src, []byte("\n"), []byte("\r\n"))}}, reference)
		assert.Equal(t, lf, crlf)
		crlfReference := make([]File, len(reference))
		for i, f := range reference {
			crlfReference[i] = File{Name: f.Name, Src: bytes.ReplaceAll(f.Src, []byte("\n"), []byte("\r\n"))}
		}
		assert.Equal(t, lf, Compare([]File{{Name: "x.go", Src: src}}, crlfReference))
	}
}

func TestShortBrokenOrEmptyFiles(t *testing.T) {
	reference := []File{{Name: "ref.go", Src: []byte("package p\nfunc F() int { x := 1; for i := 0; i < 10; i++ { x += i * 2 }; return x }\n")}}
	tests := []struct {
		name string
		src  string
	}{
		{"empty", ""},
		{"package clause only", "package p\n"},
		{"shorter than a k-gram", "package p\nfunc F() int { return 1 }\n"},
		{"does not scan", "package p\n\"unterminated\nfunc ( { ` \x00"},
	}
	for _, tt := range tests {
		got := Compare([]File{{Name: "a.go", Src: []byte(tt.src)}}, reference)
		assert.Equal(t, []Match{{File: "a.go"}}, got, tt.name)
	}
}

func TestGivenDropsHeadersOnly(t *testing.T) {
	src := `package p

import (
	"fmt"
	v "github.com/vmkata/vmkata/vm"
)

import "errors"

type T struct{ n int }

func (t *T) F(x interface{ M() }, y struct{}) (r struct{ a int }) {
	return
}
`
	want := []token.Token{token.TYPE, token.IDENT, token.STRUCT, token.LBRACE, token.IDENT, token.IDENT, token.RBRACE,
		token.RETURN, token.RBRACE}
	assert.Equal(t, want, symbols([]byte(src)))
}

func TestCompareExerciseErrors(t *testing.T) {
	e, _ := catalog.Find("04")
	_, err := CompareExercise(root, e, []string{"testdata/no-such-file.go"})
	assert.ErrorContains(t, err, "no-such-file.go")
	e.Reference = "reference/no-such-package"
	_, err = CompareExercise(root, e, nil)
	assert.ErrorContains(t, err, "reading the reference")
}

func TestCompareExerciseReadsABoundedPrefix(t *testing.T) {
	e, _ := catalog.Find("04")
	reference, err := referenceFiles(root, e.Reference)
	require.NoError(t, err)
	i := slices.IndexFunc(reference, func(f File) bool { return f.Name == "reference/tlb/tlb.go" })
	require.GreaterOrEqual(t, i, 0)
	// A comment longer than MaxFileSize, which carries no tokens, before
	// or after a copy: the copy is read only when it comes first.
	comment := "\n// " + strings.Repeat("x", MaxFileSize) + "\n"
	dir := t.TempDir()
	first, last := filepath.Join(dir, "first.go"), filepath.Join(dir, "last.go")
	require.NoError(t, os.WriteFile(first, []byte(string(reference[i].Src)+comment), 0o644))
	require.NoError(t, os.WriteFile(last, []byte(comment+string(reference[i].Src)), 0o644))
	got, err := CompareExercise(root, e, []string{first, last})
	require.NoError(t, err)
	assert.Equal(t, 100, got[0].Percent, "a copy in the first MiB is found")
	assert.Equal(t, Match{File: "exercises/04-tlb/last.go"}, got[1], "nothing past the first MiB is read")
}

// The teaching solutions ship with the kit as the reference does: a copy of
// one is reported as a copy, under its own name.
func TestACopyOfTheTeachingSolutionIsFound(t *testing.T) {
	e, ok := catalog.Find("04")
	require.True(t, ok)
	got, err := CompareExercise(root, e, []string{filepath.Join(root, "exercises/04-tlb/teaching/tlb.go")})
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.GreaterOrEqual(t, got[0].Percent, 90)
	assert.Equal(t, "exercises/04-tlb/teaching/tlb.go", got[0].Reference)
}

func mustRead(t *testing.T, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	require.NoError(t, err)
	return b
}

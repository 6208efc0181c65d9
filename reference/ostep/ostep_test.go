package ostep

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSolveReproducesOSTEP solves every problem in testdata and checks that
// the answers appear, line for line, in what OSTEP's simulator printed with -c.
func TestSolveReproducesOSTEP(t *testing.T) {
	problems, err := filepath.Glob("testdata/*.txt")
	require.NoError(t, err)
	require.NotEmpty(t, problems)
	for _, p := range problems {
		t.Run(filepath.Base(p), func(t *testing.T) {
			f, err := os.Open(p)
			require.NoError(t, err)
			defer f.Close()
			want, err := os.ReadFile(strings.TrimSuffix(p, ".txt") + ".out")
			require.NoError(t, err)
			var got bytes.Buffer
			if strings.HasPrefix(filepath.Base(p), "multilevel") {
				m, err := ParseMultilevel(f, p)
				require.NoError(t, err)
				require.NotEmpty(t, m.Addresses)
				require.NoError(t, m.Solve(&got))
				assert.Equal(t, strings.Count(string(want), "Virtual Address"), strings.Count(got.String(), "Virtual Address"))
			} else {
				l, err := ParseLinear(f, p)
				require.NoError(t, err)
				require.NotEmpty(t, l.Addresses)
				require.NoError(t, l.Solve(&got))
				assert.Equal(t, strings.Count(string(want), "  VA "), strings.Count(got.String(), "  VA "))
			}
			assert.Contains(t, string(want), got.String(), "the answers are not what OSTEP's -c printed")
		})
	}
}

func TestParseErrorsNameTheLine(t *testing.T) {
	page := "page   0:" + strings.Repeat("7f", 32)
	tests := []struct {
		name, text, want string
		linear           bool
	}{
		{"short page", "page   0:7f7f\nPDBR: 0\n", "in:1: page 0 has 4 hex digits, want 64", false},
		{"non-hex byte", "page   0:zz" + strings.Repeat("7f", 31) + "\n", "in:1: page 0: byte 0 is \"zz\"", false},
		{"page number", "page 200:" + strings.Repeat("7f", 32) + "\n", "in:1: want \"page N:\" with N in 0..127", false},
		{"no PDBR", page + "\n", "in: no PDBR line", false},
		{"bad PDBR", page + "\nPDBR: x\n", "in:2: PDBR \"x\"", false},
		{"PDBR page missing", page + "\nPDBR: 5\n", "the PDBR's page 5 is not in the dump", false},
		{"bad address", page + "\nPDBR: 0\nVirtual Address 9zzz: Translates\n", "in:3: virtual address \"9zzz\"", false},
		{"address too wide", page + "\nPDBR: 0\nVirtual Address ffff: Translates\n", "in:3: virtual address \"ffff\" is not a 15-bit", false},
		{"no page size", "Page Table\n  0x80000001\n", "in: no \"ARG page size\" line", true},
		{"bad page size", "ARG page size 3k\n", "in:1: page size 3072 is not a power of two", true},
		{"bad entry", "ARG page size 4k\nPage Table (from entry 0 down to the max size)\n  0xnothex\n", "in:3: page-table entry \"0xnothex\"", true},
		{"no table", "ARG page size 4k\n", "in: no \"Page Table\" entry line", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			if tt.linear {
				_, err = ParseLinear(strings.NewReader(tt.text), "in")
			} else {
				_, err = ParseMultilevel(strings.NewReader(tt.text), "in")
			}
			var pe *ParseError
			require.True(t, errors.As(err, &pe), "got %v, want a *ParseError", err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

func TestTranslateNeedsThePagesItReads(t *testing.T) {
	// The directory's entry 0 points at page 9, which the dump lacks.
	m, err := ParseMultilevel(strings.NewReader("page   0:89"+strings.Repeat("7f", 31)+"\nPDBR: 0\nVirtual Address 0001: ?\n"), "in")
	require.NoError(t, err)
	var out bytes.Buffer
	assert.ErrorContains(t, m.Solve(&out), "page 9 is not in the dump")

	l, err := ParseLinear(strings.NewReader("ARG page size 1k\nPage Table\n  0x80000001\n\nVirtual Address Trace\n  VA 0x00000801 (decimal: 2049) --> PA?\n"), "in")
	require.NoError(t, err)
	assert.ErrorContains(t, l.Solve(&out), "VPN 2 is past the table's 1 entries")
}

// FuzzParse: any text either parses or fails with a *ParseError, never a panic.
func FuzzParse(f *testing.F) {
	for _, p := range []string{"testdata/multilevel-s0.txt", "testdata/linear-s3-verbose.txt"} {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	f.Fuzz(func(t *testing.T, text string) {
		var out bytes.Buffer
		if m, err := ParseMultilevel(strings.NewReader(text), "fuzz"); err == nil {
			_ = m.Solve(&out)
		}
		if l, err := ParseLinear(strings.NewReader(text), "fuzz"); err == nil {
			_ = l.Solve(&out)
		}
	})
}

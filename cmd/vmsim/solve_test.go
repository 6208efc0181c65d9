package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSolvePrintsWhatOSTEPPrintsWithC(t *testing.T) {
	for kind, name := range map[string]string{"ostep-multilevel": "multilevel-s2", "ostep-linear": "linear-s3-verbose"} {
		dir := filepath.Join("..", "..", "reference", "ostep", "testdata")
		want, err := os.ReadFile(filepath.Join(dir, name+".out"))
		require.NoError(t, err)
		got := ok(t, "solve", kind, filepath.Join(dir, name+".txt"))
		assert.NotEmpty(t, got)
		assert.Contains(t, string(want), got, "vmsim solve %s %s", kind, name)
	}
}

func TestSolveRejectsBadInput(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.txt")
	require.NoError(t, os.WriteFile(bad, []byte("PDBR: 3\npage   3:7f7f\n"), 0o644))
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"solve", "ostep-multilevel", bad}, bad + ":2: page 3 has 4 hex digits, want 64"},
		{[]string{"solve", "ostep-linear", bad}, `no "ARG page size" line`},
		{[]string{"solve", "ostep-nothing", bad}, `unknown kind "ostep-nothing"`},
		{[]string{"solve", "ostep-linear"}, "want KIND FILE"},
		{[]string{"solve", "ostep-linear", filepath.Join(t.TempDir(), "missing.txt")}, "no such file"},
	} {
		code, out, errOut := vmsim(t, tt.args...)
		assert.Equal(t, 2, code, "vmsim %v", tt.args)
		assert.Empty(t, out)
		assert.Contains(t, errOut, tt.want, "vmsim %v", tt.args)
	}
}

package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vmkata/vmkata/reference/replace"
	"github.com/vmkata/vmkata/reference/trace"
	"github.com/vmkata/vmkata/vm"
)

// TestReplayFormats: the same trace as a refs file, an oracle-general file
// (detected, and named) and a csv file replays to the same counts as
// Simulate, over several batches of the reading goroutine.
func TestReplayFormats(t *testing.T) {
	refs, err := trace.Zipf(3*batchLen+17, 2000, 1, 5)
	require.NoError(t, err)
	pages := make([]vm.PageID, len(refs))
	var text, csv strings.Builder
	csv.WriteString("time,obj\n")
	for i, r := range refs {
		pages[i] = r.Page
		text.WriteString(strconv.FormatUint(uint64(r.Page), 10) + "\n")
		csv.WriteString(strconv.Itoa(i) + "," + strconv.FormatUint(uint64(r.Page), 10) + "\n")
	}
	dir := t.TempDir()
	refsPath, csvPath, binPath := filepath.Join(dir, "t.refs"), filepath.Join(dir, "t.csv"), filepath.Join(dir, "t.bin")
	require.NoError(t, os.WriteFile(refsPath, []byte(text.String()), 0o644))
	require.NoError(t, os.WriteFile(csvPath, []byte(csv.String()), 0o644))
	f, err := os.Create(binPath)
	require.NoError(t, err)
	require.NoError(t, trace.WriteOracleGeneral(f, pages))
	require.NoError(t, f.Close())

	for _, policy := range []string{"lru", "fifo", "opt", "arc", "wsclock"} {
		want, err := replace.Simulate(policy, 100, refs, replace.Options{Seed: 1}, nil)
		require.NoError(t, err)
		for _, args := range [][]string{
			{"--trace", refsPath},
			{"--trace", binPath},
			{"--trace", binPath, "--trace-format", "oracleGeneral"},
			{"--trace", csvPath, "--trace-format", "csv", "--column", "2"},
		} {
			got := replayJSONOf(t, append([]string{"--policy", policy, "--frames", "100"}, args...)...)
			assert.Equal(t, want.Faults, got.Faults, "%s %v", policy, args)
			assert.Equal(t, want.Evictions, got.Evictions, "%s %v", policy, args)
			assert.Equal(t, uint64(len(refs)), got.Accesses, "%s %v", policy, args)
		}
	}
}

func TestReplayReadErrorMidway(t *testing.T) {
	var b strings.Builder
	for i := range 2 * batchLen {
		b.WriteString(strconv.Itoa(i%50) + "\n")
	}
	b.WriteString("oops\n")
	path := filepath.Join(t.TempDir(), "bad.refs")
	require.NoError(t, os.WriteFile(path, []byte(b.String()), 0o644))
	code, _, errOut := vmsim(t, "replay", "--policy", "lru", "--frames", "4", "--trace", path)
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, path+":"+strconv.Itoa(2*batchLen+1))
	assert.Contains(t, errOut, `"oops"`)
}

// TestSimulateAllocatesPerRunNotPerReference: the two goroutines trade the
// same three batches, so a replay allocates a fixed amount, however long.
func TestSimulateAllocatesPerRunNotPerReference(t *testing.T) {
	text := []byte(strings.Repeat("1\n2\n3\n4\n5\n", 20_000)) // 100,000 references
	p, err := replace.NewFast("lru", 3, replace.Options{})
	require.NoError(t, err)
	allocs := testing.AllocsPerRun(5, func() {
		r, err := trace.NewReader(bytes.NewReader(text), "t", trace.Refs, 0)
		require.NoError(t, err)
		res, err := simulate(p, r)
		require.NoError(t, err)
		require.Equal(t, uint64(100_000), res.Accesses)
	})
	assert.Less(t, allocs, 100.0, "allocations for 100,000 references")
}

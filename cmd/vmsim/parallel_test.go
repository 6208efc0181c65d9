package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vmkata/vmkata/reference/replace"
	"github.com/vmkata/vmkata/reference/trace"
)

// TestCompareParallel: however many runs go at once, compare's counts are
// FaultCurve's, for every policy.
func TestCompareParallel(t *testing.T) {
	refs, err := trace.Zipf(20_000, 300, 0.8, 3)
	require.NoError(t, err)
	var b strings.Builder
	for i, r := range refs {
		b.WriteString(strconv.FormatUint(uint64(r.Page), 10))
		if i%5 == 0 {
			b.WriteString("w")
		}
		b.WriteString("\n")
		refs[i].Write = i%5 == 0
	}
	path := filepath.Join(t.TempDir(), "z.refs")
	require.NoError(t, os.WriteFile(path, []byte(b.String()), 0o644))
	want := map[string][]int{}
	for _, name := range replace.Names() {
		curve, err := replace.FaultCurve(name, refs, 10, 14, replace.Options{Seed: 1})
		require.NoError(t, err)
		for _, r := range curve {
			want[name] = append(want[name], int(r.Faults))
		}
	}
	for _, jobs := range []string{"1", "2", "5"} {
		var got compareJSON
		out := ok(t, "compare", "--policies", "all", "--frames", "10-14", "--trace", path, "--jobs", jobs, "--json", "--progress", "never")
		require.NoError(t, json.Unmarshal([]byte(out), &got))
		assert.Equal(t, want, got.Faults, "--jobs %s", jobs)
	}
}

func TestCompareFlagErrors(t *testing.T) {
	for _, args := range [][]string{
		{"compare", "--refs", "1 2", "--jobs", "0"},
		{"compare", "--refs", "1 2", "--progress", "sometimes"},
	} {
		var stdout, stderr bytes.Buffer
		assert.Equal(t, 2, run(args, &stdout, &stderr), "%v", args)
		assert.Contains(t, stderr.String(), args[len(args)-2], "%v", args)
	}
}

func TestProgressBar(t *testing.T) {
	var done atomic.Uint64
	done.Store(250)
	var w bytes.Buffer
	ticks := make(chan time.Time)
	stop := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		progressBar(&w, "compare", 1000, &done, ticks, stop)
		close(finished)
	}()
	ticks <- time.Now()
	ticks <- time.Now()
	close(stop)
	<-finished
	out := w.String()
	assert.Contains(t, out, "compare [=======>", "a quarter of the bar")
	assert.Contains(t, out, " 25%")
	assert.True(t, strings.HasSuffix(out, "\r"), "the bar erases its line when it stops: %q", out)

	var quiet bytes.Buffer
	stop = make(chan struct{})
	close(stop)
	progressBar(&quiet, "compare", 1000, &done, nil, stop)
	assert.Empty(t, quiet.String(), "a run that ends before the first tick draws nothing")

	assert.Equal(t, "x [==============================] 100%    0.0 M refs/s  ETA 0s ", progressLine("x", 10, 10, time.Hour))
}

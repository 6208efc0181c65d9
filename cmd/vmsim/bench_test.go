package main

import (
	"bufio"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/vmkata/vmkata/reference/trace"
)

// BenchmarkReplay10M compares reading a 10M-line trace file alone with
// replaying it through vmsim replay, to show where the time goes: the
// parser must not be the bottleneck.
func BenchmarkReplay10M(b *testing.B) {
	const lines = 10_000_000
	refs, err := trace.Zipf(lines, 100_000, 0.9, 1)
	if err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(b.TempDir(), "zipf.refs")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriter(f)
	var buf []byte
	for _, r := range refs {
		buf = strconv.AppendUint(buf[:0], uint64(r.Page), 10)
		w.Write(append(buf, '\n'))
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	f.Close()
	refs = nil

	b.Run("parse-only", func(b *testing.B) {
		for b.Loop() {
			r, err := trace.Open(path, trace.Refs, 0)
			if err != nil {
				b.Fatal(err)
			}
			for {
				_, ok, err := r.Next()
				if err != nil {
					b.Fatal(err)
				}
				if !ok {
					break
				}
			}
			r.Close()
		}
		b.ReportMetric(float64(lines)*float64(b.N)/b.Elapsed().Seconds(), "refs/s")
	})
	for _, policy := range []string{"fifo", "lru", "clock", "arc", "opt"} {
		b.Run("replay-"+policy, func(b *testing.B) {
			for b.Loop() {
				if code := run([]string{"replay", "--policy", policy, "--frames", "1000", "--trace", path}, io.Discard, io.Discard); code != 0 {
					b.Fatalf("vmsim replay --policy %s: exit status %d", policy, code)
				}
			}
			b.ReportMetric(float64(lines)*float64(b.N)/b.Elapsed().Seconds(), "refs/s")
		})
	}
}

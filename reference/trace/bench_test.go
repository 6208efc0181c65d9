package trace

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

const benchLines = 10_000_000

// writeBenchTrace writes benchLines lines made by line(i) into a file in
// dir and returns its path.
func writeBenchTrace(b *testing.B, dir string, line func(buf []byte, i int) []byte) string {
	b.Helper()
	path := filepath.Join(dir, "trace")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	var buf []byte
	for i := range benchLines {
		buf = line(buf[:0], i)
		w.Write(buf)
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	return path
}

// benchParse reads the whole file at path once per iteration and reports
// lines per second and allocations per line.
func benchParse(b *testing.B, path string, f Format) {
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		r, err := Open(path, f, 4096)
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
		if r.Count() != benchLines {
			b.Fatalf("read %d references, want %d", r.Count(), benchLines)
		}
		r.Close()
	}
	b.StopTimer()
	b.ReportMetric(float64(benchLines)*float64(b.N)/b.Elapsed().Seconds(), "lines/s")
}

// BenchmarkParseRefs parses a 10M-line reference string, one page a line.
func BenchmarkParseRefs(b *testing.B) {
	path := writeBenchTrace(b, b.TempDir(), func(buf []byte, i int) []byte {
		buf = strconv.AppendUint(buf, uint64(i*7919%100_003), 10)
		return append(buf, '\n')
	})
	benchParse(b, path, Refs)
}

// BenchmarkParseAddr parses a 10M-line address trace with R/W marks.
func BenchmarkParseAddr(b *testing.B) {
	path := writeBenchTrace(b, b.TempDir(), func(buf []byte, i int) []byte {
		buf = append(buf, "0x"...)
		buf = strconv.AppendUint(buf, uint64(i)*0x9e3779b1%(1<<40), 16)
		if i%3 == 0 {
			return append(buf, " W\n"...)
		}
		return append(buf, " R\n"...)
	})
	benchParse(b, path, Addr)
}

// BenchmarkParseLackey parses a 10M-line lackey trace.
func BenchmarkParseLackey(b *testing.B) {
	ops := []string{"I  ", " L ", " S ", " M "}
	path := writeBenchTrace(b, b.TempDir(), func(buf []byte, i int) []byte {
		buf = append(buf, ops[i%4]...)
		buf = strconv.AppendUint(buf, 0x4000000+uint64(i%65536)*8, 16)
		return append(buf, ",8\n"...)
	})
	b.ReportAllocs()
	b.ResetTimer()
	lines := 0
	for b.Loop() {
		r, err := Open(path, Lackey, 4096)
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
		lines += benchLines
		r.Close()
	}
	b.ReportMetric(float64(lines)/b.Elapsed().Seconds(), "lines/s")
}

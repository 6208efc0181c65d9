//go:build linux

package kernel

import (
	"syscall"
	"testing"
)

// BenchmarkLinuxMinorFault is the peer of BenchmarkZeroFillFault: the real
// kernel of the machine running the benchmark taking one anonymous
// zero-fill minor fault per operation (first write to a page of a fresh
// private anonymous mapping), 4096 pages per mapping.
func BenchmarkLinuxMinorFault(b *testing.B) {
	const pages = 4096
	size := syscall.Getpagesize()
	b.ReportAllocs()
	done := 0
	for done < b.N {
		mem, err := syscall.Mmap(-1, 0, pages*size, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANON)
		if err != nil {
			b.Fatalf("mmap: %v", err)
		}
		for i := 0; i < pages && done < b.N; i++ {
			mem[i*size] = 1
			done++
		}
		if err := syscall.Munmap(mem); err != nil {
			b.Fatalf("munmap: %v", err)
		}
	}
}

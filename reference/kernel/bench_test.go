package kernel

import (
	"testing"

	"github.com/vmkata/vmkata/vm"
)

// BenchmarkZeroFillFault measures minor faults on the zero-fill path: each
// iteration writes one untouched anonymous page (fault, frame, clear, map,
// restart). Memory is recycled with MADV_DONTNEED outside the timer.
func BenchmarkZeroFillFault(b *testing.B) {
	const pages = 4096
	k := newKernel(b, Config{Frames: pages})
	pid := spawn(b, k)
	va, err := k.Mmap(pid, MmapArgs{Length: pages * 4096, Perm: vm.PermRW})
	if err != nil {
		b.Fatal(err)
	}
	one := []byte{1}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if i == pages {
			b.StopTimer()
			_ = k.Madvise(pid, va, pages*4096, MadvDontNeed)
			i = 0
			b.StartTimer()
		}
		if err := k.Write(pid, va+vm.VAddr(i*4096), one); err != nil {
			b.Fatal(err)
		}
		i++
	}
	b.ReportMetric(float64(k.Stats().ZeroFills)/b.Elapsed().Seconds(), "faults/s")
}

// BenchmarkFork100k forks a process with 100k resident pages: time, and the
// bytes of page table built (the pages themselves are shared, not copied).
func BenchmarkFork100k(b *testing.B) {
	const pages = 100_000
	k := newKernel(b, Config{Frames: pages + 16, TableFrames: 1024})
	pid := spawn(b, k)
	va, err := k.Mmap(pid, MmapArgs{Length: pages * 4096, Perm: vm.PermRW})
	if err != nil {
		b.Fatal(err)
	}
	for i := range pages {
		if err := k.Write(pid, va+vm.VAddr(i*4096), []byte{1}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	var tables uint64
	for b.Loop() {
		before := k.Stats().TableBytesCopied
		child, err := k.Fork(pid)
		if err != nil {
			b.Fatal(err)
		}
		tables = k.Stats().TableBytesCopied - before
		b.StopTimer()
		_ = k.Exit(child)
		b.StartTimer()
	}
	b.ReportMetric(float64(tables), "table-bytes/fork")
	b.ReportMetric(float64(pages)*4096, "bytes-shared/fork")
}

// BenchmarkThrashing loops over a working set four times the size of
// memory under LRU, so every access is a major fault (swap out + swap in).
func BenchmarkThrashing(b *testing.B) {
	const frames, pages = 64, 256
	k := newKernel(b, Config{Frames: frames, SwapSlots: pages, Policy: "lru"})
	pid := spawn(b, k)
	va, _ := k.Mmap(pid, MmapArgs{Length: pages * 4096, Perm: vm.PermRW})
	one := []byte{1}
	for i := range pages {
		_ = k.Write(pid, va+vm.VAddr(i*4096), one)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if err := k.Write(pid, va+vm.VAddr(i%pages*4096), one); err != nil {
			b.Fatal(err)
		}
		i++
	}
	s := k.Stats()
	b.ReportMetric(float64(s.MajorFaults)/b.Elapsed().Seconds(), "faults/s")
}

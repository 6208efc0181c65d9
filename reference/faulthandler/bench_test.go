package faulthandler_test

import (
	"testing"

	"github.com/vmkata/vmkata/reference/faulthandler"
	"github.com/vmkata/vmkata/reference/kernel"
	"github.com/vmkata/vmkata/vm"
)

// BenchmarkZeroFillFault measures one minor fault on the zero-fill path
// (a first write to anonymous memory) through this handler in the
// reference kernel, and the MADV_DONTNEED that drops the page again.
func BenchmarkZeroFillFault(b *testing.B) {
	k, err := kernel.New(kernel.Config{Frames: 16, FaultHandler: faulthandler.New(),
		Files: map[string][]byte{"/bin/app": {1}}})
	if err != nil {
		b.Fatal(err)
	}
	pid, err := k.Spawn(kernel.Image{Text: "/bin/app"})
	if err != nil {
		b.Fatal(err)
	}
	va, err := k.Mmap(pid, kernel.MmapArgs{Length: 4096, Perm: vm.PermRW})
	if err != nil {
		b.Fatal(err)
	}
	data := []byte{1}
	b.ReportAllocs()
	for b.Loop() {
		if err := k.Write(pid, va, data); err != nil {
			b.Fatal(err)
		}
		if err := k.Madvise(pid, va, 4096, kernel.MadvDontNeed); err != nil {
			b.Fatal(err)
		}
	}
	if s := k.Stats(); s.ZeroFills < uint64(b.N) {
		b.Fatalf("%d zero fills for %d iterations", s.ZeroFills, b.N)
	}
}

package pagetable

import (
	"testing"

	"github.com/vmkata/vmkata/vm"
)

// benchVAs are the pages the walk benchmarks translate, mapped beforehand.
func benchVAs(n int) []vm.VAddr {
	vas := make([]vm.VAddr, n)
	for i := range vas {
		vas[i] = 0x40_0000 + vm.VAddr(i*37%n)<<12 // spread over the range, not sequential
	}
	return vas
}

func benchRadixWalk(b *testing.B, g vm.Geometry) {
	pt, _, _ := newTestRadix(b, g, 256, 256)
	vas := benchVAs(1024)
	for i, va := range vas {
		if err := pt.Map(vm.Mapping{VA: va, PFN: vm.PFN(i), Size: vm.Size4K, Perm: vm.PermRead}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if _, err := pt.Walk(vas[i%len(vas)]); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRadixWalk4Level(b *testing.B) { benchRadixWalk(b, vm.X86_64) }
func BenchmarkRadixWalk5Level(b *testing.B) { benchRadixWalk(b, vm.X86_64_5Level) }

func BenchmarkLinearWalk(b *testing.B) {
	pt, err := NewLinear(vm.X86_32)
	if err != nil {
		b.Fatal(err)
	}
	vas := benchVAs(1024)
	for i, va := range vas {
		if err := pt.Map(vm.Mapping{VA: va, PFN: vm.PFN(i), Size: vm.Size4K, Perm: vm.PermRead}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, err := pt.Walk(vas[i%len(vas)]); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkInvertedWalk(b *testing.B) {
	inv, err := NewInverted(vm.X86_64, 1024)
	if err != nil {
		b.Fatal(err)
	}
	vas := benchVAs(1024)
	for i, va := range vas { // a full table: load factor 1
		if err := inv.Space(vm.ASID(i % 4)).Map(vm.Mapping{VA: va, PFN: vm.PFN(i), Size: vm.Size4K, Perm: vm.PermRead}); err != nil {
			b.Fatal(err)
		}
	}
	spaces := [4]vm.PageTable{inv.Space(0), inv.Space(1), inv.Space(2), inv.Space(3)}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		j := i % len(vas)
		if _, err := spaces[j%4].Walk(vas[j]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRadixMapUnmap maps and unmaps one page far from the others, so
// every iteration allocates, zeroes and frees three table pages.
func BenchmarkRadixMapUnmap(b *testing.B) {
	pt, _, _ := newTestRadix(b, vm.X86_64, 64, 64)
	_ = pt.Map(vm.Mapping{VA: 0x40_0000, PFN: 1, Size: vm.Size4K, Perm: vm.PermRead})
	m := vm.Mapping{VA: 0x7fff_ffff_f000, PFN: 2, Size: vm.Size4K, Perm: vm.PermRW}
	b.ReportAllocs()
	for b.Loop() {
		if err := pt.Map(m); err != nil {
			b.Fatal(err)
		}
		if _, err := pt.Unmap(m.VA); err != nil {
			b.Fatal(err)
		}
	}
}

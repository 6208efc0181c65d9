package mmuspec

import (
	"bytes"
	"errors"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/gomega"

	"github.com/vmkata/vmkata/vm"
)

// The pages of the Load/Store specs: two writable pages in non-adjacent
// frames, then a read-only one, then nothing.
const (
	lsFirst  vm.VAddr = 0x500000 // rw-u, frame 0x130
	lsSecond vm.VAddr = 0x501000 // rw-u, frame 0x140
	lsRO     vm.VAddr = 0x502000 // r--u, frame 0x150
	lsHole   vm.VAddr = 0x503000 // not mapped
	lsLast   vm.VAddr = 0x504000 // rw-u, frame 0x160, followed by nothing
)

func describeLoadStore(build Factory) {
	var r *rig
	ginkgo.BeforeEach(func() {
		r = newRig(build, vm.X86_64, rigOptions{})
		mapPage(r.pt, vm.Mapping{VA: lsFirst, PFN: 0x130, Size: vm.Size4K, Perm: vm.PermRW | vm.PermUser})
		mapPage(r.pt, vm.Mapping{VA: lsSecond, PFN: 0x140, Size: vm.Size4K, Perm: vm.PermRW | vm.PermUser})
		mapPage(r.pt, vm.Mapping{VA: lsRO, PFN: 0x150, Size: vm.Size4K, Perm: vm.PermRead | vm.PermUser})
		mapPage(r.pt, vm.Mapping{VA: lsLast, PFN: 0x160, Size: vm.Size4K, Perm: vm.PermRW | vm.PermUser})
		mapPage(r.pt, vm.Mapping{VA: kernVA, PFN: kernPFN, Size: vm.Size4K, Perm: vm.PermRW, Global: true})
	})
	physBytes := func(pa vm.PAddr, n int) []byte {
		b := make([]byte, n)
		gomega.Expect(r.mem.Read(pa, b)).To(gomega.Succeed(), "reading physical memory at %v", pa)
		return b
	}

	ginkgo.It("stores and loads a range that crosses a page boundary, one translation per page", rules(2, "load", "store"), func() {
		va := lsSecond - 4
		data := []byte("ABCDEFGH")
		before := r.mmu.Stats().Translations
		gomega.Expect(r.mmu.Store(va, data, true)).To(gomega.Succeed(), "Store(%v, %q, user)", va, data)
		gomega.Expect(r.mmu.Stats().Translations-before).To(gomega.Equal(uint64(2)),
			"Store(%v, 8 bytes) across a page boundary: Stats().Translations grew by %d, want 2 (one per page)", va, r.mmu.Stats().Translations-before)
		gomega.Expect(string(physBytes(0x130ffc, 4))).To(gomega.Equal("ABCD"), "after Store(%v, %q): bytes at frame 0x130 offset 0xffc", va, data)
		gomega.Expect(string(physBytes(0x140000, 4))).To(gomega.Equal("EFGH"), "after Store(%v, %q): bytes at frame 0x140 offset 0", va, data)
		got := make([]byte, 8)
		gomega.Expect(r.mmu.Load(va, got, true)).To(gomega.Succeed(), "Load(%v, 8 bytes, user)", va)
		gomega.Expect(string(got)).To(gomega.Equal("ABCDEFGH"), "Load(%v, 8 bytes) after Store(%v, %q)", va, va, data)
	})

	ginkgo.It("writes nothing when a store faults on its second page", rules(2, "store"), func() {
		for _, c := range []struct {
			va   vm.VAddr
			at   vm.VAddr
			kind vm.FaultKind
			code vm.ErrorCode
		}{
			{va: lsRO - 2, at: lsRO, kind: vm.FaultProtection, code: vm.ErrCodeP | vm.ErrCodeW | vm.ErrCodeU},
			{va: lsLast + 0x1000 - 3, at: lsLast + 0x1000, kind: vm.FaultNotPresent, code: vm.ErrCodeW | vm.ErrCodeU},
		} {
			err := r.mmu.Store(c.va, []byte("xxxxxxxx"), true)
			var f *vm.Fault
			gomega.Expect(errors.As(err, &f)).To(gomega.BeTrue(), "Store(%v, 8 bytes, user) returned %v, want a fault at %v", c.va, err, c.at)
			gomega.Expect([]any{f.Addr, f.Kind, f.Code}).To(gomega.Equal([]any{c.at, c.kind, c.code}),
				"Store(%v, 8 bytes, user) faulted with %v; want address %v, %v, code %v", c.va, f, c.at, c.kind, c.code)
		}
		gomega.Expect(physBytes(0x140ffe, 2)).To(gomega.Equal([]byte{0, 0}), "a store that faulted on its second page wrote its first page")
		gomega.Expect(physBytes(0x160ffd, 3)).To(gomega.Equal([]byte{0, 0, 0}), "a store that faulted on its second page wrote its first page")
	})

	ginkgo.It("leaves the buffer alone when a load faults, and checks privilege per call", rules(2, "load", "store"), func() {
		p := bytes.Repeat([]byte{0xaa}, 8)
		err := r.mmu.Load(lsHole-4, p, true)
		gomega.Expect(errors.Is(err, vm.ErrNotPresent)).To(gomega.BeTrue(), "Load(%v, 8 bytes, user) into an unmapped page returned %v, want a not-present fault", lsHole-4, err)
		gomega.Expect(p).To(gomega.Equal(bytes.Repeat([]byte{0xaa}, 8)), "Load(%v, 8 bytes) faulted but changed the buffer", lsHole-4)

		err = r.mmu.Store(kernVA, []byte{1}, true)
		gomega.Expect(errors.Is(err, vm.ErrProtection)).To(gomega.BeTrue(), "Store(%v, user) to a kernel page returned %v, want a protection fault", kernVA, err)
		gomega.Expect(r.mmu.Store(kernVA, []byte{7}, false)).To(gomega.Succeed(), "Store(%v, supervisor) to a kernel page", kernVA)
		gomega.Expect(physBytes(vm.PAddr(uint64(kernPFN)<<12), 1)).To(gomega.Equal([]byte{7}), "after Store(%v, [7], supervisor)", kernVA)
	})

	ginkgo.It("sets A on a load and D on a store, through Load and Store", rules(1, "load", "store", "dirty"), func() {
		gomega.Expect(r.mmu.Load(lsFirst, make([]byte, 4), true)).To(gomega.Succeed(), "Load(%v, 4 bytes, user)", lsFirst)
		gomega.Expect(leaf(r.pt, lsFirst).Leaf().Flags()&(vm.PTEAccessed|vm.PTEDirty)).To(gomega.Equal(vm.PTEAccessed),
			"after Load(%v) the leaf should have A and not D: %v", lsFirst, leaf(r.pt, lsFirst))
		gomega.Expect(r.mmu.Store(lsFirst, []byte{1}, true)).To(gomega.Succeed(), "Store(%v, user)", lsFirst)
		gomega.Expect(leaf(r.pt, lsFirst).Leaf().Has(vm.PTEDirty)).To(gomega.BeTrue(), "after Store(%v) the leaf has no D: %v", lsFirst, leaf(r.pt, lsFirst))
	})
}

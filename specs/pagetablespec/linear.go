package pagetablespec

import (
	"errors"
	"strings"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/gomega"

	"github.com/vmkata/vmkata/vm"
)

// linear declares the behaviour only a linear table has. newLinear builds
// a table and returns its error.
func linear(build factory, newLinear func(vm.Geometry) error) {
	ginkgo.It("refuses x86-64, saying it would need 2^36 entries (512 GiB), and accepts x86-32 (2^20)", ginkgo.Label("rule:02.new-too-big", "points:2"), func() {
		err := newLinear(vm.X86_64)
		gomega.Expect(errors.Is(err, vm.ErrInvalidConfig)).To(gomega.BeTrue(),
			"NewLinear(%v) returned error %v, want an error wrapping %q", vm.X86_64, err, vm.ErrInvalidConfig)
		gomega.Expect(strings.Contains(err.Error(), "2^36") || strings.Contains(err.Error(), "68719476736")).To(gomega.BeTrue(),
			"NewLinear(%v) = %q, want the message to say how many entries it would need (2^36)", vm.X86_64, err)
		gomega.Expect(newLinear(vm.X86_32)).To(gomega.Succeed(), "NewLinear(%v)", vm.X86_32)
	})
	ginkgo.It("accepts exactly 2^24 entries and refuses 2^25", ginkgo.Label("rule:02.new-too-big", "points:1"), func() {
		at := vm.Geometry{Name: "8/8/8/12", VABits: 36, PABits: 40, OffsetBits: 12, Levels: 3, LevelBits: [vm.MaxLevels]uint8{8, 8, 8}, EntryBytes: 8}
		gomega.Expect(newLinear(at)).To(gomega.Succeed(), "NewLinear(%v): 2^24 entries, the limit itself", at)
		over := at
		over.Name, over.VABits, over.LevelBits[0] = "9/8/8/12", 37, 9
		err := newLinear(over)
		gomega.Expect(errors.Is(err, vm.ErrInvalidConfig)).To(gomega.BeTrue(),
			"NewLinear(%v) (2^25 entries) returned error %v, want an error wrapping %q", over, err, vm.ErrInvalidConfig)
	})
	ginkgo.It("refuses a geometry that breaks each clause of vm.Geometry's invariant, and accepts the valid ones at its edges", ginkgo.Label("rule:02.new-invalid", "points:1"), func() {
		for _, g := range invalidGeometries {
			err := newLinear(g)
			gomega.Expect(errors.Is(err, vm.ErrInvalidConfig)).To(gomega.BeTrue(),
				"NewLinear(%+v) (%s) returned error %v, want an error wrapping %q", g, g.Name, err, vm.ErrInvalidConfig)
		}
		one := edgeGeometries[0]
		s := mustBuild(build, one.g)
		m := vm.Mapping{VA: one.va, PFN: 3, Size: one.g.PageSize(), Perm: vm.PermRW}
		mustMap(s.pt, m)
		w, err := s.pt.Walk(one.va)
		gomega.Expect(err == nil && w.Present() && w.Leaf().PFN() == m.PFN).To(gomega.BeTrue(), "%v: Walk(%v) after Map(%v) = %v, %v", one.g.Name, one.va, m, w, err)
	})
	for _, g := range []vm.Geometry{vm.X86_32, vm.Textbook, smallSignExtended} {
		ginkgo.Context(g.String(), func() {
			var s *subject
			ginkgo.BeforeEach(func() { s = mustBuild(build, g) })
			page := uint64(g.PageSize())

			ginkgo.It("reads exactly one entry, at Root() + vpn*EntryBytes", ginkgo.Label("rule:02.walk-one-read", "points:2"), func() {
				for _, vpn := range []uint64{0, 1, 0xa5, 1<<(g.VABits-g.OffsetBits) - 1} {
					va := vm.VAddr(vpn*page + page/2)
					if g.SignExtended && vpn >= 1<<(g.VABits-g.OffsetBits-1) {
						va = vm.VAddr(uint64(va) | ^uint64(0)<<g.VABits) // the upper half
					}
					for _, mapped := range []bool{false, true} {
						if mapped {
							mustMap(s.pt, vm.Mapping{VA: va &^ vm.VAddr(page-1), PFN: 7, Size: g.PageSize(), Perm: vm.PermRead})
						}
						w, err := s.pt.Walk(va)
						gomega.Expect(err).NotTo(gomega.HaveOccurred(), "Walk(%v)", va)
						want := s.pt.Root() + vm.PAddr(vpn*uint64(g.EntryBytes))
						gomega.Expect(w.Steps).To(gomega.Equal(1), "Walk(%v) = %v: Steps", va, w)
						gomega.Expect(w.Reads[0]).To(gomega.Equal(want),
							"Walk(%v).Reads[0] (mapped: %v), want Root() %v + vpn %#x * %d", va, mapped, s.pt.Root(), vpn, g.EntryBytes)
						gomega.Expect(w.Entries[0].Present()).To(gomega.Equal(mapped), "Walk(%v).Entries[0] = %v (mapped: %v)", va, w.Entries[0], mapped)
					}
				}
			})
			ginkgo.It("maps base pages only", ginkgo.Label("rule:02.map-base-only", "points:1"), func() {
				for _, size := range []vm.PageSize{g.PageSize() * 2, g.PageSize() << g.LevelBits[g.Levels-1], g.PageSize() / 2} {
					m := vm.Mapping{VA: 0, PFN: 0, Size: size, Perm: vm.PermRead}
					err := s.pt.Map(m)
					gomega.Expect(errors.Is(err, vm.ErrInvalidConfig)).To(gomega.BeTrue(),
						"Map(%v) on a linear table returned error %v, want an error wrapping %q", m, err, vm.ErrInvalidConfig)
				}
				w, err := s.pt.Walk(0)
				gomega.Expect(err == nil && !w.Present()).To(gomega.BeTrue(), "after the failed Maps: Walk(0x0) = %v, %v; want not present", w, err)
			})
			ginkgo.It("has its notional root at physical address 0", ginkgo.Label("rule:02.root", "points:1"), func() {
				gomega.Expect(s.pt.Root()).To(gomega.Equal(vm.PAddr(0)), "Root()")
			})
		})
	}
	ginkgo.It("indexes a sign-extended address by its low VABits bits", ginkgo.Label("rule:02.sign-extended-index", "points:2"), func() {
		s := mustBuild(build, smallSignExtended)
		g := smallSignExtended
		upper := vm.VAddr(0xffff_ffff_ff80_0000) // the first upper-half page: low 24 bits 0x80_0000
		m := vm.Mapping{VA: upper + 0x3000, PFN: 9, Size: g.PageSize(), Perm: vm.PermRW}
		mustMap(s.pt, m)
		w, err := s.pt.Walk(m.VA + 0x10)
		gomega.Expect(err).NotTo(gomega.HaveOccurred(), "Walk(%v) after Map(%v)", m.VA+0x10, m)
		gomega.Expect(w.Reads[0]).To(gomega.Equal(s.pt.Root()+vm.PAddr(0x803*8)), "Walk(%v).Reads[0]: the VPN of the low 24 bits is 0x803", m.VA+0x10)
		gomega.Expect(w.Present() && w.Leaf().PFN() == m.PFN).To(gomega.BeTrue(), "Walk(%v) = %v, want %v", m.VA+0x10, w, m)
		got, err := s.pt.Unmap(m.VA + 0x10)
		gomega.Expect(err).NotTo(gomega.HaveOccurred(), "Unmap(%v)", m.VA+0x10)
		gomega.Expect(got).To(gomega.Equal(m), "Unmap(%v): the mapping's VA is the canonical (sign-extended) address", m.VA+0x10)
	})
}

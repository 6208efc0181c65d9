package pagetablespec

import (
	"encoding/binary"
	"fmt"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/gomega"

	"github.com/vmkata/vmkata/vm"
)

// readEntry reads the g.EntryBytes-byte little-endian entry at pa straight
// from memory, the way the hardware walker sees it.
func readEntry(s *subject, pa vm.PAddr) vm.PTE {
	b := make([]byte, s.g.EntryBytes)
	gomega.Expect(s.mem.Read(pa, b)).To(gomega.Succeed(), "reading the entry at %v from physical memory", pa)
	if len(b) == 4 {
		return vm.PTE(binary.LittleEndian.Uint32(b))
	}
	return vm.PTE(binary.LittleEndian.Uint64(b))
}

// writeEntry writes e at pa straight into memory.
func writeEntry(s *subject, pa vm.PAddr, e vm.PTE) {
	b := make([]byte, s.g.EntryBytes)
	if len(b) == 4 {
		binary.LittleEndian.PutUint32(b, uint32(e))
	} else {
		binary.LittleEndian.PutUint64(b, uint64(e))
	}
	gomega.Expect(s.mem.Write(pa, b)).To(gomega.Succeed(), "writing %v at %v into physical memory", e, pa)
}

// walkCase is one worked walk: the address and the index it selects at each
// level, root first.
type walkCase struct {
	g       vm.Geometry
	va      vm.VAddr
	indices []uint64
}

// radix declares the behaviour only a multi-level table in physical memory
// has.
func radix(build factory) {
	ginkgo.DescribeTable("a walk reads one entry per level, at table frame + index*EntryBytes",
		func(c walkCase) {
			s := mustBuild(build, c.g)
			page := vm.VAddr(c.g.PageSize())
			m := vm.Mapping{VA: c.va &^ (page - 1), PFN: 0x2a, Size: c.g.PageSize(), Perm: vm.PermRW | vm.PermUser}
			mustMap(s.pt, m)
			w, err := s.pt.Walk(c.va)
			gomega.Expect(err).NotTo(gomega.HaveOccurred(), "Walk(%v) after Map(%v)", c.va, m)
			gomega.Expect(w.Steps).To(gomega.Equal(len(c.indices)), "Walk(%v) = %v: Steps, want one read per level", c.va, w)
			table := s.pt.Root()
			for i, idx := range c.indices {
				want := table + vm.PAddr(idx*uint64(c.g.EntryBytes))
				gomega.Expect(w.Reads[i]).To(gomega.Equal(want),
					"Walk(%v).Reads[%d] (level %d) = %v, want table %v + index %d * %d\nwalk: %v",
					c.va, i, len(c.indices)-i, w.Reads[i], table, idx, c.g.EntryBytes, w)
				gomega.Expect(w.Entries[i]).To(gomega.Equal(readEntry(s, want)),
					"Walk(%v).Entries[%d] differs from the entry in memory at %v", c.va, i, want)
				gomega.Expect(w.Entries[i].Present()).To(gomega.BeTrue(), "Walk(%v).Entries[%d] = %v, want present", c.va, i, w.Entries[i])
				table = vm.PAddr(uint64(w.Entries[i].PFN()) << c.g.OffsetBits)
			}
			gomega.Expect(w.Leaf().PFN()).To(gomega.Equal(m.PFN), "Walk(%v): leaf %v", c.va, w.Leaf())
		},
		func(c walkCase) string { return fmt.Sprintf("%v: %v -> indices %v", c.g.Name, c.va, c.indices) },
		ginkgo.Entry(nil, ginkgo.Label("points:2"), walkCase{vm.X86_64, 0x40_0123, []uint64{0, 0, 2, 0}}),
		ginkgo.Entry(nil, ginkgo.Label("points:2"), walkCase{vm.X86_64, 0x7fff_ffff_f123, []uint64{255, 511, 511, 511}}),
		ginkgo.Entry(nil, ginkgo.Label("points:2"), walkCase{vm.X86_64, 0x7f12_3456_7abc, []uint64{254, 72, 418, 359}}),
		ginkgo.Entry(nil, ginkgo.Label("points:2"), walkCase{vm.X86_64, 0xffff_8000_0000_0000, []uint64{256, 0, 0, 0}}),
		ginkgo.Entry(nil, ginkgo.Label("points:2"), walkCase{vm.X86_64_5Level, 0x00ff_ffff_ffff_f000, []uint64{255, 511, 511, 511, 511}}),
		ginkgo.Entry(nil, ginkgo.Label("points:2"), walkCase{vm.X86_64_5Level, 0xff00_0000_0040_0000, []uint64{256, 0, 0, 2, 0}}),
		ginkgo.Entry(nil, ginkgo.Label("points:2"), walkCase{vm.X86_32, 0xbfff_f000, []uint64{767, 1023}}),
		ginkgo.Entry(nil, ginkgo.Label("points:2"), walkCase{vm.X86_32, 0x0804_8abc, []uint64{32, 72}}),
		ginkgo.Entry(nil, ginkgo.Label("points:2"), walkCase{vm.Textbook, 0x3f80, []uint64{15, 14}}),
	)

	ginkgo.Context("on x86-64", func() {
		var s *subject
		ginkgo.BeforeEach(func() { s = mustBuild(build, vm.X86_64) })

		ginkgo.It("stores leaves in memory as little-endian x86-64 PTEs", ginkgo.Label("points:2"), func() {
			m := vm.Mapping{VA: 0x40_0000, PFN: 0x1234, Size: vm.Size4K, Perm: vm.PermRX | vm.PermUser}
			mustMap(s.pt, m)
			w, _ := s.pt.Walk(m.VA)
			gomega.Expect(w.Steps).To(gomega.Equal(4), "Walk(%v) = %v", m.VA, w)
			flags, _ := vm.PermFlags(m.Perm)
			want := vm.MakePTE(m.PFN, vm.PTEPresent|flags)
			gomega.Expect(readEntry(s, w.Reads[3])).To(gomega.Equal(want), "leaf in memory at %v after Map(%v)", w.Reads[3], m)
			gomega.Expect(s.pt.MarkAccessed(m.VA, true)).To(gomega.Succeed(), "MarkAccessed(%v, true)", m.VA)
			gomega.Expect(readEntry(s, w.Reads[3])).To(gomega.Equal(want|vm.PTEAccessed|vm.PTEDirty),
				"leaf in memory at %v after MarkAccessed(%v, true)", w.Reads[3], m.VA)
			for i := range 3 {
				gomega.Expect(readEntry(s, w.Reads[i]).Has(vm.PTEAccessed)).To(gomega.BeTrue(),
					"level-%d entry in memory at %v after MarkAccessed: A not set", 4-i, w.Reads[i])
			}
			g := vm.Mapping{VA: 0xffff_8000_0000_0000, PFN: 0x99, Size: vm.Size4K, Perm: vm.PermRW, Global: true}
			mustMap(s.pt, g)
			w, _ = s.pt.Walk(g.VA)
			flags, _ = vm.PermFlags(g.Perm)
			gomega.Expect(readEntry(s, w.Reads[3])).To(gomega.Equal(vm.MakePTE(g.PFN, vm.PTEPresent|vm.PTEGlobal|flags)),
				"leaf in memory after Map(%v)", g)
		})

		ginkgo.It("honours the present bit of every intermediate level", ginkgo.Label("points:3"), func() {
			m := vm.Mapping{VA: 0x7fff_ffff_f000, PFN: 0x77, Size: vm.Size4K, Perm: vm.PermRW | vm.PermUser}
			for level := 0; level < 3; level++ {
				s := mustBuild(build, vm.X86_64)
				mustMap(s.pt, m)
				w, _ := s.pt.Walk(m.VA)
				gomega.Expect(w.Steps).To(gomega.Equal(4), "Walk(%v) after Map(%v) = %v", m.VA, m, w)
				old := readEntry(s, w.Reads[level])
				cleared := old &^ vm.PTEPresent // the frame is still there: only P says not to follow it
				writeEntry(s, w.Reads[level], cleared)
				w2, err := s.pt.Walk(m.VA)
				gomega.Expect(err).NotTo(gomega.HaveOccurred(), "Walk(%v) with %v at level %d", m.VA, cleared, 4-level)
				gomega.Expect(w2.Present()).To(gomega.BeFalse(),
					"Walk(%v) with the level-%d entry at %v not present = %v; want not present", m.VA, 4-level, w.Reads[level], w2)
				gomega.Expect(w2.Steps).To(gomega.Equal(level+1),
					"Walk(%v) with the level-%d entry not present = %v; want it to stop there after %d reads", m.VA, 4-level, w2, level+1)
				expectErr(s.pt.MarkAccessed(m.VA, false), vm.ErrNotMapped, "MarkAccessed(%v) through a non-present level-%d entry", m.VA, 4-level)
			}
		})

		ginkgo.It("grants only what every level allows: the effective permission is the intersection", ginkgo.Label("points:2"), func() {
			// The table writes intermediate entries with P, RW and US set; an
			// operating system may clear RW or US higher up (x86 checks every
			// level), so the walker must intersect, not trust the leaf alone.
			m := vm.Mapping{VA: 0x7fff_ffff_f000, PFN: 0x77, Size: vm.Size4K, Perm: vm.PermRWX | vm.PermUser}
			for _, c := range []struct {
				clear vm.PTE
				lost  vm.Perm
			}{{vm.PTEWritable, vm.PermWrite}, {vm.PTEUser, vm.PermUser}, {0, 0}} {
				for level := 0; level < 3; level++ {
					s := mustBuild(build, vm.X86_64)
					mustMap(s.pt, m)
					w, _ := s.pt.Walk(m.VA)
					gomega.Expect(w.Steps).To(gomega.Equal(4), "Walk(%v) after Map(%v) = %v", m.VA, m, w)
					writeEntry(s, w.Reads[level], readEntry(s, w.Reads[level])&^c.clear)
					w2, err := s.pt.Walk(m.VA)
					gomega.Expect(err).NotTo(gomega.HaveOccurred(), "Walk(%v)", m.VA)
					gomega.Expect(w2.Perm).To(gomega.Equal(m.Perm&^c.lost),
						"Walk(%v).Perm with %v cleared in the level-%d entry at %v = %v, want %v",
						m.VA, vm.PTE(c.clear), 4-level, w.Reads[level], w2.Perm, m.Perm&^c.lost)
				}
			}
		})

		ginkgo.It("maps 2 MiB and 1 GiB pages with one leaf at level 2 or 3 (PS set)", ginkgo.Label("points:2"), func() {
			cases := []struct {
				m     vm.Mapping
				steps int
			}{
				{vm.Mapping{VA: 0x20_0000, PFN: 0x200, Size: vm.Size2M, Perm: vm.PermRW | vm.PermUser}, 3},
				{vm.Mapping{VA: 0x4000_0000, PFN: 0x4_0000, Size: vm.Size1G, Perm: vm.PermRX}, 2},
			}
			for _, c := range cases {
				mustMap(s.pt, c.m)
				for _, va := range []vm.VAddr{c.m.VA, c.m.VA + vm.VAddr(c.m.Size) - 1} {
					w, err := s.pt.Walk(va)
					gomega.Expect(err).NotTo(gomega.HaveOccurred(), "Walk(%v) after Map(%v)", va, c.m)
					gomega.Expect(w.Present() && w.Size == c.m.Size && w.Steps == c.steps).To(gomega.BeTrue(),
						"Walk(%v) after Map(%v) = %v; want a %v page after %d reads", va, c.m, w, c.m.Size, c.steps)
					gomega.Expect(w.Leaf().Has(vm.PTEHuge)).To(gomega.BeTrue(), "Walk(%v): leaf %v lacks PS", va, w.Leaf())
					gomega.Expect(w.Leaf().PFN()).To(gomega.Equal(c.m.PFN), "Walk(%v): leaf %v, want the first frame", va, w.Leaf())
					gomega.Expect(w.Perm).To(gomega.Equal(c.m.Perm), "Walk(%v).Perm", va)
				}
			}
			got, err := s.pt.Unmap(0x2f_fff0)
			gomega.Expect(err).NotTo(gomega.HaveOccurred(), "Unmap(0x2ffff0) inside the 2M page")
			gomega.Expect(got).To(gomega.Equal(cases[0].m), "Unmap(0x2ffff0) inside the 2M page")
		})

		ginkgo.It("refuses overlaps between huge and small pages, and misaligned huge frames", ginkgo.Label("points:2"), func() {
			huge := vm.Mapping{VA: 0x20_0000, PFN: 0x200, Size: vm.Size2M, Perm: vm.PermRW}
			small := vm.Mapping{VA: 0x30_0000, PFN: 0x5, Size: vm.Size4K, Perm: vm.PermRW}
			mustMap(s.pt, huge)
			expectErr(s.pt.Map(small), vm.ErrAlreadyMapped, "Map(%v) inside %v", small, huge)
			_, _ = s.pt.Unmap(huge.VA)
			mustMap(s.pt, small)
			expectErr(s.pt.Map(huge), vm.ErrAlreadyMapped, "Map(%v) over %v", huge, small)
			giant := vm.Mapping{VA: 0, PFN: 0, Size: vm.Size1G, Perm: vm.PermRead}
			expectErr(s.pt.Map(giant), vm.ErrAlreadyMapped, "Map(%v) over %v", giant, small)
			bad := vm.Mapping{VA: 0x40_0000, PFN: 0x201, Size: vm.Size2M, Perm: vm.PermRead}
			expectErr(s.pt.Map(bad), vm.ErrNotAligned, "Map(%v): frame not 2M-aligned", bad)
			w, _ := s.pt.Walk(small.VA)
			gomega.Expect(w.Present() && w.Leaf().PFN() == small.PFN).To(gomega.BeTrue(), "Walk(%v) after the refused maps = %v, want %v", small.VA, w, small)
		})

		ginkgo.It("frees intermediate table pages when they become empty, never the root", ginkgo.Label("points:3"), func() {
			base := s.frames.FreeFrames()
			a := vm.Mapping{VA: 0x7fff_ffff_e000, PFN: 1, Size: vm.Size4K, Perm: vm.PermRead}
			b := vm.Mapping{VA: 0x7fff_ffff_f000, PFN: 2, Size: vm.Size4K, Perm: vm.PermRead}
			mustMap(s.pt, a)
			gomega.Expect(s.frames.FreeFrames()).To(gomega.Equal(base-3), "FreeFrames() after the first Map(%v): want three new tables (PDPT, PD, PT)", a)
			mustMap(s.pt, b)
			gomega.Expect(s.frames.FreeFrames()).To(gomega.Equal(base-3), "FreeFrames() after Map(%v) in the same page table: want no new table", b)
			_, _ = s.pt.Unmap(a.VA)
			gomega.Expect(s.frames.FreeFrames()).To(gomega.Equal(base-3), "FreeFrames() after Unmap(%v): the page table still maps %v", a.VA, b)
			_, _ = s.pt.Unmap(b.VA)
			gomega.Expect(s.frames.FreeFrames()).To(gomega.Equal(base), "FreeFrames() after unmapping everything: want the three tables freed")
			root := s.pt.Root()
			mustMap(s.pt, a)
			gomega.Expect(s.pt.Root()).To(gomega.Equal(root), "Root() changed after unmapping everything and mapping again")
			w, _ := s.pt.Walk(a.VA)
			gomega.Expect(w.Present()).To(gomega.BeTrue(), "Walk(%v) after mapping again = %v", a.VA, w)
		})

		ginkgo.It("rejects non-canonical addresses with ErrNonCanonical", ginkgo.Label("points:1"), func() {
			for _, va := range []vm.VAddr{0x8000_0000_0000, 0xffff_7fff_ffff_f000} {
				_, err := s.pt.Walk(va)
				expectErr(err, vm.ErrNonCanonical, "Walk(%v)", va)
				expectErr(s.pt.Map(vm.Mapping{VA: va, PFN: 1, Size: vm.Size4K, Perm: vm.PermRead}), vm.ErrNonCanonical, "Map at %v", va)
			}
		})
	})
}

package pagetablespec

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strings"

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
func radix(build factory, newTable func(*subject) error) {
	describeRadixBuild(newTable)
	describeOutOfMemory(build)
	describeReservedBits(build)

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
		ginkgo.Entry(nil, ginkgo.Label("rule:03.entry-address", "rule:03.walk-reads", "points:2"), walkCase{vm.X86_64, 0x40_0123, []uint64{0, 0, 2, 0}}),
		ginkgo.Entry(nil, ginkgo.Label("rule:03.entry-address", "rule:03.walk-reads", "points:2"), walkCase{vm.X86_64, 0x7fff_ffff_f123, []uint64{255, 511, 511, 511}}),
		ginkgo.Entry(nil, ginkgo.Label("rule:03.entry-address", "rule:03.walk-reads", "points:2"), walkCase{vm.X86_64, 0x7f12_3456_7abc, []uint64{254, 72, 418, 359}}),
		ginkgo.Entry(nil, ginkgo.Label("rule:03.entry-address", "rule:03.walk-reads", "points:2"), walkCase{vm.X86_64, 0xffff_8000_0000_0000, []uint64{256, 0, 0, 0}}),
		ginkgo.Entry(nil, ginkgo.Label("rule:03.entry-address", "rule:03.walk-reads", "points:2"), walkCase{vm.X86_64_5Level, 0x00ff_ffff_ffff_f000, []uint64{255, 511, 511, 511, 511}}),
		ginkgo.Entry(nil, ginkgo.Label("rule:03.entry-address", "rule:03.walk-reads", "points:2"), walkCase{vm.X86_64_5Level, 0xff00_0000_0040_0000, []uint64{256, 0, 0, 2, 0}}),
		ginkgo.Entry(nil, ginkgo.Label("rule:03.entry-address", "rule:03.walk-reads", "points:2"), walkCase{vm.X86_32, 0xbfff_f000, []uint64{767, 1023}}),
		ginkgo.Entry(nil, ginkgo.Label("rule:03.entry-address", "rule:03.walk-reads", "points:2"), walkCase{vm.X86_32, 0x0804_8abc, []uint64{32, 72}}),
		ginkgo.Entry(nil, ginkgo.Label("rule:03.entry-address", "rule:03.walk-reads", "points:2"), walkCase{vm.Textbook, 0x3f80, []uint64{15, 14}}),
	)

	ginkgo.Context("on x86-64", func() {
		var s *subject
		ginkgo.BeforeEach(func() { s = mustBuild(build, vm.X86_64) })

		ginkgo.It("stores leaves in memory as little-endian x86-64 PTEs", ginkgo.Label("rule:03.little-endian", "points:2"), func() {
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

		ginkgo.It("honours the present bit of every intermediate level", ginkgo.Label("rule:03.walk-stops", "points:3"), func() {
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

		ginkgo.It("grants only what every level allows: the effective permission is the intersection", ginkgo.Label("rule:03.walk-perm", "points:2"), func() {
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

		ginkgo.It("maps 2 MiB and 1 GiB pages with one leaf at level 2 or 3 (PS set)", ginkgo.Label("rule:03.huge-leaf", "points:2"), func() {
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

		ginkgo.It("refuses overlaps between huge and small pages, and misaligned huge frames", ginkgo.Label("rule:03.map-already-mapped", "rule:03.map-not-aligned", "points:2"), func() {
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

		ginkgo.It("frees intermediate table pages when they become empty, never the root", ginkgo.Label("rule:03.unmap-frees-tables", "points:3"), func() {
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
			for k := range vm.PAddr(512) {
				gomega.Expect(readEntry(s, root+k*8)).To(gomega.BeZero(), "root entry %d after unmapping everything: the entry that pointed at a freed table must be cleared", k)
			}
			mustMap(s.pt, a)
			gomega.Expect(s.pt.Root()).To(gomega.Equal(root), "Root() changed after unmapping everything and mapping again")
			gomega.Expect(s.frames.FreeFrames()).To(gomega.Equal(base-3), "FreeFrames() after mapping %v again: want three new tables", a)
			w, _ := s.pt.Walk(a.VA)
			gomega.Expect(w.Present()).To(gomega.BeTrue(), "Walk(%v) after mapping again = %v", a.VA, w)
		})

		ginkgo.It("writes intermediate entries P|RW|US, nothing else, pointing at zeroed tables", ginkgo.Label("rule:03.intermediate-entry", "rule:03.map-tables", "points:3"), func() {
			for _, g := range []vm.Geometry{vm.X86_64, vm.X86_32} {
				s := mustBuild(build, g)
				va := vm.VAddr(0x0804_8000)
				m := vm.Mapping{VA: va, PFN: 0x42, Size: g.PageSize(), Perm: vm.PermRead}
				mustMap(s.pt, m)
				w, err := s.pt.Walk(va)
				gomega.Expect(err).NotTo(gomega.HaveOccurred(), "Walk(%v) after Map(%v)", va, m)
				gomega.Expect(w.Steps).To(gomega.Equal(int(g.Levels)), "Walk(%v) after Map(%v) = %v", va, m, w)
				for i := range w.Steps - 1 {
					e := w.Entries[i]
					gomega.Expect(e.Flags()).To(gomega.Equal(vm.PTEPresent|vm.PTEWritable|vm.PTEUser),
						"%v: level-%d entry %v after Map(%v): an intermediate entry is P|RW|US and nothing else", g, int(g.Levels)-i, e, m)
					table := vm.PAddr(uint64(e.PFN()) << g.OffsetBits)
					used := w.Reads[i+1]
					for k := range uint64(1) << g.LevelBits[i+1] {
						pa := table + vm.PAddr(k*uint64(g.EntryBytes))
						if pa == used {
							continue
						}
						gomega.Expect(readEntry(s, pa)).To(gomega.BeZero(),
							"%v: entry %d of the new level-%d table at %v after Map(%v): a new table must be zeroed (its frame came back dirty)",
							g, k, int(g.Levels)-i-1, table, m)
					}
				}
			}
		})

		ginkgo.It("protects, marks and unmaps a huge page as one leaf, keeping PS", ginkgo.Label("rule:03.protect", "rule:03.unmap", "points:2"), func() {
			m := vm.Mapping{VA: 0x4000_0000, PFN: 0x4_0000, Size: vm.Size1G, Perm: vm.PermRW | vm.PermUser}
			mustMap(s.pt, m)
			gomega.Expect(s.pt.MarkAccessed(m.VA+0x1234_5678, true)).To(gomega.Succeed(), "MarkAccessed inside %v", m)
			gomega.Expect(s.pt.Protect(m.VA+0x10, vm.PermRead)).To(gomega.Succeed(), "Protect inside %v", m)
			w, err := s.pt.Walk(m.VA + 0x3fff_ffff)
			gomega.Expect(err).NotTo(gomega.HaveOccurred(), "Walk(%v)", m.VA+0x3fff_ffff)
			gomega.Expect(w.Size == vm.Size1G && w.Perm == vm.PermRead && w.Leaf().Has(vm.PTEHuge|vm.PTEAccessed|vm.PTEDirty)).To(gomega.BeTrue(),
				"Walk(%v) after MarkAccessed(write) and Protect(r---) of %v = %v; want a 1G page r--- with PS, A and D", m.VA+0x3fff_ffff, m, w)
			got, err := s.pt.Unmap(m.VA + 0x2000_0000)
			want := m
			want.Perm = vm.PermRead
			gomega.Expect(err == nil && got == want).To(gomega.BeTrue(), "Unmap(%v) = %v, %v; want %v", m.VA+0x2000_0000, got, err, want)
		})

		ginkgo.It("refuses page sizes the geometry has no leaf for", ginkgo.Label("rule:03.map-size", "points:2"), func() {
			cases := []struct {
				g    vm.Geometry
				size vm.PageSize
			}{
				{vm.X86_64, 8 << 10}, {vm.X86_64, 4 << 20}, {vm.X86_64, 512 << 30}, {vm.X86_64_5Level, 512 << 30},
				{vm.X86_32, 4 << 20}, {vm.Textbook, 1024}, {vm.X86_64, 2 << 10}, {sv39, vm.Size1G},
			}
			for _, c := range cases {
				s := mustBuild(build, c.g)
				m := vm.Mapping{VA: 0, PFN: 0, Size: c.size, Perm: vm.PermRead}
				expectErr(s.pt.Map(m), vm.ErrInvalidConfig, "Map(%v) in %v", m, c.g)
				w, err := s.pt.Walk(0)
				gomega.Expect(err == nil && !w.Present()).To(gomega.BeTrue(), "Walk(0x0) after the refused Map(%v) in %v = %v, %v", m, c.g, w, err)
			}
		})
	})
}

// describeRadixBuild declares what NewRadix must do with its frame.
func describeRadixBuild(newTable func(*subject) error) {
	geoms := []vm.Geometry{vm.X86_64, vm.X86_64_5Level, vm.X86_32, vm.Textbook}
	for _, g := range geoms {
		ginkgo.It(fmt.Sprintf("%v: zeroes the root it allocates, and keeps it as Root()", g.Name), ginkgo.Label("rule:03.new-root", "rule:03.root", "points:1"), func() {
			s, err := newRig(g)
			gomega.Expect(err).NotTo(gomega.HaveOccurred())
			gomega.Expect(newTable(s)).To(gomega.Succeed(), "NewRadix(%v)", g)
			root := vm.PAddr(uint64(s.frames.first) << g.OffsetBits)
			gomega.Expect(s.pt.Root()).To(gomega.Equal(root), "Root() of a table whose root frame is %v", s.frames.first)
			for k := range uint64(1) << g.LevelBits[0] {
				pa := root + vm.PAddr(k*uint64(g.EntryBytes))
				gomega.Expect(readEntry(s, pa)).To(gomega.BeZero(), "root entry %d at %v: NewRadix must zero the root (its frame came back dirty)", k, pa)
			}
			va := samplePage(g)
			mustMap(s.pt, vm.Mapping{VA: va, PFN: 1, Size: g.PageSize(), Perm: vm.PermRead})
			_, _ = s.pt.Unmap(va)
			gomega.Expect(s.pt.Root()).To(gomega.Equal(root), "Root() after a Map and an Unmap")
		})
	}
	ginkgo.It("refuses a geometry that breaks each clause of vm.Geometry's invariant, and returns ErrOutOfMemory when no frame is free", ginkgo.Label("rule:03.new-invalid", "rule:03.new-out-of-memory", "points:2"), func() {
		s, err := newRig(vm.X86_64)
		gomega.Expect(err).NotTo(gomega.HaveOccurred())
		for _, g := range invalidGeometries {
			s.g = g
			err := newTable(s)
			gomega.Expect(errors.Is(err, vm.ErrInvalidConfig)).To(gomega.BeTrue(),
				"NewRadix(%+v) (%s) returned error %v, want an error wrapping %q", g, g.Name, err, vm.ErrInvalidConfig)
		}
		s.g = vm.X86_64
		s.frames.failAt = s.frames.allocs + 1
		err = newTable(s)
		gomega.Expect(errors.Is(err, vm.ErrOutOfMemory)).To(gomega.BeTrue(),
			"NewRadix(%v) with no free frame returned error %v, want an error wrapping %q", vm.X86_64, err, vm.ErrOutOfMemory)
	})
	ginkgo.It("accepts the valid geometries at the edges: one level, and 64-bit addresses", ginkgo.Label("rule:03.new-invalid", "rule:03.walk-reads", "points:1"), func() {
		for _, c := range edgeGeometries {
			s, err := newRig(c.g)
			gomega.Expect(err).NotTo(gomega.HaveOccurred())
			gomega.Expect(newTable(s)).To(gomega.Succeed(), "NewRadix(%v): a valid geometry", c.g)
			m := vm.Mapping{VA: c.va, PFN: 3, Size: c.g.PageSize(), Perm: vm.PermRW}
			mustMap(s.pt, m)
			w, err := s.pt.Walk(c.va + 0x10)
			gomega.Expect(err).NotTo(gomega.HaveOccurred(), "%v: Walk(%v) after Map(%v)", c.g.Name, c.va+0x10, m)
			gomega.Expect(w.Present() && w.Steps == c.steps && w.Leaf().PFN() == m.PFN && w.Size == m.Size).To(gomega.BeTrue(),
				"%v: Walk(%v) after Map(%v) = %v; want frame %v after %d reads", c.g.Name, c.va+0x10, m, w, m.PFN, c.steps)
			gomega.Expect(w.Reads[0]).To(gomega.Equal(s.pt.Root()+vm.PAddr(uint64(c.va)>>(c.g.VABits-c.g.LevelBits[0])*8)),
				"%v: Walk(%v).Reads[0]: the root entry of the top %d bits", c.g.Name, c.va+0x10, c.g.LevelBits[0])
		}
	})
}

// oomCase is a Map that needs new tables, after some mappings already made.
type oomCase struct {
	g     vm.Geometry
	first []vm.Mapping // made before, with every allocation granted
	m     vm.Mapping
}

func (c oomCase) String() string {
	return fmt.Sprintf("%v: Map(%v) after %d mapping(s)", c.g.Name, c.m, len(c.first))
}

// describeOutOfMemory declares that a Map whose table allocation fails, at
// each allocation point in turn, returns ErrOutOfMemory and leaves the
// table, its memory and the free frames as they were.
func describeOutOfMemory(build factory) {
	page := func(va vm.VAddr, pfn vm.PFN) vm.Mapping {
		return vm.Mapping{VA: va, PFN: pfn, Size: vm.Size4K, Perm: vm.PermRW | vm.PermUser}
	}
	ginkgo.DescribeTable("Map runs out of memory at each allocation in turn and undoes what it did",
		func(c oomCase) {
			prepare := func() *subject {
				s := mustBuild(build, c.g)
				for _, m := range c.first {
					mustMap(s.pt, m)
				}
				return s
			}
			s := prepare()
			before := s.frames.allocs
			mustMap(s.pt, c.m)
			n := s.frames.allocs - before
			gomega.Expect(n).To(gomega.BeNumerically(">", 0), "%v allocated no table: the case tests nothing", c)
			for k := 1; k <= n; k++ {
				s := prepare()
				state := s.state(c.m.VA)
				s.frames.failAt = s.frames.allocs + k
				err := s.pt.Map(c.m)
				if !errors.Is(err, vm.ErrOutOfMemory) {
					ginkgo.Fail(fmt.Sprintf("%v with allocation %d of %d refused: error %v, want an error wrapping %q\nallocator: %s",
						c, k, n, err, vm.ErrOutOfMemory, strings.Join(s.frames.trail, " · ")))
				}
				if got := s.state(c.m.VA); got != state {
					ginkgo.Fail(fmt.Sprintf("%v with allocation %d of %d refused: the table pages or the free frames changed; "+
						"a failed Map must free the tables it allocated and clear the entry it linked them from\nallocator: %s",
						c, k, n, strings.Join(s.frames.trail, " · ")))
				}
				s.frames.failAt = 0
				gomega.Expect(s.pt.Map(c.m)).To(gomega.Succeed(), "Map(%v) again once memory is back, after allocation %d of %d was refused", c.m, k, n)
			}
		},
		func(c oomCase) string { return c.String() },
		ginkgo.Entry(nil, ginkgo.Label("rule:03.map-out-of-memory", "rule:03.map-fails-cleanly", "points:2"),
			oomCase{g: vm.X86_64, m: page(0x7fff_ffff_f000, 1)}),
		ginkgo.Entry(nil, ginkgo.Label("rule:03.map-out-of-memory", "rule:03.map-fails-cleanly", "points:2"),
			oomCase{g: vm.X86_64, first: []vm.Mapping{page(0x7f80_0000_0000, 2)}, m: page(0x7fff_ffff_f000, 1)}),
		ginkgo.Entry(nil, ginkgo.Label("rule:03.map-out-of-memory", "rule:03.map-fails-cleanly", "points:1"),
			oomCase{g: vm.X86_64, first: []vm.Mapping{page(0x40_0000, 2)}, m: vm.Mapping{VA: 0x4000_0000, PFN: 0x200, Size: vm.Size2M, Perm: vm.PermRead}}),
		ginkgo.Entry(nil, ginkgo.Label("rule:03.map-out-of-memory", "rule:03.map-fails-cleanly", "points:1"),
			oomCase{g: vm.X86_64_5Level, m: page(0xff00_0000_0040_0000, 3)}),
		ginkgo.Entry(nil, ginkgo.Label("rule:03.map-out-of-memory", "rule:03.map-fails-cleanly", "points:1"),
			oomCase{g: vm.X86_32, m: page(0xbfff_f000, 4)}),
	)
}

// pa40 is x86-64 with 40-bit physical addresses, so that an entry can hold
// a frame number beyond them.
var pa40 = func() vm.Geometry {
	g := vm.X86_64
	g.Name, g.PABits = "x86-64 (40-bit PA)", 40
	return g
}()

// describeReservedBits declares that a walk refuses a present entry with a
// reserved bit set, returning the walk up to it.
func describeReservedBits(build factory) {
	ginkgo.It("stops at a reserved bit with ErrReservedBit and the walk up to that entry", ginkgo.Label("rule:03.walk-reserved-bit", "points:2"), func() {
		cases := []struct {
			g     vm.Geometry
			step  int // which entry of the path to corrupt, root first
			what  string
			twist func(g vm.Geometry, e vm.PTE) vm.PTE
		}{
			{pa40, 1, "a frame beyond PABits", func(g vm.Geometry, e vm.PTE) vm.PTE {
				return e&^vm.PTEFrameMask | vm.MakePTE(vm.PFN(1)<<(g.PABits-g.OffsetBits), 0)
			}},
			{pa40, 3, "a leaf frame beyond PABits", func(g vm.Geometry, e vm.PTE) vm.PTE {
				return e&^vm.PTEFrameMask | vm.MakePTE(vm.PFN(1)<<(g.PABits-g.OffsetBits), 0)
			}},
			{vm.Textbook, 0, "a frame beyond PABits", func(g vm.Geometry, e vm.PTE) vm.PTE {
				return e&^vm.PTEFrameMask | vm.MakePTE(vm.PFN(1)<<(g.PABits-g.OffsetBits), 0)
			}},
			{vm.X86_64, 0, "PS at the root", func(_ vm.Geometry, e vm.PTE) vm.PTE { return e | vm.PTEHuge }},
			{sv39, 0, "PS at the root of a 3-level table (where a 1G leaf would be)", func(_ vm.Geometry, e vm.PTE) vm.PTE { return e | vm.PTEHuge }},
			{vm.X86_64_5Level, 1, "PS at level 4", func(_ vm.Geometry, e vm.PTE) vm.PTE { return e | vm.PTEHuge }},
			{vm.X86_32, 0, "PS with 4-byte entries", func(_ vm.Geometry, e vm.PTE) vm.PTE { return e | vm.PTEHuge }},
		}
		for _, c := range cases {
			s := mustBuild(build, c.g)
			va := samplePage(c.g)
			mustMap(s.pt, vm.Mapping{VA: va, PFN: 5, Size: c.g.PageSize(), Perm: vm.PermRead})
			w, _ := s.pt.Walk(va)
			bad := c.twist(c.g, readEntry(s, w.Reads[c.step]))
			writeEntry(s, w.Reads[c.step], bad)
			got, err := s.pt.Walk(va)
			gomega.Expect(errors.Is(err, vm.ErrReservedBit)).To(gomega.BeTrue(),
				"%v: Walk(%v) with %v (%v at %v) returned error %v, want an error wrapping %q", c.g.Name, va, c.what, bad, w.Reads[c.step], err, vm.ErrReservedBit)
			gomega.Expect(got.Steps == c.step+1 && got.Entries[c.step] == bad && got.Reads[c.step] == w.Reads[c.step]).To(gomega.BeTrue(),
				"%v: Walk(%v) with %v = %v; want the walk up to and including that entry (%d reads)", c.g.Name, va, c.what, got, c.step+1)
		}
		// Bit 7 of a level-1 entry is PAT, not PS: no level-1 leaf is huge,
		// so the bit is no reason to refuse it.
		s := mustBuild(build, vm.X86_64)
		va := samplePage(vm.X86_64)
		mustMap(s.pt, vm.Mapping{VA: va, PFN: 5, Size: vm.Size4K, Perm: vm.PermRead})
		w, _ := s.pt.Walk(va)
		pat := readEntry(s, w.Reads[3]) | vm.PTEHuge
		writeEntry(s, w.Reads[3], pat)
		got, err := s.pt.Walk(va)
		gomega.Expect(err == nil && got.Present() && got.Steps == 4 && got.Size == vm.Size4K && got.Leaf().PFN() == 5).To(gomega.BeTrue(),
			"Walk(%v) with bit 7 (PAT at level 1) set in the leaf %v = %v, %v; want the 4K page at frame 5", va, pat, got, err)
	})
}

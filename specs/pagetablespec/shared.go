package pagetablespec

import (
	"fmt"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/gomega"

	"github.com/vmkata/vmkata/specs/internal/feedback"
	"github.com/vmkata/vmkata/vm"
	"pgregory.net/rapid"
)

// rules are the labels of the rules both tables share, each exercise's own.
type rules struct {
	walkMissing, walkPresent, noNX                               string
	mapLeaf, mapNotAligned, mapFrameRange, mapBadPerm            string
	mapAlreadyMapped, mapFailsCleanly                            string
	unmap, unmapNotMapped, protect, protectNotMapped, protectBad string
	markAccessed, markNotMapped, badAddress                      string
}

var linearRules = rules{
	walkMissing: "rule:02.walk-missing", walkPresent: "rule:02.walk-present", noNX: "rule:02.no-nx",
	mapLeaf: "rule:02.map-leaf", mapNotAligned: "rule:02.map-not-aligned", mapFrameRange: "rule:02.map-frame-range",
	mapBadPerm: "rule:02.map-bad-permission", mapAlreadyMapped: "rule:02.map-already-mapped",
	mapFailsCleanly: "rule:02.map-fails-cleanly", unmap: "rule:02.unmap", unmapNotMapped: "rule:02.unmap-not-mapped",
	protect: "rule:02.protect", protectNotMapped: "rule:02.protect-not-mapped", protectBad: "rule:02.protect-bad-permission",
	markAccessed: "rule:02.mark-accessed", markNotMapped: "rule:02.mark-not-mapped", badAddress: "rule:02.bad-address",
}

var invertedRules = rules{
	walkMissing: "rule:14.walk-missing", walkPresent: "rule:14.walk-present", noNX: "rule:14.no-nx",
	mapLeaf: "rule:14.map-leaf", mapNotAligned: "rule:14.map-not-aligned", mapFrameRange: "rule:14.map-frame-range",
	mapBadPerm: "rule:14.map-bad-permission", mapAlreadyMapped: "rule:14.map-already-mapped",
	mapFailsCleanly: "rule:14.map-fails-cleanly", unmap: "rule:14.unmap", unmapNotMapped: "rule:14.unmap-not-mapped",
	protect: "rule:14.protect", protectNotMapped: "rule:14.protect-not-mapped", protectBad: "rule:14.protect-bad-permission",
	markAccessed: "rule:14.mark-accessed", markNotMapped: "rule:14.mark-not-mapped", badAddress: "rule:14.bad-address",
}

var radixRules = rules{
	walkMissing: "rule:03.walk-missing", walkPresent: "rule:03.walk-perm", noNX: "rule:03.no-nx",
	mapLeaf: "rule:03.map-leaf", mapNotAligned: "rule:03.map-not-aligned", mapFrameRange: "rule:03.map-frame-range",
	mapBadPerm: "rule:03.map-bad-permission", mapAlreadyMapped: "rule:03.map-already-mapped",
	mapFailsCleanly: "rule:03.map-fails-cleanly", unmap: "rule:03.unmap", unmapNotMapped: "rule:03.unmap-not-mapped",
	protect: "rule:03.protect", protectNotMapped: "rule:03.protect-not-mapped", protectBad: "rule:03.protect-bad-permission",
	markAccessed: "rule:03.mark-accessed", markNotMapped: "rule:03.mark-not-mapped", badAddress: "rule:03.bad-address",
}

// samplePage returns an address in the middle of the geometry's address
// space, away from 0, where the textbook cases map.
func samplePage(g vm.Geometry) vm.VAddr {
	top := uint64(1) << (g.VABits - 1) // half the space (the lower canonical half's middle when sign-extended)
	if g.SignExtended {
		top >>= 1
	}
	return vm.VAddr(top + 5*uint64(g.PageSize()))
}

// outside returns an address the geometry cannot translate and the sentinel
// every method must refuse it with.
func outside(g vm.Geometry) (vm.VAddr, error) {
	if g.SignExtended {
		return vm.VAddr(uint64(1) << (g.VABits - 1)), vm.ErrNonCanonical // bit VABits-1 set, the bits above clear
	}
	return vm.VAddr(uint64(1)<<g.VABits | uint64(samplePage(g))), vm.ErrOutOfRange
}

// refusedPerms are the permissions without read: a present x86 entry cannot
// express them.
var refusedPerms = []vm.Perm{vm.PermWrite | vm.PermUser, vm.PermWrite, vm.PermExec, vm.PermWrite | vm.PermExec, vm.PermUser, 0}

// leafFor returns the entry Map must write for m in g.
func leafFor(g vm.Geometry, m vm.Mapping) vm.PTE {
	flags, err := vm.PermFlags(m.Perm)
	gomega.Expect(err).NotTo(gomega.HaveOccurred(), "vm.PermFlags(%v)", m.Perm)
	f := vm.PTEPresent | flags
	if m.Global {
		f |= vm.PTEGlobal
	}
	if m.Size != g.PageSize() {
		f |= vm.PTEHuge
	}
	e := vm.MakePTE(m.PFN, f)
	if g.EntryBytes == 4 {
		e &= 0xffff_ffff
	}
	return e
}

// shared declares the behaviour every page table has, for each geometry.
func shared(build factory, geoms []vm.Geometry, r *rules) {
	for _, g := range geoms {
		ginkgo.Context(g.String(), func() {
			var s *subject
			ginkgo.BeforeEach(func() { s = mustBuild(build, g) })
			page := g.PageSize()
			va := samplePage(g)
			m := vm.Mapping{VA: va, PFN: 0x2a, Size: page, Perm: vm.PermRW | vm.PermUser}
			far, farErr := outside(g)

			ginkgo.It("reports an unmapped address as not present, without an error", ginkgo.Label(r.walkMissing, "points:1"), func() {
				for _, a := range []vm.VAddr{0, va, va + vm.VAddr(page) - 1} {
					w, err := s.pt.Walk(a)
					gomega.Expect(err).NotTo(gomega.HaveOccurred(), "Walk(%v) on an empty table", a)
					gomega.Expect(w.Present() || w.Perm != 0).To(gomega.BeFalse(), "Walk(%v) on an empty table = %v, want not present: Size and Perm 0", a, w)
				}
			})
			ginkgo.It("translates every byte of a mapped page, and only those", ginkgo.Label(r.walkPresent, "points:2"), func() {
				mustMap(s.pt, m)
				for _, a := range []vm.VAddr{va, va + 1, va + vm.VAddr(page)/2, va + vm.VAddr(page) - 1} {
					w, err := s.pt.Walk(a)
					gomega.Expect(err).NotTo(gomega.HaveOccurred(), "Walk(%v) after Map(%v)", a, m)
					gomega.Expect(w.Present()).To(gomega.BeTrue(), "Walk(%v) after Map(%v) = %v, want present", a, m, w)
					gomega.Expect(w.Leaf().PFN()).To(gomega.Equal(m.PFN), "Walk(%v).Leaf().PFN() after Map(%v)", a, m)
					gomega.Expect(w.Size).To(gomega.Equal(page), "Walk(%v).Size after Map(%v)", a, m)
					gomega.Expect(w.Perm).To(gomega.Equal(wantPerm(g, m.Perm)), "Walk(%v).Perm after Map(%v)", a, m)
				}
				for _, a := range []vm.VAddr{va - 1, va + vm.VAddr(page)} {
					w, err := s.pt.Walk(a)
					gomega.Expect(err == nil && !w.Present()).To(gomega.BeTrue(),
						"Walk(%v) next to the page of Map(%v) = %v, %v; want not present", a, m, w, err)
				}
			})
			ginkgo.It("writes the leaf MakePTE(pfn, P | PermFlags(perm) | G), with A and D clear", ginkgo.Label(r.mapLeaf, "points:2"), func() {
				for i, perm := range []vm.Perm{vm.PermRead, vm.PermRW | vm.PermUser, vm.PermRX, vm.PermRWX | vm.PermUser} {
					mm := vm.Mapping{VA: va + vm.VAddr(i)*vm.VAddr(page), PFN: vm.PFN(0x30 + i), Size: page, Perm: perm, Global: i%2 == 1}
					mustMap(s.pt, mm)
					w, err := s.pt.Walk(mm.VA)
					gomega.Expect(err).NotTo(gomega.HaveOccurred(), "Walk(%v) after Map(%v)", mm.VA, mm)
					gomega.Expect(w.Leaf()).To(gomega.Equal(leafFor(g, mm)), "leaf entry after Map(%v)", mm)
					if s.mem != nil {
						gomega.Expect(readEntry(s, w.Reads[w.Steps-1])).To(gomega.Equal(leafFor(g, mm)), "leaf in memory at %v after Map(%v)", w.Reads[w.Steps-1], mm)
					}
				}
			})
			if g.EntryBytes == 4 {
				ginkgo.It("has no NX bit with 4-byte entries: every present page is executable", ginkgo.Label(r.noNX, "points:1"), func() {
					mustMap(s.pt, m)
					w, err := s.pt.Walk(va)
					gomega.Expect(err).NotTo(gomega.HaveOccurred(), "Walk(%v) after Map(%v)", va, m)
					gomega.Expect(w.Perm).To(gomega.Equal(m.Perm|vm.PermExec), "Walk(%v).Perm after Map(%v): a 4-byte entry has no NX bit", va, m)
					gomega.Expect(uint64(w.Leaf())>>32).To(gomega.BeZero(), "Walk(%v).Leaf() = %#x: a 4-byte entry holds only the low 32 bits", va, uint64(w.Leaf()))
					got, err := s.pt.Unmap(va)
					gomega.Expect(err).NotTo(gomega.HaveOccurred(), "Unmap(%v)", va)
					gomega.Expect(got.Perm).To(gomega.Equal(m.Perm|vm.PermExec), "Unmap(%v).Perm after Map(%v)", va, m)
				})
			}
			ginkgo.It("unmaps: Unmap returns the mapping and the page is gone", ginkgo.Label(r.unmap, "points:2"), func() {
				gm := m
				gm.Global = true
				mustMap(s.pt, gm)
				got, err := s.pt.Unmap(va + vm.VAddr(page) - 1)
				gomega.Expect(err).NotTo(gomega.HaveOccurred(), "Unmap(%v) after Map(%v)", va+vm.VAddr(page)-1, gm)
				want := gm
				want.Perm = wantPerm(g, gm.Perm)
				gomega.Expect(got).To(gomega.Equal(want), "Unmap(%v) after Map(%v)", va+vm.VAddr(page)-1, gm)
				w, err := s.pt.Walk(va)
				gomega.Expect(err == nil && !w.Present()).To(gomega.BeTrue(), "Walk(%v) after Unmap = %v, %v; want not present", va, w, err)
				mustMap(s.pt, m) // the page can be mapped again
			})
			ginkgo.It("returns ErrNotMapped for Unmap of an unmapped page", ginkgo.Label(r.unmapNotMapped, "points:1"), func() {
				_, err := s.pt.Unmap(va)
				expectErr(err, vm.ErrNotMapped, "Unmap(%v) on an empty table", va)
				mustMap(s.pt, m)
				_, _ = s.pt.Unmap(va)
				_, err = s.pt.Unmap(va)
				expectErr(err, vm.ErrNotMapped, "a second Unmap(%v)", va)
			})
			ginkgo.It("protects: new permissions, same frame, A, D and G kept", ginkgo.Label(r.protect, "points:2"), func() {
				gm := m
				gm.Global = true
				mustMap(s.pt, gm)
				gomega.Expect(s.pt.MarkAccessed(va, true)).To(gomega.Succeed(), "MarkAccessed(%v, true) after Map(%v)", va, gm)
				for _, perm := range []vm.Perm{vm.PermRead, vm.PermRX | vm.PermUser, vm.PermRWX} {
					gomega.Expect(s.pt.Protect(va+1, perm)).To(gomega.Succeed(), "Protect(%v, %v)", va+1, perm)
					w, err := s.pt.Walk(va)
					gomega.Expect(err).NotTo(gomega.HaveOccurred(), "Walk(%v) after Protect", va)
					gomega.Expect(w.Perm).To(gomega.Equal(wantPerm(g, perm)), "Walk(%v).Perm after Map(%v), Protect(%v, %v)", va, gm, va+1, perm)
					leaf := w.Leaf()
					gomega.Expect(leaf.PFN()).To(gomega.Equal(gm.PFN), "Walk(%v).Leaf() after Protect(%v)", va, perm)
					gomega.Expect(leaf.Has(vm.PTEAccessed|vm.PTEDirty|vm.PTEGlobal)).To(gomega.BeTrue(),
						"Walk(%v).Leaf() after Map(%v), MarkAccessed(write), Protect(%v) = %v; want A, D and G kept (the OS still needs to know the page was used and modified)",
						va, gm, perm, leaf)
				}
			})
			ginkgo.It("returns ErrNotMapped for Protect of an unmapped page", ginkgo.Label(r.protectNotMapped, "points:1"), func() {
				expectErr(s.pt.Protect(va, vm.PermRead), vm.ErrNotMapped, "Protect(%v, r---) on an empty table", va)
			})
			ginkgo.It("refuses to Protect to a permission without read, changing nothing", ginkgo.Label(r.protectBad, "points:1"), func() {
				mustMap(s.pt, m)
				before := s.state(va)
				for _, perm := range refusedPerms {
					expectErr(s.pt.Protect(va, perm), vm.ErrBadPermission, "Protect(%v, %v)", va, perm)
					expectUnchanged(s, before, fmt.Sprintf("the refused Protect(%v, %v)", va, perm), va)
				}
			})
			ginkgo.It("rejects a misaligned address with ErrNotAligned", ginkgo.Label(r.mapNotAligned, "points:1"), func() {
				for _, off := range []vm.VAddr{4, vm.VAddr(page) / 2, vm.VAddr(page) - 1} {
					bad := m
					bad.VA = va + off
					expectErr(s.pt.Map(bad), vm.ErrNotAligned, "Map(%v)", bad)
				}
			})
			ginkgo.It("rejects a frame past the last one with ErrOutOfRange", ginkgo.Label(r.mapFrameRange, "points:1"), func() {
				bad := m
				bad.PFN = vm.PFN(s.frameLimit)
				expectErr(s.pt.Map(bad), vm.ErrOutOfRange, "Map(%v)", bad)
				ok := m
				ok.PFN = bad.PFN - 1
				mustMap(s.pt, ok) // the last frame is fine
			})
			ginkgo.It("rejects a permission without read with ErrBadPermission (x86 cannot express it)", ginkgo.Label(r.mapBadPerm, "points:1"), func() {
				for _, perm := range refusedPerms {
					bad := m
					bad.Perm = perm
					expectErr(s.pt.Map(bad), vm.ErrBadPermission, "Map(%v)", bad)
				}
			})
			ginkgo.It("rejects a second mapping of a mapped page with ErrAlreadyMapped, keeping the first", ginkgo.Label(r.mapAlreadyMapped, "points:1"), func() {
				mustMap(s.pt, m)
				again := m
				again.PFN, again.Perm = 0x3b, vm.PermRead
				expectErr(s.pt.Map(again), vm.ErrAlreadyMapped, "Map(%v) after Map(%v)", again, m)
				again.PFN = m.PFN
				expectErr(s.pt.Map(again), vm.ErrAlreadyMapped, "Map(%v) of the same frame after Map(%v)", again, m)
				w, _ := s.pt.Walk(va)
				gomega.Expect(w.Leaf()).To(gomega.Equal(leafFor(g, m)), "Walk(%v) after the refused Maps = %v; want the first mapping", va, w)
			})
			ginkgo.It("changes nothing when Map fails", ginkgo.Label(r.mapFailsCleanly, "points:2"), func() {
				mustMap(s.pt, m)
				next := va + vm.VAddr(page)
				before := s.state(va, next)
				for _, bad := range []vm.Mapping{
					{VA: next + 8, PFN: 1, Size: page, Perm: vm.PermRead},
					{VA: next, PFN: vm.PFN(1) << (g.PABits - g.OffsetBits), Size: page, Perm: vm.PermRead},
					{VA: next, PFN: 1, Size: page, Perm: vm.PermWrite},
					{VA: next, PFN: 1, Size: page * 3, Perm: vm.PermRead},
					{VA: va, PFN: 1, Size: page, Perm: vm.PermRead},
					{VA: far, PFN: 1, Size: page, Perm: vm.PermRead},
				} {
					gomega.Expect(s.pt.Map(bad)).NotTo(gomega.Succeed(), "Map(%v)", bad)
					expectUnchanged(s, before, fmt.Sprintf("the refused Map(%v)", bad), va, next)
				}
			})
			ginkgo.It("refuses an address outside the geometry in every method, changing nothing", ginkgo.Label(r.badAddress, "points:2"), func() {
				mustMap(s.pt, m)
				before := s.state(va)
				w, err := s.pt.Walk(far)
				expectErr(err, farErr, "Walk(%v)", far)
				gomega.Expect(w.Steps).To(gomega.BeZero(), "Walk(%v) = %v: an address outside the geometry reads nothing", far, w)
				expectErr(s.pt.Map(vm.Mapping{VA: far &^ vm.VAddr(page-1), PFN: 1, Size: page, Perm: vm.PermRead}), farErr, "Map at %v", far)
				_, err = s.pt.Unmap(far)
				expectErr(err, farErr, "Unmap(%v)", far)
				expectErr(s.pt.Protect(far, vm.PermRead), farErr, "Protect(%v, r---)", far)
				expectErr(s.pt.MarkAccessed(far, true), farErr, "MarkAccessed(%v, true)", far)
				expectUnchanged(s, before, "calls with "+far.String(), va)
			})
			ginkgo.It("sets A on every access through MarkAccessed, and D only on a write", ginkgo.Label(r.markAccessed, "points:2"), func() {
				mustMap(s.pt, m)
				w, _ := s.pt.Walk(va)
				gomega.Expect(w.Leaf().Has(vm.PTEAccessed) || w.Leaf().Has(vm.PTEDirty)).To(gomega.BeFalse(), "leaf after Map(%v) = %v, want A and D clear", m, w.Leaf())
				gomega.Expect(s.pt.MarkAccessed(va+3, false)).To(gomega.Succeed(), "MarkAccessed(%v, false)", va+3)
				w, _ = s.pt.Walk(va)
				for i := range w.Steps {
					gomega.Expect(w.Entries[i].Has(vm.PTEAccessed)).To(gomega.BeTrue(), "after MarkAccessed(%v, false): entry %d of %v lacks A", va+3, i, w)
					gomega.Expect(w.Entries[i].Has(vm.PTEDirty)).To(gomega.BeFalse(), "after a read, MarkAccessed(%v, false): entry %d of %v has D, want D only after a write", va+3, i, w)
				}
				gomega.Expect(s.pt.MarkAccessed(va+3, true)).To(gomega.Succeed(), "MarkAccessed(%v, true)", va+3)
				w, _ = s.pt.Walk(va)
				gomega.Expect(w.Leaf().Has(vm.PTEAccessed|vm.PTEDirty)).To(gomega.BeTrue(), "after MarkAccessed(%v, true): leaf %v, want A and D", va+3, w.Leaf())
				for i := range w.Steps - 1 {
					gomega.Expect(w.Entries[i].Has(vm.PTEDirty)).To(gomega.BeFalse(), "after MarkAccessed(%v, true): entry %d of %v has D, want D in the leaf only", va+3, i, w)
				}
				gomega.Expect(w.Leaf().PFN()).To(gomega.Equal(m.PFN), "after MarkAccessed: leaf %v, want the same frame", w.Leaf())
				gomega.Expect(s.pt.MarkAccessed(va, false)).To(gomega.Succeed(), "MarkAccessed(%v, false)", va)
				w, _ = s.pt.Walk(va)
				gomega.Expect(w.Leaf().Has(vm.PTEDirty)).To(gomega.BeTrue(), "a read after a write cleared D: leaf %v", w.Leaf())
			})
			ginkgo.It("returns ErrNotMapped for MarkAccessed of an unmapped page", ginkgo.Label(r.markNotMapped, "points:1"), func() {
				expectErr(s.pt.MarkAccessed(va, false), vm.ErrNotMapped, "MarkAccessed(%v, false) on an empty table", va)
				expectErr(s.pt.MarkAccessed(va, true), vm.ErrNotMapped, "MarkAccessed(%v, true) on an empty table", va)
			})
		})
	}
	ginkgo.It("agrees with a map model on random Map/Unmap/Protect/MarkAccessed/Walk sequences", ginkgo.Label("property"), func() {
		feedback.Check(func(t *rapid.T) { runMachine(t, build, geoms) })
	})
}

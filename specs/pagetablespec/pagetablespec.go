// Package pagetablespec is the behaviour of a vm.PageTable, written once and
// run against any implementation: the reference tables (reference/pagetable)
// and a learner's linear table (exercise 02) and multi-level walk (exercise
// 03).
//
// Register it at package level in a _test.go file of the package under test,
// next to the usual Ginkgo bootstrap:
//
//	var _ = pagetablespec.DescribeLinear("reference", pagetable.NewLinear)
//	var _ = pagetablespec.DescribeRadix("reference", pagetable.NewRadix)
//
//	func TestPageTable(t *testing.T) {
//		RegisterFailHandler(Fail)
//		RunSpecs(t, "page tables")
//	}
//
// Beyond the vm.PageTable contract, the specs pin down:
//
//   - Leaf entries are x86 PTEs: vm.MakePTE(pfn, P | vm.PermFlags(perm) | G
//     if global), huge leaves with PS, and Map leaves A and D clear. A Perm
//     without read (write-only, PROT_NONE) is refused with vm.ErrBadPermission.
//   - With 4-byte entries (x86-32, the textbook machine) there is no NX bit:
//     a walk reports every present page executable.
//   - Walk of an unmapped address is not an error, and reports !Present().
//   - MarkAccessed sets A on every entry of the path, D on the leaf only for
//     a write.
//   - A linear table maps base pages only, reads exactly one entry at
//     Root() + vpn*EntryBytes, and NewLinear refuses (vm.ErrInvalidConfig) a
//     geometry needing more than 1<<24 entries, such as x86-64.
//   - A radix table keeps its entries in the vm.PhysMem it was given,
//     little-endian, reads one per level at table + index*EntryBytes, honours
//     the present bit of every level, supports 2 MiB and 1 GiB pages on
//     x86-64, and frees every table page but the root once it maps nothing.
//
// Every spec carries the labels "topic:pagetable", "topic:linear" or
// "topic:radix", and "points:N".
package pagetablespec

import (
	"errors"
	"fmt"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/gomega"
	"pgregory.net/rapid"

	"github.com/vmkata/vmkata/reference/phys"
	"github.com/vmkata/vmkata/specs/internal/feedback"
	"github.com/vmkata/vmkata/vm"
)

// subject is one page table under test, with what was built around it.
type subject struct {
	g      vm.Geometry
	pt     vm.PageTable
	mem    vm.PhysMem        // the radix table's memory; nil for a linear table
	frames vm.FrameAllocator // the radix table's allocator; nil for a linear table
	huge   []vm.PageSize     // the huge page sizes the table must map
}

// factory builds a fresh subject for g.
type factory func(g vm.Geometry) (*subject, error)

// mustBuild builds a subject or fails the spec.
func mustBuild(build factory, g vm.Geometry) *subject {
	s, err := build(g)
	gomega.Expect(err).NotTo(gomega.HaveOccurred(), "building a page table for %v", g)
	return s
}

// DescribeLinear declares the behaviour of a linear (single-level) page
// table built by newLinear. Call it at package level in a _test.go file.
func DescribeLinear[T vm.PageTable](name string, newLinear func(vm.Geometry) (T, error)) bool {
	build := func(g vm.Geometry) (*subject, error) {
		pt, err := newLinear(g)
		if err != nil {
			return nil, err
		}
		return &subject{g: g, pt: pt}, nil
	}
	geoms := []vm.Geometry{vm.X86_32, vm.Textbook}
	return ginkgo.Describe("linear page table ["+name+"]", ginkgo.Label("topic:pagetable", "topic:linear"), func() {
		ginkgo.It("refuses x86-64: a flat table for 48 bits would need 2^36 entries (512 GiB)", ginkgo.Label("points:1"), func() {
			_, err := newLinear(vm.X86_64)
			gomega.Expect(errors.Is(err, vm.ErrInvalidConfig)).To(gomega.BeTrue(),
				"NewLinear(%v) returned error %v, want an error wrapping %q", vm.X86_64, err, vm.ErrInvalidConfig)
		})
		ginkgo.It("accepts x86-32, whose flat table has 2^20 entries", ginkgo.Label("points:1"), func() {
			_, err := newLinear(vm.X86_32)
			gomega.Expect(err).NotTo(gomega.HaveOccurred(), "NewLinear(%v)", vm.X86_32)
		})
		for _, g := range geoms {
			ginkgo.Context(g.String(), func() {
				var s *subject
				ginkgo.BeforeEach(func() { s = mustBuild(build, g) })

				ginkgo.It("reads exactly one entry, at Root() + vpn*EntryBytes", ginkgo.Label("points:2"), func() {
					page := uint64(g.PageSize())
					for _, vpn := range []uint64{0, 1, 0xa5, 1<<(g.VABits-g.OffsetBits) - 1} {
						va := vm.VAddr(vpn*page + page/2)
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
						}
					}
				})
				ginkgo.It("maps base pages only", ginkgo.Label("points:1"), func() {
					m := vm.Mapping{VA: 0, PFN: 0, Size: g.PageSize() * 2, Perm: vm.PermRead}
					err := s.pt.Map(m)
					gomega.Expect(err).To(gomega.HaveOccurred(), "Map(%v) on a linear table, want an error", m)
					w, err := s.pt.Walk(0)
					gomega.Expect(err == nil && !w.Present()).To(gomega.BeTrue(), "after the failed Map(%v): Walk(0x0) = %v, %v; want not present", m, w, err)
				})
			})
		}
		shared(build, geoms)
	})
}

// DescribeRadix declares the behaviour of a multi-level page table built by
// newRadix over simulated physical memory. The specs build the memory and a
// frame allocator (reference/phys) for each table. Call it at package level
// in a _test.go file.
func DescribeRadix[T vm.PageTable](name string, newRadix func(vm.Geometry, vm.PhysMem, vm.FrameAllocator) (T, error)) bool {
	build := func(g vm.Geometry) (*subject, error) {
		n := 512
		if max := 1 << (g.PABits - g.OffsetBits); n > max {
			n = max
		}
		mem, err := phys.NewMemory(n, g.PageSize())
		if err != nil {
			return nil, err
		}
		frames, err := phys.NewFreeList(n)
		if err != nil {
			return nil, err
		}
		pt, err := newRadix(g, mem, frames)
		if err != nil {
			return nil, err
		}
		s := &subject{g: g, pt: pt, mem: mem, frames: frames}
		if g.EntryBytes == 8 && g.Levels >= 4 && g.OffsetBits == 12 {
			s.huge = []vm.PageSize{vm.Size2M, vm.Size1G}
		}
		return s, nil
	}
	geoms := []vm.Geometry{vm.X86_64, vm.X86_64_5Level, vm.X86_32, vm.Textbook}
	return ginkgo.Describe("multi-level page table ["+name+"]", ginkgo.Label("topic:pagetable", "topic:radix"), func() {
		radix(build)
		shared(build, geoms)
	})
}

// mustMap maps m or fails the spec.
func mustMap(pt vm.PageTable, m vm.Mapping) {
	gomega.Expect(pt.Map(m)).To(gomega.Succeed(), "Map(%v)", m)
}

// wantPerm is the permission a walk must report for a page mapped with p:
// p itself, plus execute with 4-byte entries, which have no NX bit.
func wantPerm(g vm.Geometry, p vm.Perm) vm.Perm {
	if g.EntryBytes == 4 {
		return p | vm.PermExec
	}
	return p
}

// expectErr fails unless err wraps want.
func expectErr(err, want error, call string, args ...any) {
	gomega.Expect(errors.Is(err, want)).To(gomega.BeTrue(),
		"%s returned error %v, want an error wrapping %q", fmt.Sprintf(call, args...), err, want)
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

// shared declares the behaviour every page table has, for each geometry.
func shared(build factory, geoms []vm.Geometry) {
	for _, g := range geoms {
		ginkgo.Context(g.String(), func() {
			var s *subject
			ginkgo.BeforeEach(func() { s = mustBuild(build, g) })
			page := g.PageSize()
			va := samplePage(g)
			m := vm.Mapping{VA: va, PFN: 0x2a, Size: page, Perm: vm.PermRW | vm.PermUser}

			ginkgo.It("reports an unmapped address as not present, without an error", ginkgo.Label("points:1"), func() {
				for _, a := range []vm.VAddr{0, va, va + vm.VAddr(page) - 1} {
					w, err := s.pt.Walk(a)
					gomega.Expect(err).NotTo(gomega.HaveOccurred(), "Walk(%v) on an empty table", a)
					gomega.Expect(w.Present()).To(gomega.BeFalse(), "Walk(%v) on an empty table = %v, want not present", a, w)
				}
			})
			ginkgo.It("translates every byte of a mapped page, and only those", ginkgo.Label("points:2"), func() {
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
			ginkgo.It("unmaps: Unmap returns the mapping and the page is gone", ginkgo.Label("points:2"), func() {
				mustMap(s.pt, m)
				got, err := s.pt.Unmap(va + vm.VAddr(page) - 1)
				gomega.Expect(err).NotTo(gomega.HaveOccurred(), "Unmap(%v) after Map(%v)", va+vm.VAddr(page)-1, m)
				want := m
				want.Perm = wantPerm(g, m.Perm)
				gomega.Expect(got).To(gomega.Equal(want), "Unmap(%v) after Map(%v)", va+vm.VAddr(page)-1, m)
				w, err := s.pt.Walk(va)
				gomega.Expect(err == nil && !w.Present()).To(gomega.BeTrue(), "Walk(%v) after Unmap = %v, %v; want not present", va, w, err)
				_, err = s.pt.Unmap(va)
				expectErr(err, vm.ErrNotMapped, "a second Unmap(%v)", va)
				mustMap(s.pt, m) // the page can be mapped again
			})
			ginkgo.It("protects: new permissions, same frame", ginkgo.Label("points:1"), func() {
				mustMap(s.pt, m)
				gomega.Expect(s.pt.Protect(va+1, vm.PermRead)).To(gomega.Succeed(), "Protect(%v, r---)", va+1)
				w, err := s.pt.Walk(va)
				gomega.Expect(err).NotTo(gomega.HaveOccurred(), "Walk(%v) after Protect", va)
				gomega.Expect(w.Perm).To(gomega.Equal(wantPerm(g, vm.PermRead)), "Walk(%v).Perm after Map(%v), Protect(%v, r---)", va, m, va+1)
				gomega.Expect(w.Leaf().PFN()).To(gomega.Equal(m.PFN), "Walk(%v).Leaf().PFN() after Protect", va)
			})
			ginkgo.It("protects without forgetting: A, D and G survive a Protect", ginkgo.Label("points:1"), func() {
				gm := m
				gm.Global = true
				mustMap(s.pt, gm)
				gomega.Expect(s.pt.MarkAccessed(va, true)).To(gomega.Succeed(), "MarkAccessed(%v, true) after Map(%v)", va, gm)
				gomega.Expect(s.pt.Protect(va, vm.PermRead)).To(gomega.Succeed(), "Protect(%v, r---)", va)
				w, err := s.pt.Walk(va)
				gomega.Expect(err).NotTo(gomega.HaveOccurred(), "Walk(%v) after Protect", va)
				leaf := w.Leaf()
				gomega.Expect(leaf.Has(vm.PTEAccessed|vm.PTEDirty|vm.PTEGlobal)).To(gomega.BeTrue(),
					"Walk(%v).Leaf() after Map(%v), MarkAccessed(write), Protect(r---) = %v; want A, D and G kept (the OS still needs to know the page was used and modified)",
					va, gm, leaf)
			})
			ginkgo.It("rejects a misaligned address with ErrNotAligned", ginkgo.Label("points:1"), func() {
				bad := m
				bad.VA = va + 4
				expectErr(s.pt.Map(bad), vm.ErrNotAligned, "Map(%v)", bad)
				w, err := s.pt.Walk(va)
				gomega.Expect(err == nil && !w.Present()).To(gomega.BeTrue(), "Walk(%v) after a failed Map = %v, %v; want not present", va, w, err)
			})
			ginkgo.It("rejects a second mapping of a mapped page with ErrAlreadyMapped, keeping the first", ginkgo.Label("points:1"), func() {
				mustMap(s.pt, m)
				again := m
				again.PFN, again.Perm = 0x3b, vm.PermRead
				expectErr(s.pt.Map(again), vm.ErrAlreadyMapped, "Map(%v) after Map(%v)", again, m)
				w, _ := s.pt.Walk(va)
				gomega.Expect(w.Leaf().PFN()).To(gomega.Equal(m.PFN), "Walk(%v) after the refused Map(%v) = %v; want the first mapping", va, again, w)
			})
			ginkgo.It("returns ErrNotMapped for Unmap, Protect and MarkAccessed of an unmapped page", ginkgo.Label("points:1"), func() {
				_, err := s.pt.Unmap(va)
				expectErr(err, vm.ErrNotMapped, "Unmap(%v) on an empty table", va)
				expectErr(s.pt.Protect(va, vm.PermRead), vm.ErrNotMapped, "Protect(%v, r---) on an empty table", va)
				expectErr(s.pt.MarkAccessed(va, false), vm.ErrNotMapped, "MarkAccessed(%v, false) on an empty table", va)
			})
			ginkgo.It("rejects write without read with ErrBadPermission (x86 cannot express it)", ginkgo.Label("points:1"), func() {
				bad := m
				bad.Perm = vm.PermWrite | vm.PermUser
				expectErr(s.pt.Map(bad), vm.ErrBadPermission, "Map(%v)", bad)
				mustMap(s.pt, m)
				expectErr(s.pt.Protect(va, vm.PermWrite), vm.ErrBadPermission, "Protect(%v, -w--)", va)
				w, _ := s.pt.Walk(va)
				gomega.Expect(w.Perm).To(gomega.Equal(wantPerm(g, m.Perm)), "Walk(%v).Perm after a refused Protect", va)
			})
			ginkgo.It("sets A on every access through MarkAccessed, and D only on a write", ginkgo.Label("points:2"), func() {
				mustMap(s.pt, m)
				w, _ := s.pt.Walk(va)
				gomega.Expect(w.Leaf().Has(vm.PTEAccessed) || w.Leaf().Has(vm.PTEDirty)).To(gomega.BeFalse(), "leaf after Map(%v) = %v, want A and D clear", m, w.Leaf())
				gomega.Expect(s.pt.MarkAccessed(va+3, false)).To(gomega.Succeed(), "MarkAccessed(%v, false)", va+3)
				w, _ = s.pt.Walk(va)
				for i := range w.Steps {
					gomega.Expect(w.Entries[i].Has(vm.PTEAccessed)).To(gomega.BeTrue(), "after MarkAccessed(%v, false): entry %d of %v lacks A", va+3, i, w)
				}
				gomega.Expect(w.Leaf().Has(vm.PTEDirty)).To(gomega.BeFalse(), "after a read, MarkAccessed(%v, false): leaf %v has D, want D only after a write", va+3, w.Leaf())
				gomega.Expect(s.pt.MarkAccessed(va+3, true)).To(gomega.Succeed(), "MarkAccessed(%v, true)", va+3)
				w, _ = s.pt.Walk(va)
				gomega.Expect(w.Leaf().Has(vm.PTEAccessed|vm.PTEDirty)).To(gomega.BeTrue(), "after MarkAccessed(%v, true): leaf %v, want A and D", va+3, w.Leaf())
				gomega.Expect(w.Leaf().PFN()).To(gomega.Equal(m.PFN), "after MarkAccessed: leaf %v, want the same frame", w.Leaf())
				gomega.Expect(s.pt.MarkAccessed(va, false)).To(gomega.Succeed(), "MarkAccessed(%v, false)", va)
				w, _ = s.pt.Walk(va)
				gomega.Expect(w.Leaf().Has(vm.PTEDirty)).To(gomega.BeTrue(), "a read after a write cleared D: leaf %v", w.Leaf())
			})
		})
	}
	ginkgo.It("agrees with a map model on random Map/Unmap/Protect/MarkAccessed/Walk sequences", ginkgo.Label("points:3"), func() {
		feedback.Check(func(t *rapid.T) { runMachine(t, build, geoms) })
	})
}

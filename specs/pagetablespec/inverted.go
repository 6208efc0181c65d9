package pagetablespec

import (
	"errors"
	"fmt"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/gomega"
	"pgregory.net/rapid"

	"github.com/vmkata/vmkata/reference/pagetable"
	"github.com/vmkata/vmkata/reference/phys"
	"github.com/vmkata/vmkata/specs/internal/feedback"
	"github.com/vmkata/vmkata/specs/internal/speclabel"
	"github.com/vmkata/vmkata/vm"
)

// Inverted is what the specs need of an inverted table: exercise 14's
// Inverted.
type Inverted interface {
	Root() vm.PAddr
	Frames() int
	Len() int
	TableBytes() uint64
	Probes(asid vm.ASID, va vm.VAddr) int
	Space(asid vm.ASID) vm.PageTable
}

// invertedFrames is the size of the tables the shared specs use: enough for
// the frames they map (up to 0x3b).
const invertedFrames = 64

// DescribeInverted declares the behaviour of an inverted table built by
// newInverted: the shared page-table specs on one address space's view
// (Space), and the specs only an inverted table has: its size, the hash
// chains a walk follows, one page per frame, and several address spaces in
// one table. Call it at package level in a _test.go file.
func DescribeInverted[T Inverted](name string, newInverted func(vm.Geometry, int) (T, error)) bool {
	build := func(g vm.Geometry) (*subject, error) {
		t, err := newInverted(g, invertedFrames)
		if err != nil {
			return nil, err
		}
		return &subject{g: g, pt: t.Space(1), rules: &invertedRules, frameLimit: invertedFrames, oneMappingPerFrame: true}, nil
	}
	newTable := func(g vm.Geometry, frames int) Inverted {
		ginkgo.GinkgoHelper()
		t, err := newInverted(g, frames)
		gomega.Expect(err).NotTo(gomega.HaveOccurred(), "NewInverted(%v, %d)", g, frames)
		return t
	}
	geoms := []vm.Geometry{vm.X86_64, vm.X86_32, vm.Textbook}
	return ginkgo.Describe("inverted page table ["+name+"]", ginkgo.Label("topic:pagetable", "topic:inverted"), func() {
		ginkgo.DescribeTable("NewInverted refuses a bad geometry or frame count",
			func(g vm.Geometry, frames int) {
				_, err := newInverted(g, frames)
				expectErr(err, vm.ErrInvalidConfig, "NewInverted(%v, %d)", g, frames)
			},
			func(g vm.Geometry, frames int) string { return fmt.Sprintf("NewInverted(%v, %d)", g, frames) },
			ginkgo.Entry(nil, invRules(1, "new-invalid"), vm.Geometry{}, 8),
			ginkgo.Entry(nil, invRules(1, "new-invalid"), vm.X86_64, 0),
			ginkgo.Entry(nil, invRules(1, "new-invalid"), vm.X86_64, -1),
			ginkgo.Entry(nil, invRules(1, "new-invalid"), vm.Textbook, 1025), // 2^(16-6) frames at most
			ginkgo.Entry(nil, invRules(1, "new-invalid"), vm.X86_64, 1<<24+1),
		)
		ginkgo.DescribeTable("a new table: its frames, no pages, and a size set by physical memory alone",
			func(g vm.Geometry, frames int, anchors uint64) {
				t := newTable(g, frames)
				gomega.Expect(t.Frames()).To(gomega.Equal(frames), "NewInverted(%v, %d).Frames()", g, frames)
				gomega.Expect(t.Len()).To(gomega.BeZero(), "NewInverted(%v, %d).Len()", g, frames)
				want := anchors*pagetable.InvertedAnchorBytes + uint64(frames)*pagetable.InvertedEntryBytes
				gomega.Expect(t.TableBytes()).To(gomega.Equal(want),
					"NewInverted(%v, %d).TableBytes(), want %d anchor slots × 8 + %d entries × 24", g, frames, anchors, frames)
			},
			func(g vm.Geometry, frames int, anchors uint64) string {
				return fmt.Sprintf("NewInverted(%v, %d): %d anchor slots", g, frames, anchors)
			},
			ginkgo.Entry(nil, invRules(1, "new-size", "table-bytes"), vm.X86_64, 1, uint64(1)),
			ginkgo.Entry(nil, invRules(1, "new-size", "table-bytes"), vm.X86_64, 5, uint64(8)),
			ginkgo.Entry(nil, invRules(1, "new-size", "table-bytes"), vm.X86_64, 64, uint64(64)),
			ginkgo.Entry(nil, invRules(1, "new-size", "table-bytes"), vm.Textbook, 1000, uint64(1024)),
			ginkgo.Entry(nil, invRules(1, "new-size", "table-bytes"), vm.Textbook, 1024, uint64(1024)),
		)
		ginkgo.It("has its notional root at physical address 0, in every address space", invRules(1, "root"), func() {
			t := newTable(vm.X86_64, 8)
			gomega.Expect(t.Root()).To(gomega.Equal(vm.PAddr(0)), "Root()")
			for _, asid := range []vm.ASID{0, 1, 7} {
				gomega.Expect(t.Space(asid).Root()).To(gomega.Equal(vm.PAddr(0)), "Space(%v).Root()", asid)
			}
		})
		ginkgo.It("maps base pages only", invRules(1, "map-base-only"), func() {
			pt := newTable(vm.X86_64, 8).Space(1)
			for _, size := range []vm.PageSize{vm.Size2M, vm.Size1G, 2 * vm.Size4K} {
				m := vm.Mapping{VA: 0x4000_0000, PFN: 0, Size: size, Perm: vm.PermRead}
				expectErr(pt.Map(m), vm.ErrInvalidConfig, "Map(%v) on an inverted table", m)
			}
			w, err := pt.Walk(0x4000_0000)
			gomega.Expect(err == nil && !w.Present()).To(gomega.BeTrue(), "after the refused Maps: Walk(0x40000000) = %v, %v; want not present", w, err)
		})
		ginkgo.It("keeps address spaces apart: the same address in two spaces is two pages", invRules(3, "spaces", "len"), func() {
			t := newTable(vm.X86_64, 8)
			a, b, c := t.Space(1), t.Space(2), t.Space(3)
			va := vm.VAddr(0x40_0000)
			ma := vm.Mapping{VA: va, PFN: 3, Size: vm.Size4K, Perm: vm.PermRX | vm.PermUser}
			mb := vm.Mapping{VA: va, PFN: 5, Size: vm.Size4K, Perm: vm.PermRW | vm.PermUser}
			mustMap(a, ma)
			mustMap(b, mb)
			gomega.Expect(t.Len()).To(gomega.Equal(2), "Len() after Map(%v) in asid 1 and Map(%v) in asid 2", ma, mb)
			expectFrame(a, va, 3, "asid 1")
			expectFrame(b, va, 5, "asid 2")
			w, err := c.Walk(va)
			gomega.Expect(err == nil && !w.Present()).To(gomega.BeTrue(), "Walk(%v) in asid 3, which mapped nothing = %v, %v; want not present", va, w, err)
			_, err = c.Unmap(va)
			expectErr(err, vm.ErrNotMapped, "Unmap(%v) in asid 3", va)
			gomega.Expect(a.Protect(va, vm.PermRead)).To(gomega.Succeed(), "Protect(%v, r---) in asid 1", va)
			expectFrame(b, va, 5, "asid 2 after asid 1's Protect")
			w, _ = b.Walk(va)
			gomega.Expect(w.Perm).To(gomega.Equal(mb.Perm), "Walk(%v).Perm in asid 2 after asid 1's Protect", va)
			got, err := a.Unmap(va)
			gomega.Expect(err).NotTo(gomega.HaveOccurred(), "Unmap(%v) in asid 1", va)
			gomega.Expect(got.PFN).To(gomega.Equal(ma.PFN), "Unmap(%v) in asid 1", va)
			gomega.Expect(t.Len()).To(gomega.Equal(1), "Len() after asid 1's Unmap")
			expectFrame(b, va, 5, "asid 2 after asid 1's Unmap")
		})
		ginkgo.It("holds one page per frame: a mapped frame cannot be mapped again, by any space, until it is unmapped", invRules(3, "map-frame-taken", "unmap", "len"), func() {
			t := newTable(vm.X86_64, 8)
			a, b := t.Space(1), t.Space(2)
			m := vm.Mapping{VA: 0x40_0000, PFN: 5, Size: vm.Size4K, Perm: vm.PermRX | vm.PermUser}
			mustMap(a, m)
			shared := vm.Mapping{VA: 0x7000_0000, PFN: 5, Size: vm.Size4K, Perm: vm.PermRX | vm.PermUser}
			expectErr(b.Map(shared), vm.ErrAlreadyMapped, "Map(%v) in asid 2 after Map(%v) in asid 1: a library shared by two processes", shared, m)
			expectErr(a.Map(shared), vm.ErrAlreadyMapped, "Map(%v) in asid 1, a second page of frame 5", shared)
			gomega.Expect(t.Len()).To(gomega.Equal(1), "Len() after the refused Maps")
			w, _ := b.Walk(shared.VA)
			gomega.Expect(w.Present()).To(gomega.BeFalse(), "Walk(%v) in asid 2 after the refused Map = %v", shared.VA, w)
			expectFrame(a, m.VA, 5, "asid 1 after the refused Maps")
			_, err := a.Unmap(m.VA)
			gomega.Expect(err).NotTo(gomega.HaveOccurred(), "Unmap(%v) in asid 1", m.VA)
			mustMap(b, shared) // the frame is free again
			expectFrame(b, shared.VA, 5, "asid 2 after asid 1 gave frame 5 up")
			gomega.Expect(t.Len()).To(gomega.Equal(1), "Len() after the frame changed hands")
		})
		chains(newTable)
		ginkgo.It("is one table for every process: its size stays put while radix tables grow with each process", invRules(2, "table-bytes", "len"), func() {
			const procs, frames = 32, 256
			t := newTable(vm.X86_64, frames)
			before := t.TableBytes()
			mem, err := phys.NewMemory(2048, vm.Size4K)
			gomega.Expect(err).NotTo(gomega.HaveOccurred(), "phys.NewMemory")
			alloc, err := phys.NewFreeList(2048)
			gomega.Expect(err).NotTo(gomega.HaveOccurred(), "phys.NewFreeList")
			radixBytes := uint64(0)
			pfn := vm.PFN(0)
			for p := range procs {
				asid := vm.ASID(p + 1)
				r, err := pagetable.NewRadix(vm.X86_64, mem, alloc)
				gomega.Expect(err).NotTo(gomega.HaveOccurred(), "reference NewRadix")
				for _, m := range process(&pfn) {
					mustMap(t.Space(asid), m)
					mustMap(r, m)
				}
				radixBytes += r.TableBytes()
			}
			gomega.Expect(t.Len()).To(gomega.Equal(int(pfn)), "Len() after mapping %d pages in %d address spaces", pfn, procs)
			gomega.Expect(t.TableBytes()).To(gomega.Equal(before),
				"TableBytes() after mapping %d pages in %d address spaces, want %d as when the table was new", pfn, procs, before)
			ginkgo.GinkgoWriter.Printf("%d processes, %d pages: inverted %d KiB, radix %d KiB\n", procs, pfn, before>>10, radixBytes>>10)
			gomega.Expect(before).To(gomega.BeNumerically("<", radixBytes),
				"TableBytes() = %d for %d processes; their %d radix tables take %d bytes", before, procs, procs, radixBytes)
		})
		shared(build, geoms, &invertedRules)
		ginkgo.It("agrees with the reference on random calls in several address spaces", ginkgo.Label("property"), func() {
			feedback.Check(func(rt *rapid.T) { differential(rt, newInverted) })
		})
	})
}

// invRules returns the labels of a spec worth pts points that checks the
// rules of exercise 14 named.
func invRules(pts int, names ...string) ginkgo.Labels {
	return speclabel.Rules(pts, "rule:14.", names...)
}

// process returns the pages of a small process, three text pages, two heap
// pages and a stack page, on frames from *next on.
func process(next *vm.PFN) []vm.Mapping {
	var ms []vm.Mapping
	add := func(va vm.VAddr, n int, perm vm.Perm) {
		for i := range n {
			ms = append(ms, vm.Mapping{VA: va + vm.VAddr(i)*0x1000, PFN: *next, Size: vm.Size4K, Perm: perm})
			*next++
		}
	}
	add(0x40_0000, 3, vm.PermRX|vm.PermUser)
	add(0x60_0000, 2, vm.PermRW|vm.PermUser)
	add(0x7fff_ffff_e000, 1, vm.PermRW|vm.PermUser)
	return ms
}

// expectFrame requires va to be present in pt, in frame pfn.
func expectFrame(pt vm.PageTable, va vm.VAddr, pfn vm.PFN, where string) {
	ginkgo.GinkgoHelper()
	w, err := pt.Walk(va)
	gomega.Expect(err).NotTo(gomega.HaveOccurred(), "Walk(%v) in %s", va, where)
	gomega.Expect(w.Present() && w.Leaf().PFN() == pfn).To(gomega.BeTrue(), "Walk(%v) in %s = %v, want present in %v", va, where, w, pfn)
}

// errKind names the sentinel err wraps, for comparing errors by kind.
func errKind(err error) string {
	if err == nil {
		return "nil"
	}
	for _, s := range []error{vm.ErrInvalidConfig, vm.ErrNotAligned, vm.ErrOutOfRange, vm.ErrAlreadyMapped,
		vm.ErrNotMapped, vm.ErrBadPermission, vm.ErrNonCanonical} {
		if errors.Is(err, s) {
			return s.Error()
		}
	}
	return "other: " + err.Error()
}

// Package pagetablespec is the behaviour of a vm.PageTable, written once and
// run against any implementation: the reference tables (reference/pagetable)
// and a learner's linear table (exercise 02), multi-level walk (exercise
// 03) and inverted table (exercise 14).
//
// Register it at package level in a _test.go file of the package under test,
// next to the usual Ginkgo bootstrap:
//
//	var _ = pagetablespec.DescribeLinear("reference", pagetable.NewLinear)
//	var _ = pagetablespec.DescribeRadix("reference", pagetable.NewRadix)
//	var _ = pagetablespec.DescribeInverted("reference", pagetable.NewInverted)
//
//	func TestPageTable(t *testing.T) {
//		RegisterFailHandler(Fail)
//		RunSpecs(t, "page tables")
//	}
//
// The contracts are the rules of exercises 02 (exercises/02-linear-page-table/
// linear.go), 03 (exercises/03-multilevel-walk/radix.go) and 14
// (exercises/14-inverted-page-table/inverted.go): each has deterministic
// specs labelled "rule:02.name", "rule:03.name" or "rule:14.name"; the
// random properties (labelled "property") are a second net. A radix
// table's frames come from a rig allocator that hands out dirty frames and
// can refuse any one allocation (rig.go).
//
// Every spec carries the labels "topic:pagetable", "topic:linear",
// "topic:radix" or "topic:inverted", and "points:N".
package pagetablespec

import (
	"errors"
	"fmt"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/gomega"

	"github.com/vmkata/vmkata/reference/phys"
	_ "github.com/vmkata/vmkata/specs/internal/color" // Ginkgo without colour where it is not wanted
	"github.com/vmkata/vmkata/vm"
)

// subject is one page table under test, with what was built around it.
type subject struct {
	g      vm.Geometry
	pt     vm.PageTable
	mem    vm.PhysMem    // the radix table's memory; nil for a linear table
	frames *rigFrames    // the radix table's allocator; nil for a linear table
	huge   []vm.PageSize // the huge page sizes the table must map
	rules  *rules        // the labels of the exercise's rules
	// frameLimit is the first frame number Map must refuse with
	// vm.ErrOutOfRange: 2^(PABits-OffsetBits), or an inverted table's
	// Frames().
	frameLimit uint64
	// oneMappingPerFrame says that a frame holds at most one page (an
	// inverted table): mapping a mapped frame again is vm.ErrAlreadyMapped.
	oneMappingPerFrame bool
}

// state prints what a failed call must leave unchanged: the walks of vas
// and, for a radix table, its table pages and the free frame count.
func (s *subject) state(vas ...vm.VAddr) string {
	out := ""
	for _, va := range vas {
		w, err := s.pt.Walk(va)
		out += fmt.Sprintf("%v, %v\n", w, err)
	}
	if s.frames != nil {
		out += s.frames.state()
	}
	return out
}

// expectUnchanged fails if the state of s is not before.
func expectUnchanged(s *subject, before string, after string, vas ...vm.VAddr) {
	ginkgo.GinkgoHelper()
	if got := s.state(vas...); got != before {
		ginkgo.Fail(fmt.Sprintf("after %s the table changed, want it as it was (a failed call changes nothing)", after))
	}
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
		return &subject{g: g, pt: pt, rules: &linearRules, frameLimit: 1 << (g.PABits - g.OffsetBits)}, nil
	}
	geoms := []vm.Geometry{vm.X86_32, vm.Textbook, smallSignExtended}
	return ginkgo.Describe("linear page table ["+name+"]", ginkgo.Label("topic:pagetable", "topic:linear"), func() {
		linear(build, func(g vm.Geometry) error { _, err := newLinear(g); return err })
		shared(build, geoms, &linearRules)
	})
}

// DescribeRadix declares the behaviour of a multi-level page table built by
// newRadix over simulated physical memory. The specs build the memory (512
// frames, fewer where PABits allows fewer or frames are larger than 4 KiB:
// 2 MiB at most) and a rig frame allocator for each table. Call it at package level in a _test.go file.
func DescribeRadix[T vm.PageTable](name string, newRadix func(vm.Geometry, vm.PhysMem, vm.FrameAllocator) (T, error)) bool {
	build := func(g vm.Geometry) (*subject, error) {
		s, err := newRig(g)
		if err != nil {
			return nil, err
		}
		pt, err := newRadix(g, s.mem, s.frames)
		if err != nil {
			return nil, err
		}
		s.pt = pt
		return s, nil
	}
	newTable := func(s *subject) error {
		pt, err := newRadix(s.g, s.mem, s.frames)
		if err == nil {
			s.pt = pt
		}
		return err
	}
	geoms := []vm.Geometry{vm.X86_64, vm.X86_64_5Level, vm.X86_32, vm.Textbook}
	return ginkgo.Describe("multi-level page table ["+name+"]", ginkgo.Label("topic:pagetable", "topic:radix"), func() {
		radix(build, newTable)
		shared(build, geoms, &radixRules)
	})
}

// newRig returns a subject without a table yet: the memory and the rig
// allocator a radix table for g is built over.
func newRig(g vm.Geometry) (*subject, error) {
	n := min(512, (2<<20)>>g.OffsetBits) // 2 MiB of memory at most
	if max := 1 << (g.PABits - g.OffsetBits); n > max {
		n = max
	}
	mem, err := phys.NewMemory(n, g.PageSize())
	if err != nil {
		return nil, err
	}
	free, err := phys.NewFreeList(n)
	if err != nil {
		return nil, err
	}
	s := &subject{g: g, mem: mem, frames: newRigFrames(free, mem, g.PageSize()), rules: &radixRules, frameLimit: 1 << (g.PABits - g.OffsetBits)}
	if g.EntryBytes == 8 && g.Levels >= 4 && g.OffsetBits == 12 {
		s.huge = []vm.PageSize{vm.Size2M, vm.Size1G}
	}
	return s, nil
}

// smallSignExtended is a sign-extended geometry small enough for a linear
// table (2^12 entries): its upper half starts at 0xffff_ffff_ff80_0000.
var smallSignExtended = vm.Geometry{Name: "sign-extended 6/6/12", VABits: 24, PABits: 32, OffsetBits: 12, Levels: 2,
	LevelBits: [vm.MaxLevels]uint8{6, 6}, EntryBytes: 8, SignExtended: true}

// sv39 is a 3-level sign-extended geometry (RISC-V's Sv39 layout): its
// root is level 3, so a 1 GiB leaf would sit at the root, where none may.
var sv39 = vm.Geometry{Name: "3-level 9/9/9/12", VABits: 39, PABits: 40, OffsetBits: 12, Levels: 3,
	LevelBits: [vm.MaxLevels]uint8{9, 9, 9}, EntryBytes: 8, SignExtended: true}

// edgeGeometries are valid geometries at the edges of vm.Geometry's
// invariant, each with a page it maps and the reads a walk of it takes: one
// level; and 64-bit virtual addresses (64 KiB pages, four levels of 12 bits),
// where bit 63 is an ordinary index bit and no shift may reach 64.
var edgeGeometries = []struct {
	g     vm.Geometry
	va    vm.VAddr
	steps int
}{
	{vm.Geometry{Name: "1-level 9/12", VABits: 21, PABits: 32, OffsetBits: 12, Levels: 1,
		LevelBits: [vm.MaxLevels]uint8{9}, EntryBytes: 8}, 0x1f_f000, 1},
	{vm.Geometry{Name: "64-bit 12/12/12/12/16", VABits: 64, PABits: 48, OffsetBits: 16, Levels: 4,
		LevelBits: [vm.MaxLevels]uint8{12, 12, 12, 12}, EntryBytes: 8}, 0xffff_ffff_ffff_0000, 4},
}

// invalidGeometries break vm.Geometry's documented invariant, one clause
// each; each is small enough for a linear table, so that only the broken
// clause can be the reason to refuse it.
var invalidGeometries = func() []vm.Geometry {
	sum := smallSignExtended
	sum.Name, sum.VABits = "index and offset bits add up to 24, VABits 23", 23
	wide := vm.Geometry{Name: "a level of 2^10 8-byte entries, wider than its 4 KiB frame", VABits: 26, PABits: 32, OffsetBits: 12, Levels: 2,
		LevelBits: [vm.MaxLevels]uint8{10, 4}, EntryBytes: 8}
	deep := vm.Geometry{Name: "6 levels", VABits: 66, PABits: 52, OffsetBits: 12, Levels: 6, EntryBytes: 8}
	none := vm.Geometry{Name: "no levels", VABits: 12, PABits: 32, OffsetBits: 12, Levels: 0, EntryBytes: 8}
	entry := vm.X86_32
	entry.Name, entry.EntryBytes = "6-byte entries", 6
	zero := vm.Geometry{Name: "the zero Geometry"}
	return []vm.Geometry{zero, sum, wide, deep, none, entry}
}()

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

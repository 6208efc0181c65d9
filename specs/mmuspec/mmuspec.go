// Package mmuspec is the behaviour of a vm.MMU, written once and run
// against any implementation: the reference (reference/mmu) and a
// learner's MMU (exercise 05).
//
// The MMU under test is plugged into reference parts: physical memory and
// a frame allocator (reference/phys), radix page tables stored in that
// memory (reference/pagetable) and a set-associative TLB (reference/tlb),
// so an MMU is graded on its own logic. Register it at package level in a
// _test.go file of the package under test, next to the Ginkgo bootstrap:
//
//	var _ = mmuspec.Describe("reference", mmu.New)
//	var _ = mmuspec.DescribeEAT("reference", mmu.EAT, mmu.EATWithTLB)
//
//	func TestMMU(t *testing.T) {
//		RegisterFailHandler(Fail)
//		RunSpecs(t, "MMU")
//	}
//
// The contract is the one of vm.MMU, vm.MMUConfig, vm.CostModel and
// vm.MMUStats (vm/mmu.go) and of exercise 05's stub (New, EAT,
// EATWithTLB), where each rule starts with its id in brackets. Every rule
// has deterministic specs labelled "rule:05.<name>": textbook translations
// and faults on x86-64, x86-32 and the textbook machine, scripted scenarios
// (context switches, a write through a clean entry, a fault at each level of
// the walk, a cached entry that denies an access) and parts that refuse (a
// TLB whose Insert fails, a page table whose Walk or MarkAccessed fails,
// Refill handlers that misbehave). One rapid state machine, labelled
// "property", is a second net.
//
// Every spec carries the labels "topic:mmu" and "points:N".
package mmuspec

import (
	"errors"
	"fmt"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/gomega"

	"github.com/vmkata/vmkata/reference/phys"
	"github.com/vmkata/vmkata/reference/tlb"
	_ "github.com/vmkata/vmkata/specs/internal/color" // Ginkgo without colour where it is not wanted
	"github.com/vmkata/vmkata/specs/internal/speclabel"
	"github.com/vmkata/vmkata/vm"
)

// points returns the label that weights a spec.
func points(n int) ginkgo.Labels { return ginkgo.Label(fmt.Sprintf("points:%d", n)) }

// rules returns the labels of a deterministic spec worth n points that
// checks the rules named by ids (short names of exercise 05's rules, "tlb-hit").
func rules(n int, ids ...string) ginkgo.Labels {
	return speclabel.Rules(n, "rule:05.", ids...)
}

// Describe declares the MMU behaviour for the implementation newMMU
// builds. Call it at package level in a _test.go file:
//
//	var _ = mmuspec.Describe("reference", mmu.New)
func Describe[T vm.MMU](name string, newMMU func(vm.MMUConfig) (T, error)) bool {
	build := func(cfg vm.MMUConfig) (vm.MMU, error) {
		m, err := newMMU(cfg)
		if err != nil {
			return nil, err
		}
		return m, nil
	}
	return ginkgo.Describe("MMU ["+name+"]", ginkgo.Label("topic:mmu"), func() {
		describeConstruction(build)
		describeTranslation(build)
		describeFaults(build)
		describeAccessedDirty(build)
		describeTLBUse(build)
		describeContextSwitch(build)
		describeLoadStore(build)
		describeSoftwareTLB(build)
		describeCost(build)
		describeEdges(build)
		ginkgo.It("agrees with the page table on random map, unmap, protect, translate, load and store sequences", ginkgo.Label("property"), func() {
			runMachine(build)
		})
	})
}

// configCase is one configuration New must accept or reject.
type configCase struct {
	geometry  vm.Geometry
	frameSize vm.PageSize // 0: the geometry's page size
	noTLB     bool
	noMem     bool
	software  bool
	refill    bool
	valid     bool
}

func (c configCase) String() string {
	var what string
	switch {
	case c.noTLB:
		what = "no TLB"
	case c.noMem:
		what = "no memory"
	case c.frameSize != 0:
		what = fmt.Sprintf("%v frames", c.frameSize)
	case c.software && !c.refill:
		what = "SoftwareTLB without Refill"
	case c.software:
		what = "SoftwareTLB with Refill"
	default:
		what = "all parts"
	}
	verb := "rejects"
	if c.valid {
		verb = "accepts"
	}
	return fmt.Sprintf("%s %v with %s", verb, c.geometry, what)
}

// config builds the parts c names.
func (c configCase) config() vm.MMUConfig {
	cfg := vm.MMUConfig{Geometry: c.geometry, Cost: specCost, SoftwareTLB: c.software}
	fs := c.frameSize
	if fs == 0 {
		fs = c.geometry.PageSize()
	}
	if fs == 0 || fs&(fs-1) != 0 || fs > 64<<10 {
		fs = vm.Size4K
	}
	if !c.noMem {
		mem, err := phys.NewMemory(64, fs)
		gomega.Expect(err).NotTo(gomega.HaveOccurred(), "phys.NewMemory(64, %v)", fs)
		cfg.Mem = mem
	}
	if !c.noTLB {
		t, err := tlb.New(vm.TLBConfig{Entries: 4, Ways: 2})
		gomega.Expect(err).NotTo(gomega.HaveOccurred(), "tlb.New")
		cfg.TLB = t
	}
	if c.refill {
		cfg.Refill = func(vm.ASID, vm.VAddr, vm.Access) error { return nil }
	}
	return cfg
}

// badSplit is x86-64 with a level missing: 9+9+9+12 != 48.
var badSplit = vm.Geometry{Name: "bad split", VABits: 48, PABits: 52, OffsetBits: 12,
	Levels: 3, LevelBits: [vm.MaxLevels]uint8{9, 9, 9}, EntryBytes: 8, SignExtended: true}

// oneLevel has a single page-table level of two entries: an 8 KiB space
// of 4K pages.
var oneLevel = vm.Geometry{Name: "one level", VABits: 13, PABits: 32, OffsetBits: 12,
	Levels: 1, LevelBits: [vm.MaxLevels]uint8{1}, EntryBytes: 4}

// full64 uses all 64 address bits, none sign-extended: 64 KiB pages and
// four levels of 12 index bits.
var full64 = vm.Geometry{Name: "full 64-bit", VABits: 64, PABits: 48, OffsetBits: 16,
	Levels: 4, LevelBits: [vm.MaxLevels]uint8{12, 12, 12, 12}, EntryBytes: 8}

// noLevels has no page-table level at all.
var noLevels = vm.Geometry{Name: "no levels", VABits: 12, PABits: 32, OffsetBits: 12, EntryBytes: 8}

func describeConstruction(build Factory) {
	ginkgo.DescribeTable("New validates its configuration", ginkgo.Label("rule:05.new", "rule:05.no-page-table"),
		func(c configCase) {
			cfg := c.config()
			m, err := build(cfg)
			if !c.valid {
				gomega.Expect(errors.Is(err, vm.ErrInvalidConfig)).To(gomega.BeTrue(),
					"New(%s) returned error %v, want an error wrapping %q", describeConfig(cfg), err, vm.ErrInvalidConfig)
				return
			}
			gomega.Expect(err).NotTo(gomega.HaveOccurred(), "New(%s) returned an error, want an MMU", describeConfig(cfg))
			gomega.Expect(m.Stats()).To(gomega.Equal(vm.MMUStats{}), "New(%s).Stats() on a fresh MMU", describeConfig(cfg))
			_, err = m.Translate(0, vm.SupervisorRead)
			gomega.Expect(errors.Is(err, vm.ErrNoPageTable)).To(gomega.BeTrue(),
				"Translate(0x0, supervisor read) before LoadCR3 returned error %v, want an error wrapping %q", err, vm.ErrNoPageTable)
		},
		func(c configCase) string { return c.String() },
		ginkgo.Entry(nil, points(1), configCase{geometry: vm.X86_64, valid: true}),
		ginkgo.Entry(nil, points(1), configCase{geometry: vm.X86_32, valid: true}),
		ginkgo.Entry(nil, points(1), configCase{geometry: vm.Textbook, valid: true}),
		ginkgo.Entry(nil, points(1), configCase{geometry: vm.X86_64_5Level, valid: true}),
		ginkgo.Entry(nil, points(1), configCase{geometry: oneLevel, valid: true}),
		ginkgo.Entry(nil, points(1), configCase{geometry: full64, valid: true}),
		ginkgo.Entry(nil, points(1), configCase{geometry: vm.X86_64, software: true, refill: true, valid: true}),
		ginkgo.Entry(nil, points(1), configCase{geometry: vm.X86_64, noTLB: true}),
		ginkgo.Entry(nil, points(1), configCase{geometry: vm.X86_64, noMem: true}),
		ginkgo.Entry(nil, points(1), configCase{geometry: vm.X86_64, frameSize: 64}),
		ginkgo.Entry(nil, points(1), configCase{geometry: badSplit}),
		ginkgo.Entry(nil, points(1), configCase{geometry: noLevels}),
		ginkgo.Entry(nil, points(1), configCase{geometry: vm.X86_64, software: true}),
	)
}

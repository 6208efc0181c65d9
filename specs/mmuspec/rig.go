package mmuspec

import (
	"fmt"

	"github.com/onsi/gomega"

	"github.com/vmkata/vmkata/reference/pagetable"
	"github.com/vmkata/vmkata/reference/phys"
	"github.com/vmkata/vmkata/reference/tlb"
	"github.com/vmkata/vmkata/vm"
)

// Factory builds the MMU under test.
type Factory func(cfg vm.MMUConfig) (vm.MMU, error)

// rig is a machine built from reference parts around the MMU under test:
// physical memory, a frame allocator for page-table pages, a TLB and one
// radix page table per address space. Data frames are not allocated: the
// specs name them, above the frames the allocator hands out for tables.
type rig struct {
	g      vm.Geometry
	mem    *phys.Memory
	frames *phys.FreeList // table frames: 0 .. tableFrames-1
	tlb    *tlb.TLB
	pt     *pagetable.Radix // the first address space, loaded with LoadCR3(pt, 0, false)
	mmu    vm.MMU
	cfg    vm.MMUConfig
}

// Physical layout of a rig: tables in the low frames, data above, and
// one 2 MiB-aligned block for the huge page (x86-64 only).
const (
	memFrames   = 2048  // 8 MiB of 4K frames
	tableFrames = 256   // frames the allocator hands out for page tables
	hugePFN     = 0x400 // first frame of the 2 MiB page: 512-aligned
)

// Costs used by the specs: small, distinct numbers so that a count is
// easy to check by hand.
var specCost = vm.CostModel{TLBHit: 1, MemRef: 10, FaultService: 1000, TLBRefill: 50}

// rigOptions change how a rig is built.
type rigOptions struct {
	tlb      vm.TLBConfig
	frames   int // frames of physical memory; 0: memFrames
	software bool
	refill   func(r *rig) func(vm.ASID, vm.VAddr, vm.Access) error
}

// newRig builds the reference parts for g and the MMU under test around
// them, loads an empty table with LoadCR3(pt, 0, false) and returns the
// rig. It fails the spec if any part cannot be built.
func newRig(newMMU Factory, g vm.Geometry, o rigOptions) *rig {
	if o.tlb.Entries == 0 {
		o.tlb = vm.TLBConfig{Entries: 64, Ways: 4}
	}
	frames := memFrames
	if o.frames != 0 {
		frames = o.frames
	}
	if g.PageSize() < vm.Size4K {
		frames = 256 // the textbook machine: 256 frames of 64 bytes
	}
	r := &rig{g: g}
	var err error
	r.mem, err = phys.NewMemory(frames, g.PageSize())
	gomega.Expect(err).NotTo(gomega.HaveOccurred(), "phys.NewMemory")
	r.frames, err = phys.NewFreeList(min(tableFrames, frames/4))
	gomega.Expect(err).NotTo(gomega.HaveOccurred(), "phys.NewFreeList")
	r.tlb, err = tlb.New(o.tlb)
	gomega.Expect(err).NotTo(gomega.HaveOccurred(), "tlb.New(%v)", o.tlb)
	r.pt = r.newTable()
	r.cfg = vm.MMUConfig{Geometry: g, TLB: r.tlb, Mem: r.mem, Cost: specCost, SoftwareTLB: o.software}
	if o.refill != nil {
		r.cfg.Refill = o.refill(r)
	}
	r.mmu, err = newMMU(r.cfg)
	gomega.Expect(err).NotTo(gomega.HaveOccurred(), "New(%s) returned an error, want an MMU", describeConfig(r.cfg))
	gomega.Expect(r.mmu).NotTo(gomega.BeNil(), "New(%s) returned a nil MMU", describeConfig(r.cfg))
	r.mmu.LoadCR3(r.pt, 0, false)
	return r
}

// newTable returns a new, empty address space in the rig's memory.
func (r *rig) newTable() *pagetable.Radix {
	pt, err := pagetable.NewRadix(r.g, r.mem, r.frames)
	gomega.Expect(err).NotTo(gomega.HaveOccurred(), "pagetable.NewRadix(%v)", r.g)
	return pt
}

// mapPage installs m in pt and fails the spec if the table refuses it.
func mapPage(pt vm.PageTable, m vm.Mapping) {
	gomega.Expect(pt.Map(m)).To(gomega.Succeed(), "Map(%v)", m)
}

// leaf walks pt for va and returns the entry the walk stopped at.
func leaf(pt vm.PageTable, va vm.VAddr) vm.Walk {
	w, err := pt.Walk(va)
	gomega.Expect(err).NotTo(gomega.HaveOccurred(), "Walk(%v)", va)
	return w
}

// describeConfig prints an MMU configuration for a failure message.
func describeConfig(c vm.MMUConfig) string {
	t, m := "nil", "nil"
	if c.TLB != nil {
		t = "a TLB"
	}
	if c.Mem != nil {
		m = fmt.Sprintf("%d bytes in %v frames", c.Mem.Size(), c.Mem.FrameSize())
	}
	return fmt.Sprintf("{Geometry: %v, TLB: %s, Mem: %s, SoftwareTLB: %v, Refill set: %v}",
		c.Geometry, t, m, c.SoftwareTLB, c.Refill != nil)
}

// The address space of the textbook cases (x86-64), one page of each kind.
const (
	codeVA   vm.VAddr = 0x400000           // user code, r-xu
	dataVA   vm.VAddr = 0x600000           // user data, rw-u (NX)
	roVA     vm.VAddr = 0x601000           // user read-only data, r--u
	holeVA   vm.VAddr = 0x602000           // unmapped, in the same last-level table as dataVA
	hugeVA   vm.VAddr = 0x40000000         // a 2 MiB user page, rw-u
	stackVA  vm.VAddr = 0x7ffffffff000     // top user page, rw-u
	kernVA   vm.VAddr = 0xffff800000000000 // kernel data, rw-- global
	kcodeVA  vm.VAddr = 0xffff800000001000 // kernel code, r-x- global
	codePFN  vm.PFN   = 0x100
	dataPFN  vm.PFN   = 0x101
	roPFN    vm.PFN   = 0x102
	stackPFN vm.PFN   = 0x105
	kernPFN  vm.PFN   = 0x103
	kcodePFN vm.PFN   = 0x104
)

// processLayout is the address space of the textbook cases.
var processLayout = []vm.Mapping{
	{VA: codeVA, PFN: codePFN, Size: vm.Size4K, Perm: vm.PermRX | vm.PermUser},
	{VA: dataVA, PFN: dataPFN, Size: vm.Size4K, Perm: vm.PermRW | vm.PermUser},
	{VA: roVA, PFN: roPFN, Size: vm.Size4K, Perm: vm.PermRead | vm.PermUser},
	{VA: hugeVA, PFN: hugePFN, Size: vm.Size2M, Perm: vm.PermRW | vm.PermUser},
	{VA: stackVA, PFN: stackPFN, Size: vm.Size4K, Perm: vm.PermRW | vm.PermUser},
	{VA: kernVA, PFN: kernPFN, Size: vm.Size4K, Perm: vm.PermRW, Global: true},
	{VA: kcodeVA, PFN: kcodePFN, Size: vm.Size4K, Perm: vm.PermRX, Global: true},
}

// mapProcess maps processLayout into pt.
func mapProcess(pt vm.PageTable) {
	for _, m := range processLayout {
		mapPage(pt, m)
	}
}

package mmuspec

import (
	"errors"
	"fmt"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/gomega"

	"github.com/vmkata/vmkata/vm"
)

// translateCase is one access that must succeed, and the physical address
// it must reach.
type translateCase struct {
	va     vm.VAddr
	access vm.Access
	want   vm.PAddr
}

func (c translateCase) String() string {
	return fmt.Sprintf("Translate(%v, %v) = %v", c.va, c.access, c.want)
}

// faultCase is one access that must fault, and the fault it must raise.
type faultCase struct {
	what   string
	va     vm.VAddr
	access vm.Access
	kind   vm.FaultKind
	code   vm.ErrorCode
	level  int
}

func (c faultCase) String() string {
	return fmt.Sprintf("%s: Translate(%v, %v) faults %v, code %v, level %d", c.what, c.va, c.access, c.kind, c.code, c.level)
}

// wantFault checks that err is a *vm.Fault for va and a with the given
// kind, code and level, and classified by the matching sentinel.
func wantFault(call string, err error, va vm.VAddr, a vm.Access, kind vm.FaultKind, code vm.ErrorCode, level int) {
	var f *vm.Fault
	gomega.Expect(errors.As(err, &f)).To(gomega.BeTrue(),
		"%s returned error %v, want a *vm.Fault (%v)", call, err, kind)
	want := vm.Fault{Addr: va, Access: a, Kind: kind, Code: code, Level: level}
	gomega.Expect(*f).To(gomega.Equal(want), "%s returned fault %+v, want %+v", call, *f, want)
}

func describeTranslation(build Factory) {
	var r *rig
	ginkgo.BeforeEach(func() {
		r = newRig(build, vm.X86_64, rigOptions{})
		mapProcess(r.pt)
	})
	page := func(pfn vm.PFN, off uint64) vm.PAddr { return vm.PAddr(uint64(pfn)<<12 + off) }
	ginkgo.DescribeTable("translates mapped addresses (x86-64, 4-level)", ginkgo.Label("rule:05.translate", "rule:05.permission"),
		func(c translateCase) {
			got, err := r.mmu.Translate(c.va, c.access)
			gomega.Expect(err).NotTo(gomega.HaveOccurred(), "Translate(%v, %v)", c.va, c.access)
			gomega.Expect(got).To(gomega.Equal(c.want), "Translate(%v, %v) = %v, want %v", c.va, c.access, got, c.want)
			got, err = r.mmu.Translate(c.va, c.access) // again, now from the TLB
			gomega.Expect(err).NotTo(gomega.HaveOccurred(), "second Translate(%v, %v)", c.va, c.access)
			gomega.Expect(got).To(gomega.Equal(c.want), "second Translate(%v, %v) (a TLB hit) = %v, want %v", c.va, c.access, got, c.want)
		},
		func(c translateCase) string { return c.String() },
		ginkgo.Entry(nil, points(1), translateCase{codeVA + 0x123, vm.UserRead, page(codePFN, 0x123)}),
		ginkgo.Entry(nil, points(1), translateCase{codeVA, vm.UserExec, page(codePFN, 0)}),
		ginkgo.Entry(nil, points(1), translateCase{dataVA + 0xfff, vm.UserWrite, page(dataPFN, 0xfff)}),
		ginkgo.Entry(nil, points(1), translateCase{roVA + 8, vm.UserRead, page(roPFN, 8)}),
		ginkgo.Entry(nil, points(1), translateCase{roVA + 8, vm.SupervisorRead, page(roPFN, 8)}),
		ginkgo.Entry(nil, points(1), translateCase{stackVA + 0xff8, vm.UserWrite, page(stackPFN, 0xff8)}),
		ginkgo.Entry(nil, points(1), translateCase{kernVA + 0x10, vm.SupervisorWrite, page(kernPFN, 0x10)}),
		ginkgo.Entry(nil, points(1), translateCase{kcodeVA + 0x40, vm.SupervisorExec, page(kcodePFN, 0x40)}),
		ginkgo.Entry(nil, points(1), translateCase{hugeVA, vm.UserRead, page(hugePFN, 0)}),
		ginkgo.Entry(nil, points(2), translateCase{hugeVA + 0x12345, vm.UserWrite, page(hugePFN, 0x12345)}),
		ginkgo.Entry(nil, points(2), translateCase{hugeVA + 0x1fffff, vm.UserRead, page(hugePFN, 0x1fffff)}),
	)

	ginkgo.It("translates on the 32-bit x86 (10/10/12) and textbook (4/4/6) geometries", rules(2, "translate"), func() {
		for _, c := range []struct {
			g   vm.Geometry
			m   vm.Mapping
			va  vm.VAddr
			pa  vm.PAddr
			err string
		}{
			{g: vm.X86_32, m: vm.Mapping{VA: 0x08048000, PFN: 0x300, Size: vm.Size4K, Perm: vm.PermRX | vm.PermUser}, va: 0x08048abc, pa: 0x300abc},
			{g: vm.Textbook, m: vm.Mapping{VA: 0x3c40, PFN: 0x80, Size: 64, Perm: vm.PermRW | vm.PermUser}, va: 0x3c65, pa: 0x80<<6 + 0x25},
		} {
			rr := newRig(build, c.g, rigOptions{})
			mapPage(rr.pt, c.m)
			got, err := rr.mmu.Translate(c.va, vm.UserRead)
			gomega.Expect(err).NotTo(gomega.HaveOccurred(), "%v: Translate(%v, user read) after Map(%v)", c.g, c.va, c.m)
			gomega.Expect(got).To(gomega.Equal(c.pa), "%v: Translate(%v, user read) after Map(%v) = %v, want %v", c.g, c.va, c.m, got, c.pa)
		}
	})
}

func describeFaults(build Factory) {
	var r *rig
	ginkgo.BeforeEach(func() {
		r = newRig(build, vm.X86_64, rigOptions{})
		mapProcess(r.pt)
	})
	P, W, U, I := vm.ErrCodeP, vm.ErrCodeW, vm.ErrCodeU, vm.ErrCodeI
	ginkgo.DescribeTable("faults with the x86 error code (x86-64)", ginkgo.Label("rule:05.fault-fields", "rule:05.error-code", "rule:05.fault-level", "rule:05.fault-clean"),
		func(c faultCase) {
			_, err := r.mmu.Translate(c.va, c.access)
			wantFault(fmt.Sprintf("Translate(%v, %v)", c.va, c.access), err, c.va, c.access, c.kind, c.code, c.level)
			_, cached := r.tlb.Peek(0, c.va)
			gomega.Expect(cached).To(gomega.BeFalse(), "after the faulting Translate(%v, %v) the TLB holds an entry for it; a fault must cache nothing", c.va, c.access)
		},
		func(c faultCase) string { return c.String() },
		ginkgo.Entry(nil, rules(2, "permission"), faultCase{"user read of a kernel page", kernVA, vm.UserRead, vm.FaultProtection, P | U, 1}),
		ginkgo.Entry(nil, rules(2, "permission"), faultCase{"user write to a kernel page", kernVA + 8, vm.UserWrite, vm.FaultProtection, P | W | U, 1}),
		ginkgo.Entry(nil, rules(2, "permission"), faultCase{"user write to a read-only page", roVA + 4, vm.UserWrite, vm.FaultProtection, P | W | U, 1}),
		ginkgo.Entry(nil, rules(2, "permission"), faultCase{"kernel write to a read-only page (CR0.WP)", roVA, vm.SupervisorWrite, vm.FaultProtection, P | W, 1}),
		ginkgo.Entry(nil, rules(2, "permission"), faultCase{"user write to user code", codeVA, vm.UserWrite, vm.FaultProtection, P | W | U, 1}),
		ginkgo.Entry(nil, rules(2, "permission"), faultCase{"user fetch from a no-execute page", dataVA + 0x10, vm.UserExec, vm.FaultProtection, P | U | I, 1}),
		ginkgo.Entry(nil, rules(2, "permission"), faultCase{"kernel fetch from no-execute kernel data", kernVA, vm.SupervisorExec, vm.FaultProtection, P | I, 1}),
		ginkgo.Entry(nil, rules(2, "permission"), faultCase{"user fetch from kernel code", kcodeVA, vm.UserExec, vm.FaultProtection, P | U | I, 1}),
		ginkgo.Entry(nil, points(2), faultCase{"user write to a 2M page's neighbour", hugeVA + 0x200000, vm.UserWrite, vm.FaultNotPresent, W | U, 2}),
		ginkgo.Entry(nil, points(2), faultCase{"user write to a not-present page", holeVA, vm.UserWrite, vm.FaultNotPresent, W | U, 1}),
		ginkgo.Entry(nil, points(2), faultCase{"user read of a not-present page", holeVA + 0x80, vm.UserRead, vm.FaultNotPresent, U, 1}),
		ginkgo.Entry(nil, points(2), faultCase{"kernel read, page directory entry not present", 0x800000, vm.SupervisorRead, vm.FaultNotPresent, 0, 2}),
		ginkgo.Entry(nil, points(2), faultCase{"user fetch, PDPT entry not present", 0x1000000000, vm.UserExec, vm.FaultNotPresent, U | I, 3}),
		ginkgo.Entry(nil, points(2), faultCase{"user read, PML4 entry not present", 0x700000000000, vm.UserRead, vm.FaultNotPresent, U, 4}),
		ginkgo.Entry(nil, rules(2, "non-canonical"), faultCase{"non-canonical (just above the lower half)", 0x0000800000000000, vm.UserRead, vm.FaultNonCanonical, 0, 0}),
		ginkgo.Entry(nil, rules(2, "non-canonical"), faultCase{"non-canonical (just below the upper half)", 0xffff7fffffffffff, vm.SupervisorWrite, vm.FaultNonCanonical, 0, 0}),
	)

	ginkgo.It("raises a reserved-bit fault (P|RSVD) at the level of the bad entry", rules(2, "reserved-bit", "error-code"), func() {
		w := leaf(r.pt, codeVA)
		root := w.Reads[0] // the PML4 entry: PS is reserved there
		gomega.Expect(r.mem.WriteUint64(root, uint64(w.Entries[0]|vm.PTEHuge))).To(gomega.Succeed())
		_, err := r.mmu.Translate(codeVA, vm.UserRead)
		wantFault(fmt.Sprintf("Translate(%v, user read) with PS set in the PML4 entry", codeVA), err, codeVA, vm.UserRead,
			vm.FaultReservedBit, vm.ErrCodeP|vm.ErrCodeRSVD|vm.ErrCodeU, 4)
		gomega.Expect(errors.Is(err, vm.ErrReservedBit)).To(gomega.BeTrue(), "errors.Is(%v, vm.ErrReservedBit)", err)
	})

	ginkgo.It("raises no I bit where there is no NX (x86-32's 4-byte entries)", rules(1, "error-code"), func() {
		rr := newRig(build, vm.X86_32, rigOptions{})
		_, err := rr.mmu.Translate(0x08048000, vm.UserExec)
		wantFault("x86-32: Translate(0x8048000, user execute) on an empty table", err, 0x08048000, vm.UserExec,
			vm.FaultNotPresent, vm.ErrCodeU, 2)
	})

	ginkgo.It("classifies faults for errors.Is and sets no A or D bit", rules(1, "fault-fields", "fault-clean"), func() {
		_, err := r.mmu.Translate(roVA, vm.UserWrite)
		gomega.Expect(errors.Is(err, vm.ErrProtection)).To(gomega.BeTrue(), "errors.Is(Translate(%v, user write), vm.ErrProtection): err = %v", roVA, err)
		_, err = r.mmu.Translate(holeVA, vm.UserRead)
		gomega.Expect(errors.Is(err, vm.ErrNotPresent)).To(gomega.BeTrue(), "errors.Is(Translate(%v, user read), vm.ErrNotPresent): err = %v", holeVA, err)
		w := leaf(r.pt, roVA)
		for i := range w.Steps {
			gomega.Expect(w.Entries[i].Has(vm.PTEAccessed)).To(gomega.BeFalse(),
				"after the faulting Translate(%v, user write), %v: an entry has A set; a fault sets no bit", roVA, w)
		}
		gomega.Expect(w.Leaf().Has(vm.PTEDirty)).To(gomega.BeFalse(), "after the faulting Translate(%v, user write), the leaf has D set: %v", roVA, w)
	})
}

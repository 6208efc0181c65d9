package mmuspec

import (
	"errors"
	"fmt"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/gomega"

	"github.com/vmkata/vmkata/vm"
)

// mustTranslate translates and fails the spec on an error.
func mustTranslate(m vm.MMU, va vm.VAddr, a vm.Access) vm.PAddr {
	pa, err := m.Translate(va, a)
	gomega.Expect(err).NotTo(gomega.HaveOccurred(), "Translate(%v, %v)", va, a)
	return pa
}

func describeAccessedDirty(build Factory) {
	var r *rig
	ginkgo.BeforeEach(func() {
		r = newRig(build, vm.X86_64, rigOptions{})
		mapProcess(r.pt)
	})

	ginkgo.It("sets A on every entry of the walk on a read, and not D", rules(2, "accessed", "dirty"), func() {
		mustTranslate(r.mmu, dataVA+8, vm.UserRead)
		w := leaf(r.pt, dataVA)
		for i := range w.Steps {
			gomega.Expect(w.Entries[i].Has(vm.PTEAccessed)).To(gomega.BeTrue(),
				"after Translate(%v, user read), entry %d of the walk has no A bit: %v", dataVA+8, i, w)
		}
		gomega.Expect(w.Leaf().Has(vm.PTEDirty)).To(gomega.BeFalse(),
			"after Translate(%v, user read), the leaf has D set; only a write sets D: %v", dataVA+8, w)
		mustTranslate(r.mmu, codeVA, vm.UserExec)
		gomega.Expect(leaf(r.pt, codeVA).Leaf().Has(vm.PTEDirty)).To(gomega.BeFalse(),
			"after Translate(%v, user execute), the leaf has D set; only a write sets D", codeVA)
	})

	ginkgo.It("sets A and D on a write, also on a 2M page", rules(2, "accessed", "dirty"), func() {
		for _, va := range []vm.VAddr{dataVA + 16, hugeVA + 0x3000} {
			mustTranslate(r.mmu, va, vm.UserWrite)
			w := leaf(r.pt, va)
			gomega.Expect(w.Leaf().Has(vm.PTEAccessed|vm.PTEDirty)).To(gomega.BeTrue(),
				"after Translate(%v, user write), the leaf lacks A or D: %v", va, w)
		}
	})

	ginkgo.It("caches the leaf's D bit: a read of a dirty page caches a dirty entry", rules(1, "tlb-fill"), func() {
		mustTranslate(r.mmu, dataVA, vm.UserWrite)
		r.tlb.FlushAll()
		mustTranslate(r.mmu, dataVA, vm.UserRead)
		e, ok := r.tlb.Peek(0, dataVA)
		gomega.Expect(ok).To(gomega.BeTrue(), "after Translate(%v, user read) the TLB holds no entry for it", dataVA)
		gomega.Expect(e.Dirty).To(gomega.BeTrue(), "the TLB entry cached by a read of a page whose D is set is %v, want Dirty", e)
	})
}

func describeTLBUse(build Factory) {
	var r *rig
	ginkgo.BeforeEach(func() {
		r = newRig(build, vm.X86_64, rigOptions{})
		mapProcess(r.pt)
	})

	ginkgo.It("caches a walked translation and does not walk on a hit", rules(2, "tlb-fill", "tlb-hit"), func() {
		pa := mustTranslate(r.mmu, codeVA+4, vm.UserRead)
		e, ok := r.tlb.Peek(0, codeVA)
		want := vm.TLBEntry{ASID: 0, VA: codeVA, Size: vm.Size4K, PFN: codePFN, Perm: vm.PermRX | vm.PermUser}
		gomega.Expect(ok).To(gomega.BeTrue(), "after Translate(%v, user read) the TLB holds no entry for it", codeVA+4)
		gomega.Expect(e).To(gomega.Equal(want), "after Translate(%v, user read) the TLB holds %v, want %v", codeVA+4, e, want)
		before := r.mmu.Stats()
		gomega.Expect(before.Walks).To(gomega.Equal(uint64(1)), "Stats().Walks after one miss: %v", before)
		gomega.Expect(mustTranslate(r.mmu, codeVA+8, vm.UserExec)).To(gomega.Equal(pa+4), "Translate(%v, user execute)", codeVA+8)
		after := r.mmu.Stats()
		gomega.Expect(after.Walks).To(gomega.Equal(before.Walks), "a TLB hit walked the table: Stats() went from %v to %v", before, after)
		gomega.Expect(after.TLBHits).To(gomega.Equal(before.TLBHits+1), "a TLB hit was not counted: Stats() went from %v to %v", before, after)
	})

	ginkgo.It("caches a 2M page as one entry and a global page as global", rules(2, "tlb-fill"), func() {
		mustTranslate(r.mmu, hugeVA+0x1234, vm.UserRead)
		mustTranslate(r.mmu, kernVA, vm.SupervisorRead)
		walks := r.mmu.Stats().Walks
		mustTranslate(r.mmu, hugeVA+0x1ff000, vm.UserRead)
		gomega.Expect(r.mmu.Stats().Walks).To(gomega.Equal(walks), "Translate(%v) after Translate(%v) in the same 2M page walked again", hugeVA+0x1ff000, hugeVA+0x1234)
		e, _ := r.tlb.Peek(0, hugeVA)
		gomega.Expect(e.Size).To(gomega.Equal(vm.Size2M), "TLB entry for the 2M page: %v", e)
		g, _ := r.tlb.Peek(0, kernVA)
		gomega.Expect(g.Global).To(gomega.BeTrue(), "TLB entry for a page mapped Global: %v, want Global", g)
	})

	ginkgo.It("sets D when writing through a clean cached entry, and re-caches it dirty", rules(2, "clean-write"), func() {
		mustTranslate(r.mmu, dataVA, vm.UserRead)
		if e, ok := r.tlb.Peek(0, dataVA); !ok || e.Dirty {
			ginkgo.Fail("after Translate(" + dataVA.String() + ", user read) the TLB should hold a clean entry, holds " + e.String())
		}
		before := r.mmu.Stats()
		mustTranslate(r.mmu, dataVA+1, vm.UserWrite)
		after := r.mmu.Stats()
		gomega.Expect(leaf(r.pt, dataVA).Leaf().Has(vm.PTEDirty)).To(gomega.BeTrue(),
			"Translate(%v, user write) through a clean TLB entry left D clear in the page table", dataVA+1)
		gomega.Expect(after.Walks).To(gomega.Equal(before.Walks+1), "a write through a clean entry must walk once to set D: Stats() went from %v to %v", before, after)
		e, ok := r.tlb.Peek(0, dataVA)
		gomega.Expect(ok && e.Dirty).To(gomega.BeTrue(), "after the write the TLB holds %v (found %v), want a dirty entry", e, ok)
		mustTranslate(r.mmu, dataVA+2, vm.UserWrite)
		gomega.Expect(r.mmu.Stats().Walks).To(gomega.Equal(after.Walks), "a write through a dirty entry walked the table")
	})

	ginkgo.It("checks permissions on a TLB hit with the entry's permissions", rules(2, "tlb-hit", "fault-clean"), func() {
		for _, c := range []struct {
			warm vm.Access // the access that caches the entry
			va   vm.VAddr
			a    vm.Access
			code vm.ErrorCode
		}{
			{vm.UserRead, roVA, vm.UserWrite, vm.ErrCodeP | vm.ErrCodeW | vm.ErrCodeU},
			{vm.SupervisorRead, kernVA, vm.UserRead, vm.ErrCodeP | vm.ErrCodeU},
			{vm.UserRead, dataVA, vm.UserExec, vm.ErrCodeP | vm.ErrCodeU | vm.ErrCodeI},
		} {
			mustTranslate(r.mmu, c.va, c.warm)
			_, err := r.mmu.Translate(c.va, c.a)
			call := fmt.Sprintf("Translate(%v, %v) after Translate(%v, %v) cached the page", c.va, c.a, c.va, c.warm)
			var f *vm.Fault
			gomega.Expect(errors.As(err, &f)).To(gomega.BeTrue(), "%s returned %v, want a protection fault", call, err)
			gomega.Expect(f.Kind).To(gomega.Equal(vm.FaultProtection), "%s: fault %v", call, f)
			gomega.Expect(f.Code).To(gomega.Equal(c.code), "%s: fault %v, code %v, want %v", call, f, f.Code, c.code)
			gomega.Expect(f.Level).To(gomega.BeElementOf(0, 1), "%s: fault %v, level %d, want 0 (found in the TLB) or 1 (found by a walk)", call, f, f.Level)
		}
	})
}

func describeContextSwitch(build Factory) {
	var (
		r        *rig
		pt2      vm.PageTable
		pfnA     = vm.PFN(0x110) // process A's page at dataVA
		pfnB     = vm.PFN(0x120) // process B's page at dataVA
		pageOf   = func(pfn vm.PFN) vm.PAddr { return vm.PAddr(uint64(pfn) << 12) }
		kernel   = vm.Mapping{VA: kernVA, PFN: kernPFN, Size: vm.Size4K, Perm: vm.PermRW, Global: true}
		userPage = func(pfn vm.PFN) vm.Mapping {
			return vm.Mapping{VA: dataVA, PFN: pfn, Size: vm.Size4K, Perm: vm.PermRW | vm.PermUser}
		}
	)
	ginkgo.BeforeEach(func() {
		r = newRig(build, vm.X86_64, rigOptions{})
		mapPage(r.pt, userPage(pfnA))
		mapPage(r.pt, kernel)
		b := r.newTable()
		mapPage(b, userPage(pfnB))
		mapPage(b, kernel)
		pt2 = b
	})

	ginkgo.It("flushes non-global entries on LoadCR3 without PCIDs, keeping the global kernel entries", rules(3, "cr3-no-pcid"), func() {
		gomega.Expect(mustTranslate(r.mmu, dataVA, vm.UserRead)).To(gomega.Equal(pageOf(pfnA)), "process A: Translate(%v)", dataVA)
		mustTranslate(r.mmu, kernVA, vm.SupervisorRead)
		r.mmu.LoadCR3(pt2, 7, false) // the PCID is ignored while PCIDs are off
		_, userCached := r.tlb.Peek(0, dataVA)
		gomega.Expect(userCached).To(gomega.BeFalse(), "after LoadCR3 without PCIDs the TLB still holds process A's entry for %v", dataVA)
		_, kernelCached := r.tlb.Peek(0, kernVA)
		gomega.Expect(kernelCached).To(gomega.BeTrue(), "after LoadCR3 without PCIDs the global kernel entry for %v is gone", kernVA)
		walks := r.mmu.Stats().Walks
		mustTranslate(r.mmu, kernVA, vm.SupervisorRead)
		gomega.Expect(r.mmu.Stats().Walks).To(gomega.Equal(walks), "the kernel page walked again after a context switch; its global entry should hit")
		gomega.Expect(mustTranslate(r.mmu, dataVA, vm.UserRead)).To(gomega.Equal(pageOf(pfnB)),
			"process B after LoadCR3: Translate(%v) must reach B's frame, not A's", dataVA)
		_, tagged0 := r.tlb.Peek(0, dataVA)
		gomega.Expect(tagged0).To(gomega.BeTrue(), "with PCIDs off, LoadCR3(B, 7, false) then Translate(%v): the TLB entry must be tagged ASID 0, the PCID is ignored", dataVA)
	})

	ginkgo.It("keeps tagged entries across LoadCR3 with PCIDs and the no-flush bit, isolated by PCID", rules(3, "cr3-pcid"), func() {
		r.mmu.SetPCID(true)
		r.mmu.LoadCR3(r.pt, 1, false)
		gomega.Expect(mustTranslate(r.mmu, dataVA, vm.UserRead)).To(gomega.Equal(pageOf(pfnA)), "PCID 1: Translate(%v)", dataVA)
		r.mmu.LoadCR3(pt2, 2, true)
		gomega.Expect(mustTranslate(r.mmu, dataVA, vm.UserRead)).To(gomega.Equal(pageOf(pfnB)),
			"PCID 2 after LoadCR3(B, 2, noFlush): Translate(%v) must reach B's frame, not PCID 1's cached A", dataVA)
		_, kept := r.tlb.Peek(1, dataVA)
		gomega.Expect(kept).To(gomega.BeTrue(), "after switching to PCID 2 with noFlush, PCID 1's entry for %v is gone", dataVA)
		walks := r.mmu.Stats().Walks
		r.mmu.LoadCR3(r.pt, 1, true)
		gomega.Expect(mustTranslate(r.mmu, dataVA, vm.UserRead)).To(gomega.Equal(pageOf(pfnA)), "back to PCID 1: Translate(%v)", dataVA)
		gomega.Expect(r.mmu.Stats().Walks).To(gomega.Equal(walks), "back to PCID 1 with noFlush, Translate(%v) walked; its entry should have survived", dataVA)
		r.mmu.LoadCR3(r.pt, 1, false)
		_, kept = r.tlb.Peek(1, dataVA)
		gomega.Expect(kept).To(gomega.BeFalse(), "LoadCR3(A, 1, noFlush=false) kept PCID 1's entry for %v; without noFlush the PCID's entries are flushed", dataVA)
		_, other := r.tlb.Peek(2, dataVA)
		gomega.Expect(other).To(gomega.BeTrue(), "LoadCR3(A, 1, noFlush=false) flushed PCID 2's entry too; only PCID 1's go")
	})

	ginkgo.It("flushes the whole TLB, global entries included, when PCIDs are turned off", rules(1, "set-pcid"), func() {
		r.mmu.SetPCID(true)
		r.mmu.LoadCR3(r.pt, 3, false)
		mustTranslate(r.mmu, kernVA, vm.SupervisorRead)
		mustTranslate(r.mmu, dataVA, vm.UserRead)
		r.mmu.SetPCID(false)
		gomega.Expect(r.tlb.Len()).To(gomega.Equal(0), "after SetPCID(false) the TLB holds %d entries, want 0", r.tlb.Len())
	})
}

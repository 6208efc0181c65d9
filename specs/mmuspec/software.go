package mmuspec

import (
	"errors"
	"fmt"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/gomega"

	"github.com/vmkata/vmkata/vm"
)

// refillCall is one call of the software TLB-miss handler.
type refillCall struct {
	ASID   vm.ASID
	VA     vm.VAddr
	Access vm.Access
}

func (c refillCall) String() string { return fmt.Sprintf("Refill(%v, %v, %v)", c.ASID, c.VA, c.Access) }

// osRefill is the operating system's side of a MIPS-like software-managed
// TLB: it records each call, walks the rig's table itself, sets A (and D
// for an allowed write) and writes the TLB entry, or returns a
// not-present fault. The other fields make it misbehave or refuse: skip
// returns nil without inserting, clean inserts clean entries for writes,
// fail is returned as it is, and denyWrites answers every write with a
// protection fault.
type osRefill struct {
	r          *rig
	calls      []refillCall
	skip       bool
	clean      bool
	fail       error
	denyWrites bool
}

func (o *osRefill) handle(asid vm.ASID, va vm.VAddr, a vm.Access) error {
	o.calls = append(o.calls, refillCall{asid, va, a})
	switch {
	case o.skip:
		return nil
	case o.fail != nil:
		return o.fail
	case o.denyWrites && a.Kind == vm.Write:
		return &vm.Fault{Addr: va, Access: a, Kind: vm.FaultProtection, Code: vm.ErrCodeP | vm.ErrCodeW | vm.ErrCodeU, Level: 1}
	}
	w, err := o.r.pt.Walk(va)
	if err != nil {
		return err
	}
	if !w.Present() {
		code := vm.ErrorCode(0)
		if a.Kind == vm.Write {
			code |= vm.ErrCodeW
		}
		if a.User {
			code |= vm.ErrCodeU
		}
		return &vm.Fault{Addr: va, Access: a, Kind: vm.FaultNotPresent, Code: code, Level: int(o.r.g.Levels) - w.Steps + 1}
	}
	allowed := w.Perm.Has(a.Needs())
	write := allowed && a.Kind == vm.Write && !o.clean
	if allowed {
		if err := o.r.pt.MarkAccessed(va, write); err != nil {
			return err
		}
	}
	l := w.Leaf()
	return o.r.tlb.Insert(vm.TLBEntry{ASID: asid, VA: va &^ vm.VAddr(w.Size-1), Size: w.Size, PFN: l.PFN(),
		Perm: w.Perm, Global: l.Has(vm.PTEGlobal), Dirty: write || l.Has(vm.PTEDirty)})
}

func describeSoftwareTLB(build Factory) {
	var (
		r       *rig
		handler *osRefill
	)
	ginkgo.BeforeEach(func() {
		handler = &osRefill{}
		r = newRig(build, vm.X86_64, rigOptions{software: true, refill: func(rr *rig) func(vm.ASID, vm.VAddr, vm.Access) error {
			handler.r = rr
			return handler.handle
		}})
		mapProcess(r.pt)
	})

	ginkgo.It("calls Refill on a miss instead of walking, and not on a hit (software-managed TLB)", rules(3, "soft-miss"), func() {
		pa := mustTranslate(r.mmu, codeVA+0x10, vm.UserRead)
		gomega.Expect(pa).To(gomega.Equal(vm.PAddr(uint64(codePFN)<<12+0x10)), "Translate(%v, user read) with a software-managed TLB", codeVA+0x10)
		want := []refillCall{{0, codeVA + 0x10, vm.UserRead}}
		gomega.Expect(handler.calls).To(gomega.Equal(want), "Refill calls after one miss: %v, want %v", handler.calls, want)
		mustTranslate(r.mmu, codeVA+0x20, vm.UserExec)
		gomega.Expect(handler.calls).To(gomega.HaveLen(1), "Refill calls after a hit: %v; a hit must not call Refill", handler.calls)
		s := r.mmu.Stats()
		gomega.Expect([]uint64{s.Walks, s.WalkReads, s.Refills, s.TLBHits, s.TLBMisses}).To(gomega.Equal([]uint64{0, 0, 1, 1, 1}),
			"Stats() after a miss and a hit with a software-managed TLB: %v; want no walk, 1 refill, 1 hit, 1 miss", s)
	})

	ginkgo.It("returns the fault the Refill handler raises", rules(2, "soft-fault"), func() {
		_, err := r.mmu.Translate(holeVA, vm.UserWrite)
		var f *vm.Fault
		gomega.Expect(errors.As(err, &f)).To(gomega.BeTrue(), "Translate(%v, user write) of an unmapped page returned %v, want the handler's fault", holeVA, err)
		gomega.Expect(f.Kind).To(gomega.Equal(vm.FaultNotPresent), "Translate(%v, user write): fault %v", holeVA, f)
		gomega.Expect(r.mmu.Stats().Faults).To(gomega.Equal(uint64(1)), "Stats().Faults after the handler raised a fault: %v", r.mmu.Stats())
	})

	ginkgo.It("raises the protection fault itself when the refilled entry does not allow the access", rules(2, "soft-protection"), func() {
		_, err := r.mmu.Translate(roVA, vm.UserWrite)
		var f *vm.Fault
		gomega.Expect(errors.As(err, &f)).To(gomega.BeTrue(), "Translate(%v, user write) of a read-only page returned %v, want a protection fault", roVA, err)
		wantCode := vm.ErrCodeP | vm.ErrCodeW | vm.ErrCodeU
		gomega.Expect([]any{f.Kind, f.Code, f.Level}).To(gomega.Equal([]any{vm.FaultProtection, wantCode, 0}),
			"Translate(%v, user write): fault %v, want %v with code %v at level 0 (raised from the TLB entry)", roVA, f, vm.FaultProtection, wantCode)
		_, cached := r.tlb.Peek(0, roVA)
		gomega.Expect(cached).To(gomega.BeFalse(), "after the protection fault the TLB still holds an entry for %v", roVA)
	})

	ginkgo.It("calls Refill for a write through a clean entry (MIPS's TLB-modified exception)", rules(2, "clean-write", "soft-miss"), func() {
		mustTranslate(r.mmu, dataVA, vm.UserRead)
		mustTranslate(r.mmu, dataVA+8, vm.UserWrite)
		want := []refillCall{{0, dataVA, vm.UserRead}, {0, dataVA + 8, vm.UserWrite}}
		gomega.Expect(handler.calls).To(gomega.Equal(want), "Refill calls after a read and a write of the same page: %v, want %v", handler.calls, want)
		mustTranslate(r.mmu, dataVA+16, vm.UserWrite)
		gomega.Expect(handler.calls).To(gomega.HaveLen(2), "a write through a dirty entry called Refill: %v", handler.calls)
	})

	ginkgo.It("reports a Refill handler that inserts nothing, with vm.ErrRefill", rules(1, "soft-refill-error"), func() {
		handler.skip = true
		_, err := r.mmu.Translate(codeVA, vm.UserRead)
		gomega.Expect(errors.Is(err, vm.ErrRefill)).To(gomega.BeTrue(), "Translate(%v) with a handler that inserts nothing returned %v, want an error wrapping %q", codeVA, err, vm.ErrRefill)
		gomega.Expect(handler.calls).To(gomega.HaveLen(1), "Refill calls: %v; the MMU retries the lookup once, it does not call the handler again", handler.calls)
	})

	ginkgo.It("reports a Refill handler that leaves a written page clean, with vm.ErrRefill", rules(1, "soft-refill-error"), func() {
		handler.clean = true
		_, err := r.mmu.Translate(dataVA, vm.UserWrite)
		gomega.Expect(errors.Is(err, vm.ErrRefill)).To(gomega.BeTrue(), "Translate(%v, user write) with a handler that inserts a clean entry returned %v, want an error wrapping %q", dataVA, err, vm.ErrRefill)
	})

	ginkgo.It("returns another Refill error wrapped, not as a fault", rules(1, "soft-refill-error"), func() {
		handler.fail = errRefused
		_, err := r.mmu.Translate(codeVA, vm.UserRead)
		wantPartError(fmt.Sprintf("Translate(%v, user read)", codeVA), err)
	})

	ginkgo.It("drops the clean entry when Refill answers a write through it with a fault", rules(1, "soft-fault", "fault-clean"), func() {
		handler.denyWrites = true
		mustTranslate(r.mmu, dataVA, vm.UserRead)
		_, err := r.mmu.Translate(dataVA, vm.UserWrite)
		gomega.Expect(errors.Is(err, vm.ErrProtection)).To(gomega.BeTrue(), "Translate(%v, user write) with a handler that denies writes returned %v, want its protection fault", dataVA, err)
		_, cached := r.tlb.Peek(0, dataVA)
		gomega.Expect(cached).To(gomega.BeFalse(), "after Refill faulted the write, the TLB still holds the clean entry for %v", dataVA)
	})
}

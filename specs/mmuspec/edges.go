package mmuspec

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/gomega"

	"github.com/vmkata/vmkata/vm"
)

// The scripted cases below reach the states random sequences rarely do:
// the parts refusing, addresses outside the geometry, a nil table, a cached
// entry that denies an access, PCID switches with global entries, ranges
// that wrap or leave physical memory.

// errRefused is what a refusing part returns.
var errRefused = errors.New("refused by the part")

// refusingTLB is a TLB whose Insert fails.
type refusingTLB struct{ vm.TLB }

func (refusingTLB) Insert(vm.TLBEntry) error { return errRefused }

// refusingTable is a page table whose Walk or MarkAccessed fails.
type refusingTable struct {
	vm.PageTable
	walk, mark bool
}

func (t refusingTable) Walk(va vm.VAddr) (vm.Walk, error) {
	if t.walk {
		return vm.Walk{}, errRefused
	}
	return t.PageTable.Walk(va)
}

func (t refusingTable) MarkAccessed(va vm.VAddr, write bool) error {
	if t.mark {
		return errRefused
	}
	return t.PageTable.MarkAccessed(va, write)
}

// wantPartError checks that err wraps errRefused and is no fault.
func wantPartError(call string, err error) {
	gomega.Expect(errors.Is(err, errRefused)).To(gomega.BeTrue(),
		"%s with a part that refuses returned %v, want an error wrapping the part's error %q", call, err, errRefused)
	var f *vm.Fault
	gomega.Expect(errors.As(err, &f)).To(gomega.BeFalse(), "%s with a part that refuses returned the fault %v; a part's error is not a page fault", call, f)
}

func describeEdges(build Factory) {
	var r *rig
	ginkgo.BeforeEach(func() {
		r = newRig(build, vm.X86_64, rigOptions{})
		mapProcess(r.pt)
	})

	ginkgo.It("looks nothing up for a non-canonical address and changes nothing but the counters", rules(2, "non-canonical", "stats"), func() {
		mustTranslate(r.mmu, codeVA, vm.UserRead)
		before, tlbBefore := r.mmu.Stats(), r.tlb.Stats()
		va := vm.VAddr(0x0000800000000000 + uint64(codeVA))
		_, err := r.mmu.Translate(va, vm.UserRead)
		wantFault(fmt.Sprintf("Translate(%v, user read)", va), err, va, vm.UserRead, vm.FaultNonCanonical, 0, 0)
		after := r.mmu.Stats()
		want := before
		want.Translations++
		want.Faults++
		want.Cycles += specCost.FaultService
		gomega.Expect(after).To(gomega.Equal(want), "Stats() after a non-canonical Translate went from %v to %v, want %v: no TLB lookup, no walk", before, after, want)
		gomega.Expect(r.tlb.Stats()).To(gomega.Equal(tlbBefore), "the TLB was used by a non-canonical Translate")
		_, cached := r.tlb.Peek(0, codeVA)
		gomega.Expect(cached).To(gomega.BeTrue(), "a non-canonical Translate dropped the entry cached for %v", codeVA)
	})

	ginkgo.It("checks canonical addresses on a geometry without sign extension (x86-32: nothing above bit 31)", rules(1, "non-canonical"), func() {
		rr := newRig(build, vm.X86_32, rigOptions{})
		mapPage(rr.pt, vm.Mapping{VA: 0x08048000, PFN: 0x300, Size: vm.Size4K, Perm: vm.PermRX | vm.PermUser})
		va := vm.VAddr(1<<32 + 0x08048000)
		_, err := rr.mmu.Translate(va, vm.UserRead)
		wantFault(fmt.Sprintf("x86-32: Translate(%v, user read)", va), err, va, vm.UserRead, vm.FaultNonCanonical, 0, 0)
	})

	ginkgo.It("unloads the table on LoadCR3(nil) and then translates nothing", rules(1, "no-page-table"), func() {
		mustTranslate(r.mmu, codeVA, vm.UserRead)
		r.mmu.LoadCR3(nil, 0, false)
		walks := r.mmu.Stats().Walks
		_, err := r.mmu.Translate(dataVA, vm.UserRead)
		gomega.Expect(errors.Is(err, vm.ErrNoPageTable)).To(gomega.BeTrue(),
			"Translate(%v) after LoadCR3(nil, 0, false) returned %v, want an error wrapping %q", dataVA, err, vm.ErrNoPageTable)
		gomega.Expect(r.mmu.Stats().Walks).To(gomega.Equal(walks), "Translate after LoadCR3(nil) walked")
	})

	ginkgo.It("translates a 1 GiB page", rules(1, "translate", "tlb-fill"), func() {
		const va, pfn = vm.VAddr(0x80000000), vm.PFN(0x40000) // 1 GiB-aligned
		mapPage(r.pt, vm.Mapping{VA: va, PFN: pfn, Size: vm.Size1G, Perm: vm.PermRW | vm.PermUser})
		got := mustTranslate(r.mmu, va+0x3456789, vm.UserRead)
		want := vm.PAddr(uint64(pfn)<<12 + 0x3456789)
		gomega.Expect(got).To(gomega.Equal(want), "Translate(%v, user read) in a 1 GiB page = %v, want %v", va+0x3456789, got, want)
		e, ok := r.tlb.Peek(0, va)
		gomega.Expect(ok && e.Size == vm.Size1G && e.VA == va).To(gomega.BeTrue(), "the TLB entry for the 1 GiB page is %v (found %v), want one entry for [%v, +1 GiB)", e, ok, va)
	})

	ginkgo.It("faults at level 2 on a 2 MiB leaf", rules(1, "fault-level", "error-code", "permission"), func() {
		_, err := r.mmu.Translate(hugeVA+0x10, vm.UserExec)
		wantFault(fmt.Sprintf("Translate(%v, user execute) of a no-execute 2M page", hugeVA+0x10), err, hugeVA+0x10, vm.UserExec,
			vm.FaultProtection, vm.ErrCodeP|vm.ErrCodeU|vm.ErrCodeI, 2)
	})

	ginkgo.It("drops a cached entry that denied the access", rules(2, "fault-clean", "tlb-hit"), func() {
		for _, c := range []struct {
			va         vm.VAddr
			warm, deny vm.Access
		}{
			{roVA, vm.UserRead, vm.UserWrite},
			{kernVA, vm.SupervisorRead, vm.UserRead},
			{dataVA, vm.UserRead, vm.UserExec},
		} {
			mustTranslate(r.mmu, c.va, c.warm)
			_, err := r.mmu.Translate(c.va, c.deny)
			gomega.Expect(errors.Is(err, vm.ErrProtection)).To(gomega.BeTrue(), "Translate(%v, %v) after Translate(%v, %v) returned %v, want a protection fault", c.va, c.deny, c.va, c.warm, err)
			_, cached := r.tlb.Peek(0, c.va)
			gomega.Expect(cached).To(gomega.BeFalse(), "after the faulting Translate(%v, %v) the TLB still holds the entry that denied it", c.va, c.deny)
		}
	})

	ginkgo.It("returns the TLB's Insert error wrapped, not as a fault", rules(2, "part-error"), func() {
		r.cfg.TLB = refusingTLB{r.tlb}
		m, err := build(r.cfg)
		gomega.Expect(err).NotTo(gomega.HaveOccurred(), "New with a TLB whose Insert fails")
		m.LoadCR3(r.pt, 0, false)
		_, err = m.Translate(codeVA, vm.UserRead)
		wantPartError(fmt.Sprintf("Translate(%v, user read)", codeVA), err)
		gomega.Expect(r.tlb.Len()).To(gomega.Equal(0), "the TLB holds %d entries after its Insert failed", r.tlb.Len())
	})

	ginkgo.It("returns the page table's MarkAccessed and Walk errors wrapped, not as faults", rules(2, "part-error"), func() {
		r.mmu.LoadCR3(refusingTable{PageTable: r.pt, mark: true}, 0, false)
		_, err := r.mmu.Translate(dataVA, vm.UserWrite)
		wantPartError(fmt.Sprintf("Translate(%v, user write) with MarkAccessed failing", dataVA), err)
		_, cached := r.tlb.Peek(0, dataVA)
		gomega.Expect(cached).To(gomega.BeFalse(), "Translate(%v) cached an entry although MarkAccessed failed: its A and D bits were never set", dataVA)

		r.mmu.LoadCR3(refusingTable{PageTable: r.pt, walk: true}, 0, false)
		_, err = r.mmu.Translate(codeVA, vm.UserRead)
		wantPartError(fmt.Sprintf("Translate(%v, user read) with Walk failing", codeVA), err)
	})

	ginkgo.It("keeps global entries when PCIDs are on, and resets the PCID to 0 on SetPCID", rules(2, "cr3-pcid", "set-pcid"), func() {
		r.mmu.SetPCID(true)
		r.mmu.LoadCR3(r.pt, 1, false)
		mustTranslate(r.mmu, kernVA, vm.SupervisorRead)
		mustTranslate(r.mmu, codeVA, vm.UserRead)
		r.mmu.LoadCR3(r.pt, 1, false)
		_, global := r.tlb.Peek(1, kernVA)
		gomega.Expect(global).To(gomega.BeTrue(), "LoadCR3(table, 1, noFlush=false) with PCIDs on dropped the global entry for %v", kernVA)
		_, user := r.tlb.Peek(1, codeVA)
		gomega.Expect(user).To(gomega.BeFalse(), "LoadCR3(table, 1, noFlush=false) with PCIDs on kept PCID 1's entry for %v", codeVA)

		mustTranslate(r.mmu, codeVA, vm.UserRead) // cached for PCID 1
		r.mmu.SetPCID(true)                       // on again: flushes nothing, PCID 0
		gomega.Expect(r.tlb.Len()).To(gomega.Equal(2), "SetPCID(true) while on changed the TLB: %d entries, want 2", r.tlb.Len())
		mustTranslate(r.mmu, codeVA, vm.UserRead)
		_, tagged0 := r.tlb.Peek(0, codeVA)
		gomega.Expect(tagged0).To(gomega.BeTrue(), "after SetPCID(true), Translate(%v) must use PCID 0 and cache an entry tagged 0", codeVA)

		r.mmu.SetPCID(false)
		mustTranslate(r.mmu, codeVA, vm.UserRead)
		r.mmu.SetPCID(false) // already off: flushes nothing
		_, kept := r.tlb.Peek(0, codeVA)
		gomega.Expect(kept).To(gomega.BeTrue(), "SetPCID(false) while PCIDs are off flushed the TLB")
	})

	ginkgo.It("copies a range that ends at the last byte of the address space or of physical memory, and an empty range anywhere", rules(1, "access-range", "load", "store"), func() {
		const top = vm.VAddr(0xffff_ffff_ffff_f000) // the last page, a kernel one
		mapPage(r.pt, vm.Mapping{VA: top, PFN: 0x171, Size: vm.Size4K, Perm: vm.PermRW})
		gomega.Expect(r.mmu.Store(^vm.VAddr(0)-7, []byte("lastbyte"), false)).To(gomega.Succeed(), "Store(%v, 8 bytes) ends at the last byte of the address space: it does not wrap", ^vm.VAddr(0)-7)
		p := make([]byte, 8)
		gomega.Expect(r.mmu.Load(^vm.VAddr(0)-7, p, false)).To(gomega.Succeed(), "Load(%v, 8 bytes) ends at the last byte of the address space: it does not wrap", ^vm.VAddr(0)-7)
		gomega.Expect(string(p)).To(gomega.Equal("lastbyte"), "Load(%v, 8 bytes) after a Store of the same bytes", ^vm.VAddr(0)-7)
		const lastHuge = vm.VAddr(0x8000_0000) // a 2 MiB page on the last 512 frames of memory
		mapPage(r.pt, vm.Mapping{VA: lastHuge, PFN: memFrames - 512, Size: vm.Size2M, Perm: vm.PermRW | vm.PermUser})
		end := lastHuge + vm.VAddr(vm.Size2M) - 8
		gomega.Expect(r.mmu.Store(end, []byte("lastbyte"), true)).To(gomega.Succeed(), "Store(%v, 8 bytes) ends at the last byte of physical memory: it is inside", end)
		gomega.Expect(r.mmu.Load(end, p, true)).To(gomega.Succeed(), "Load(%v, 8 bytes) ends at the last byte of physical memory: it is inside", end)
		gomega.Expect(r.mmu.Load(^vm.VAddr(0), nil, true)).To(gomega.Succeed(), "Load(%v, 0 bytes): an empty range touches no page", ^vm.VAddr(0))
		gomega.Expect(r.mmu.Store(0x1234, nil, true)).To(gomega.Succeed(), "Store(%v, 0 bytes): an empty range touches no page", vm.VAddr(0x1234))
	})

	ginkgo.It("refuses a piece whose page starts inside physical memory and runs past its end, copying nothing", rules(1, "access-range"), func() {
		rr := newRig(build, vm.X86_64, rigOptions{frames: 0x500}) // 5 MiB: a 2 MiB page at 4 MiB runs past the end
		const straddling = vm.VAddr(0x8000_0000)
		mapPage(rr.pt, vm.Mapping{VA: straddling - 0x1000, PFN: 0x170, Size: vm.Size4K, Perm: vm.PermRW | vm.PermUser})
		mapPage(rr.pt, vm.Mapping{VA: straddling, PFN: 0x400, Size: vm.Size2M, Perm: vm.PermRW | vm.PermUser})
		p := bytes.Repeat([]byte{0x5a}, 4+0x10_0000+4) // the last 4 bytes lie past the end of memory
		err := rr.mmu.Store(straddling-4, p, true)
		gomega.Expect(errors.Is(err, vm.ErrOutOfRange)).To(gomega.BeTrue(), "Store(%v, %d bytes) runs past the end of 5 MiB of memory: returned %v, want an error wrapping %q", straddling-4, len(p), err, vm.ErrOutOfRange)
		got := make([]byte, 4)
		gomega.Expect(rr.mem.Read(0x170ffc, got)).To(gomega.Succeed())
		gomega.Expect(got).To(gomega.Equal([]byte{0, 0, 0, 0}), "a Store that failed on its second page wrote its first")
	})

	ginkgo.It("refuses a range that wraps around the address space or leaves physical memory, copying nothing", rules(2, "access-range"), func() {
		p := bytes.Repeat([]byte{0xaa}, 8)
		err := r.mmu.Load(^vm.VAddr(0)-3, p, false)
		gomega.Expect(errors.Is(err, vm.ErrOutOfRange)).To(gomega.BeTrue(), "Load(%v, 8 bytes) wraps around the address space: returned %v, want an error wrapping %q", ^vm.VAddr(0)-3, err, vm.ErrOutOfRange)
		gomega.Expect(p).To(gomega.Equal(bytes.Repeat([]byte{0xaa}, 8)), "a Load that failed changed the buffer")

		const beyond = vm.VAddr(0x603000) // maps a frame past the end of memory
		mapPage(r.pt, vm.Mapping{VA: beyond, PFN: memFrames + 0x10, Size: vm.Size4K, Perm: vm.PermRW | vm.PermUser})
		mapPage(r.pt, vm.Mapping{VA: beyond - 0x1000, PFN: 0x170, Size: vm.Size4K, Perm: vm.PermRW | vm.PermUser})
		err = r.mmu.Store(beyond-4, []byte("xxxxxxxx"), true)
		gomega.Expect(errors.Is(err, vm.ErrOutOfRange)).To(gomega.BeTrue(), "Store(%v, 8 bytes) into a page mapped past physical memory returned %v, want an error wrapping %q", beyond-4, err, vm.ErrOutOfRange)
		got := make([]byte, 4)
		gomega.Expect(r.mem.Read(0x170ffc, got)).To(gomega.Succeed())
		gomega.Expect(got).To(gomega.Equal([]byte{0, 0, 0, 0}), "a Store that failed on its second page wrote its first")
	})
}

package tlb_test

import (
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/vmkata/vmkata/exercises/04-tlb"
	"github.com/vmkata/vmkata/vm"
)

// An instructor's hidden spec for exercise 04: two address spaces' pages
// at one virtual address, competing for the one way of a direct-mapped
// TLB.
var _ = Describe("exercise 04, the instructor's specs", Label("hidden"), func() {
	It("evicts the other ASID's entry of a direct-mapped set, and counts it", Label("points:3"), func() {
		t, err := tlb.New(vm.TLBConfig{Entries: 4, Ways: 1})
		Expect(err).NotTo(HaveOccurred())
		Expect(t.Insert(vm.TLBEntry{ASID: 1, VA: 0x5000, Size: vm.Size4K, PFN: 7, Perm: vm.PermRW})).To(Succeed())
		Expect(t.Insert(vm.TLBEntry{ASID: 2, VA: 0x5000, Size: vm.Size4K, PFN: 9, Perm: vm.PermRead})).To(Succeed())
		_, hit := t.Lookup(1, 0x5123)
		Expect(hit).To(BeFalse(), "ASID 1's entry shared the only way of its set with ASID 2's")
		e, hit := t.Lookup(2, 0x5123)
		Expect(hit).To(BeTrue())
		Expect(e.PFN).To(Equal(vm.PFN(9)))
		Expect(t.Stats().Evictions).To(Equal(uint64(1)))
	})
})

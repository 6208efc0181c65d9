package pagetablespec

import (
	"fmt"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/gomega"

	"github.com/vmkata/vmkata/vm"
)

// slot is the anchor slot of (asid, vpn) in a table of 2^bits slots, as
// exercise 14's contract states it.
func slot(asid vm.ASID, vpn uint64, bits uint) uint64 {
	if bits == 0 {
		return 0
	}
	k := vpn ^ uint64(asid)<<48 ^ uint64(asid)
	return (k * 0x9e37_79b9_7f4a_7c15) >> (64 - bits)
}

// colliding returns n base-page addresses of x86-64 from 0x4000_0000 up
// whose (asid, vpn) fall into the anchor slot s of a table of 2^bits slots.
func colliding(asid vm.ASID, s uint64, bits uint, n int) []vm.VAddr {
	var out []vm.VAddr
	for vpn := uint64(0x4_0000); len(out) < n; vpn++ {
		if slot(asid, vpn, bits) == s {
			out = append(out, vm.VAddr(vpn<<12))
		}
	}
	return out
}

// chainStep is one entry a walk must read: the frame whose entry it is.
type chainStep struct {
	pfn  vm.PFN
	perm vm.Perm
}

// expectChain requires Walk(va) in pt to read exactly the entries of
// steps, in order, in a table of anchors slots, and to end present iff hit.
func expectChain(pt vm.PageTable, va vm.VAddr, anchors uint64, steps []chainStep, hit bool, after string) {
	ginkgo.GinkgoHelper()
	w, err := pt.Walk(va)
	gomega.Expect(err).NotTo(gomega.HaveOccurred(), "Walk(%v) after %s", va, after)
	want := fmt.Sprintf("%d steps:", len(steps))
	got := fmt.Sprintf("%d steps:", w.Steps)
	for i, s := range steps {
		want += fmt.Sprintf(" [%v]=%v", vm.PAddr(anchors*8+uint64(s.pfn)*24), leafFor(vm.X86_64, vm.Mapping{PFN: s.pfn, Size: vm.Size4K, Perm: s.perm}))
		if i < w.Steps && i < vm.MaxLevels {
			got += fmt.Sprintf(" [%v]=%v", w.Reads[i], w.Entries[i])
		}
	}
	for i := len(steps); i < w.Steps && i < vm.MaxLevels; i++ {
		got += fmt.Sprintf(" [%v]=%v", w.Reads[i], w.Entries[i])
	}
	if got != want || w.Present() != hit {
		ginkgo.Fail(fmt.Sprintf("Walk(%v) after %s read\n  %s (present %v)\nwant\n  %s (present %v)\n(each step is [entry address]=entry: anchor slots × 8 + frame × 24)",
			va, after, got, w.Present(), want, hit))
	}
}

// chains declares the specs of the hash chains: which slot a page hashes
// to, where a new entry goes, what a walk reads and what Probes counts.
func chains(newTable func(vm.Geometry, int) Inverted) {
	ginkgo.It("hashes (asid, vpn) to an anchor slot and walks its chain from the newest entry", invRules(4, "hash", "chain-head", "walk-chain", "walk-present", "probes"), func() {
		// 12 frames: 16 anchor slots (bits = 4), entries from 16 × 8 = 0x80.
		const anchors, bits = 16, 4
		t := newTable(vm.X86_64, 12)
		a := t.Space(1)
		s := slot(1, 0x4_0000, bits)
		vas := colliding(1, s, bits, 7)
		rx := vm.PermRX | vm.PermUser
		for i, va := range vas[:6] { // frames 1..6, all on one chain
			mustMap(a, vm.Mapping{VA: va, PFN: vm.PFN(i + 1), Size: vm.Size4K, Perm: rx})
		}
		after := fmt.Sprintf("mapping %v … %v (all in slot %d) to frames 1 … 6", vas[0], vas[5], s)
		expectChain(a, vas[5], anchors, []chainStep{{6, rx}}, true, after)
		expectChain(a, vas[3], anchors, []chainStep{{6, rx}, {5, rx}, {4, rx}}, true, after)
		gomega.Expect(t.Probes(1, vas[3]+0x123)).To(gomega.Equal(3), "Probes(asid 1, %v) after %s", vas[3]+0x123, after)
		// The oldest entry is the sixth probe: the walk keeps the match in its last step.
		expectChain(a, vas[0], anchors, []chainStep{{6, rx}, {5, rx}, {4, rx}, {3, rx}, {1, rx}}, true, after)
		gomega.Expect(t.Probes(1, vas[0])).To(gomega.Equal(6), "Probes(asid 1, %v) after %s", vas[0], after)
		// A page on the same chain that is not mapped: the first five probes, not present.
		expectChain(a, vas[6], anchors, []chainStep{{6, rx}, {5, rx}, {4, rx}, {3, rx}, {2, rx}}, false, after)
		gomega.Expect(t.Probes(1, vas[6])).To(gomega.Equal(6), "Probes(asid 1, %v), a miss, after %s", vas[6], after)
		gomega.Expect(t.Probes(1, vm.VAddr(1)<<47)).To(gomega.BeZero(), "Probes(asid 1, a non-canonical address)")
	})
	ginkgo.It("puts another space's page on the same chain, and Unmap relinks the chain around a removed entry", invRules(3, "hash", "chain-head", "walk-chain", "unmap", "walk-missing"), func() {
		const anchors, bits = 16, 4
		t := newTable(vm.X86_64, 12)
		a, b := t.Space(1), t.Space(2)
		s := slot(1, 0x4_0000, bits)
		vas := colliding(1, s, bits, 3)
		other := colliding(2, s, bits, 1)[0]
		rw := vm.PermRW | vm.PermUser
		for i, va := range vas {
			mustMap(a, vm.Mapping{VA: va, PFN: vm.PFN(i + 1), Size: vm.Size4K, Perm: rw})
		}
		mustMap(b, vm.Mapping{VA: other, PFN: 9, Size: vm.Size4K, Perm: vm.PermRead})
		after := fmt.Sprintf("mapping %v, %v, %v in asid 1 (frames 1, 2, 3) and %v in asid 2 (frame 9), all in slot %d", vas[0], vas[1], vas[2], other, s)
		expectChain(a, vas[2], anchors, []chainStep{{9, vm.PermRead}, {3, rw}}, true, after)
		expectChain(b, other, anchors, []chainStep{{9, vm.PermRead}}, true, after)
		// asid 2 looking up asid 1's address: another tag, so another slot
		// (or, by chance, the same chain without a match).
		var probe []chainStep
		if slot(2, uint64(vas[2])>>12, bits) == s {
			probe = []chainStep{{9, vm.PermRead}, {3, rw}, {2, rw}, {1, rw}}
		}
		expectChain(b, vas[2], anchors, probe, false, after+" (a walk of asid 1's address in asid 2)")
		got, err := a.Unmap(vas[1])
		gomega.Expect(err).NotTo(gomega.HaveOccurred(), "Unmap(%v) in asid 1", vas[1])
		gomega.Expect(got.PFN).To(gomega.Equal(vm.PFN(2)), "Unmap(%v) in asid 1", vas[1])
		after += fmt.Sprintf(", then Unmap(%v)", vas[1])
		expectChain(a, vas[0], anchors, []chainStep{{9, vm.PermRead}, {3, rw}, {1, rw}}, true, after)
		expectChain(a, vas[1], anchors, []chainStep{{9, vm.PermRead}, {3, rw}, {1, rw}}, false, after)
		got, err = b.Unmap(other)
		gomega.Expect(err).NotTo(gomega.HaveOccurred(), "Unmap(%v) in asid 2", other)
		gomega.Expect(got.PFN).To(gomega.Equal(vm.PFN(9)), "Unmap(%v) in asid 2", other)
		after += fmt.Sprintf(", then Unmap(%v) in asid 2", other)
		expectChain(a, vas[0], anchors, []chainStep{{3, rw}, {1, rw}}, true, after)
		mustMap(a, vm.Mapping{VA: vas[1], PFN: 2, Size: vm.Size4K, Perm: rw})
		expectChain(a, vas[0], anchors, []chainStep{{2, rw}, {3, rw}, {1, rw}}, true, after+fmt.Sprintf(", then Map(%v) again", vas[1]))
	})
	ginkgo.It("treats frame 0 as an entry like any other: in the middle of a chain, at its head, and as a mapped page", invRules(2, "walk-chain", "probes", "map-already-mapped", "unmap"), func() {
		// Frame 0 is a real entry, not an "empty" marker: chains pass
		// through it, and the page it holds is mapped.
		const anchors, bits = 16, 4
		t := newTable(vm.X86_64, 12)
		a := t.Space(1)
		vas := colliding(1, slot(1, 0x4_0000, bits), bits, 4)
		rw := vm.PermRW | vm.PermUser
		mustMap(a, vm.Mapping{VA: vas[0], PFN: 3, Size: vm.Size4K, Perm: rw})
		mustMap(a, vm.Mapping{VA: vas[1], PFN: 0, Size: vm.Size4K, Perm: rw})
		mustMap(a, vm.Mapping{VA: vas[2], PFN: 5, Size: vm.Size4K, Perm: rw})
		after := fmt.Sprintf("mapping %v, %v, %v (one chain) to frames 3, 0, 5", vas[0], vas[1], vas[2])
		expectChain(a, vas[0], anchors, []chainStep{{5, rw}, {0, rw}, {3, rw}}, true, after)
		gomega.Expect(t.Probes(1, vas[0])).To(gomega.Equal(3), "Probes(asid 1, %v) after %s", vas[0], after)
		again := vm.Mapping{VA: vas[1], PFN: 7, Size: vm.Size4K, Perm: rw}
		expectErr(a.Map(again), vm.ErrAlreadyMapped, "Map(%v) after %s", again, after)
		got, err := a.Unmap(vas[1])
		gomega.Expect(err).NotTo(gomega.HaveOccurred(), "Unmap(%v) after %s", vas[1], after)
		gomega.Expect(got.PFN).To(gomega.Equal(vm.PFN(0)), "Unmap(%v) after %s", vas[1], after)
		mustMap(a, vm.Mapping{VA: vas[3], PFN: 0, Size: vm.Size4K, Perm: rw})
		after += fmt.Sprintf(", Unmap(%v), then Map(%v) to frame 0", vas[1], vas[3])
		expectChain(a, vas[0], anchors, []chainStep{{0, rw}, {5, rw}, {3, rw}}, true, after)
		gomega.Expect(t.Probes(1, vas[0])).To(gomega.Equal(3), "Probes(asid 1, %v) after %s", vas[0], after)
		got, err = a.Unmap(vas[2]) // the entry after frame 0
		gomega.Expect(err).NotTo(gomega.HaveOccurred(), "Unmap(%v) after %s", vas[2], after)
		gomega.Expect(got.PFN).To(gomega.Equal(vm.PFN(5)), "Unmap(%v) after %s", vas[2], after)
		after += fmt.Sprintf(", then Unmap(%v)", vas[2])
		expectChain(a, vas[0], anchors, []chainStep{{0, rw}, {3, rw}}, true, after)
		got, err = a.Unmap(vas[0])
		gomega.Expect(err).NotTo(gomega.HaveOccurred(), "Unmap(%v) after %s", vas[0], after)
		gomega.Expect(got.PFN).To(gomega.Equal(vm.PFN(3)), "Unmap(%v) after %s", vas[0], after)
	})
	ginkgo.It("hashes a kernel-half address by its low VABits bits, without the sign-extended top", invRules(1, "hash", "walk-chain"), func() {
		// An x86-64 address above the hole repeats bit 47 in bits 48–63;
		// the vpn of the contract drops them. The kernel page chosen here
		// shares the chain of a user page only through that vpn.
		const anchors, bits = 16, 4
		t := newTable(vm.X86_64, 12)
		a := t.Space(1)
		s := slot(1, 0x4_0000, bits)
		user := colliding(1, s, bits, 1)[0]
		var kernel vm.VAddr
		for vpn := uint64(0xf_ffff_0000); kernel == 0; vpn++ {
			va := uint64(0xffff)<<48 | vpn<<12
			if slot(1, vpn, bits) == s && slot(1, va>>12, bits) != s {
				kernel = vm.VAddr(va)
			}
		}
		mustMap(a, vm.Mapping{VA: user, PFN: 1, Size: vm.Size4K, Perm: vm.PermRead})
		mustMap(a, vm.Mapping{VA: kernel, PFN: 2, Size: vm.Size4K, Perm: vm.PermRW})
		after := fmt.Sprintf("mapping %v to frame 1 and %v to frame 2 (low 48 bits in the same slot %d)", user, kernel, s)
		expectChain(a, user, anchors, []chainStep{{2, vm.PermRW}, {1, vm.PermRead}}, true, after)
		expectChain(a, kernel, anchors, []chainStep{{2, vm.PermRW}}, true, after)
	})
	ginkgo.It("with one frame, has one anchor slot: every page hashes to slot 0", invRules(1, "hash", "walk-chain"), func() {
		t := newTable(vm.X86_64, 1)
		a := t.Space(3)
		mustMap(a, vm.Mapping{VA: 0x7fff_0000_0000, PFN: 0, Size: vm.Size4K, Perm: vm.PermRead})
		expectChain(a, 0x1000, 1, []chainStep{{0, vm.PermRead}}, false, "mapping 0x7fff00000000 to frame 0 in a table of one frame")
		expectChain(a, 0x7fff_0000_0fff, 1, []chainStep{{0, vm.PermRead}}, true, "mapping 0x7fff00000000 to frame 0 in a table of one frame")
	})
}

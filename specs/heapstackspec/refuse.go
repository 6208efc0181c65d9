package heapstackspec

import (
	"errors"
	"fmt"
	"slices"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/gomega"

	"github.com/vmkata/vmkata/reference/vma"
	"github.com/vmkata/vmkata/vm"
)

// errRefused is the error a refusingSet returns for the change it refuses.
var errRefused = errors.New("the VMA set refuses the change")

// refusingSet is a VMA set that refuses the n-th change asked of it (Map,
// Unmap, Protect, Grow or Resize, counted from 1) with an error wrapping
// errRefused, and makes every other change on the set it wraps.
type refusingSet struct {
	vm.VMASet
	n       int      // the change to refuse
	changes []string // the changes asked so far
}

func (r *refusingSet) refuse(call string) error {
	r.changes = append(r.changes, call)
	if len(r.changes) == r.n {
		return fmt.Errorf("%s: %w", call, errRefused)
	}
	return nil
}

func (r *refusingSet) Map(v vm.VMA, fixed bool) (vm.AddrRange, error) {
	if err := r.refuse(fmt.Sprintf("Map(%v, fixed %t)", v, fixed)); err != nil {
		return vm.AddrRange{}, err
	}
	return r.VMASet.Map(v, fixed)
}

func (r *refusingSet) Unmap(rg vm.AddrRange) ([]vm.VMA, error) {
	if err := r.refuse(fmt.Sprintf("Unmap(%v)", rg)); err != nil {
		return nil, err
	}
	return r.VMASet.Unmap(rg)
}

func (r *refusingSet) Protect(rg vm.AddrRange, p vm.Perm) ([]vm.VMA, error) {
	if err := r.refuse(fmt.Sprintf("Protect(%v, %v)", rg, p)); err != nil {
		return nil, err
	}
	return r.VMASet.Protect(rg, p)
}

func (r *refusingSet) Grow(va vm.VAddr, maxSize, guardGap uint64) (vm.VMA, error) {
	if err := r.refuse(fmt.Sprintf("Grow(%v, %#x, %#x)", va, maxSize, guardGap)); err != nil {
		return vm.VMA{}, err
	}
	return r.VMASet.Grow(va, maxSize, guardGap)
}

func (r *refusingSet) Resize(start, newEnd vm.VAddr) error {
	if err := r.refuse(fmt.Sprintf("Resize(%v, %v)", start, newEnd)); err != nil {
		return err
	}
	return r.VMASet.Resize(start, newEnd)
}

// describeRefusals declares the specs of a Brk whose set refuses a change:
// each change Brk asks for is refused in turn, and every refusal must come
// back as vm.ErrOutOfMemory wrapping the set's error, with the heap and the
// VMAs as they were.
func describeRefusals(brk BrkFunc) {
	ginkgo.DescribeTable("when the set refuses a change, Brk fails with ErrOutOfMemory wrapping the set's error and changes nothing",
		func(extra []vm.VMA, h vm.Heap, req vm.VAddr) {
			for n := 1; n <= 4; n++ {
				s := newSet(append([]vm.VMA{text, data, bss}, extra...))
				before := slices.Collect(s.All())
				rs := &refusingSet{VMASet: s, n: n}
				got, released, err := brk(rs, ps, h, req)
				call := fmt.Sprintf("Brk(%v, %v) on a set refusing change %d (changes asked: %v)", h, req, n, rs.changes)
				if len(rs.changes) < n {
					gomega.Expect(n).To(gomega.BeNumerically(">", 1), "%s: Brk asked the set for no change at all", call)
					return // every change Brk makes has been refused once
				}
				gomega.Expect(errors.Is(err, vm.ErrOutOfMemory) && errors.Is(err, errRefused)).To(gomega.BeTrue(),
					"%s returned error %v, want one wrapping %q and the set's error %q", call, err, vm.ErrOutOfMemory, errRefused)
				gomega.Expect(got).To(gomega.Equal(h), "%s returned heap %v, want it unchanged", call, got)
				gomega.Expect(released).To(gomega.Equal(vm.AddrRange{}), "%s released %v, want nothing", call, released)
				gomega.Expect(slices.Collect(s.All())).To(gomega.Equal(before), "the VMAs after %s (a failed Brk changes nothing)", call)
			}
		},
		ginkgo.Entry("the first growth", rules(1, "brk-set-refuses", "brk-failure-unchanged"),
			[]vm.VMA(nil), vm.Heap{Start: heapStart, Brk: heapStart, Limit: 1 << 30}, vm.VAddr(0x604001)),
		ginkgo.Entry("a growth of the heap VMA", rules(1, "brk-set-refuses", "brk-failure-unchanged"),
			[]vm.VMA{heapVMA(0x602000, 0x603000)}, vm.Heap{Start: heapStart, Brk: 0x602800, Limit: 1 << 30}, vm.VAddr(0x605000)),
		ginkgo.Entry("a shrink", rules(1, "brk-set-refuses", "brk-failure-unchanged"),
			[]vm.VMA{heapVMA(0x602000, 0x605000)}, vm.Heap{Start: heapStart, Brk: 0x605000, Limit: 1 << 30}, vm.VAddr(0x602800)),
		ginkgo.Entry("a shrink back to the start", rules(1, "brk-set-refuses", "brk-failure-unchanged"),
			[]vm.VMA{heapVMA(0x602000, 0x604000)}, vm.Heap{Start: heapStart, Brk: 0x604000, Limit: 1 << 30}, heapStart),
	)

	ginkgo.It("a growth past the set's own limit fails with ErrOutOfMemory wrapping the set's ErrOutOfRange", rules(1, "brk-set-refuses"), func() {
		limit := rng(0x10000, 0x604000)
		s, err := vma.NewSet(ps, limit)
		gomega.Expect(err).NotTo(gomega.HaveOccurred(), "vma.NewSet(4K, %v)", limit)
		for _, v := range []vm.VMA{text, data, bss} {
			_, err := s.Map(v, true)
			gomega.Expect(err).NotTo(gomega.HaveOccurred(), "setting the scene: Map(%v, fixed)", v)
		}
		h := vm.Heap{Start: heapStart, Brk: 0x602010, Limit: 1 << 30}
		_, err = s.Map(heapVMA(0x602000, 0x603000), true)
		gomega.Expect(err).NotTo(gomega.HaveOccurred(), "setting the scene: the heap's first page")
		before := slices.Collect(s.All())
		got, released, err := brk(s, ps, h, 0x605000)
		call := fmt.Sprintf("Brk(%v, 0x605000) on a set whose limit is %v", h, limit)
		gomega.Expect(errors.Is(err, vm.ErrOutOfMemory) && errors.Is(err, vm.ErrOutOfRange)).To(gomega.BeTrue(),
			"%s returned error %v, want one wrapping %q and the set's %q", call, err, vm.ErrOutOfMemory, vm.ErrOutOfRange)
		gomega.Expect(got).To(gomega.Equal(h), "%s returned heap %v, want it unchanged", call, got)
		gomega.Expect(released).To(gomega.Equal(vm.AddrRange{}), "%s released %v, want nothing", call, released)
		gomega.Expect(slices.Collect(s.All())).To(gomega.Equal(before), "the VMAs after %s", call)
	})
}

// watchedSet is a VMA set that refuses every change and records it, for
// a function that must change nothing.
type watchedSet struct {
	vm.VMASet
	changes []string
}

var errNoChange = errors.New("ClassifyFault must not change the VMA set")

func (w *watchedSet) Map(v vm.VMA, fixed bool) (vm.AddrRange, error) {
	w.changes = append(w.changes, fmt.Sprintf("Map(%v, fixed %t)", v, fixed))
	return vm.AddrRange{}, errNoChange
}

func (w *watchedSet) Unmap(r vm.AddrRange) ([]vm.VMA, error) {
	w.changes = append(w.changes, fmt.Sprintf("Unmap(%v)", r))
	return nil, errNoChange
}

func (w *watchedSet) Protect(r vm.AddrRange, p vm.Perm) ([]vm.VMA, error) {
	w.changes = append(w.changes, fmt.Sprintf("Protect(%v, %v)", r, p))
	return nil, errNoChange
}

func (w *watchedSet) Grow(va vm.VAddr, maxSize, guardGap uint64) (vm.VMA, error) {
	w.changes = append(w.changes, fmt.Sprintf("Grow(%v, %#x, %#x)", va, maxSize, guardGap))
	return vm.VMA{}, errNoChange
}

func (w *watchedSet) Resize(start, newEnd vm.VAddr) error {
	w.changes = append(w.changes, fmt.Sprintf("Resize(%v, %v)", start, newEnd))
	return errNoChange
}

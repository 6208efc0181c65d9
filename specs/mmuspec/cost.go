package mmuspec

import (
	"fmt"
	"math"
	"time"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/gomega"

	"github.com/vmkata/vmkata/vm"
)

// costStep is one translation of the cycle-count story and the running
// totals after it.
type costStep struct {
	what   string
	va     vm.VAddr
	access vm.Access
	cycles uint64 // Stats().Cycles after the step
}

func describeCost(build Factory) {
	ginkgo.It("counts cycles and events per the cost model on a known sequence", rules(2, "cost", "stats"), func() {
		r := newRig(build, vm.X86_64, rigOptions{})
		mapProcess(r.pt)
		// specCost: TLB 1, memory reference 10, fault service 1000.
		steps := []costStep{
			{"miss, 4-level walk: 1 + 4×10 + 10", codeVA, vm.UserRead, 51},
			{"hit: 1 + 10", codeVA + 8, vm.UserRead, 62},
			{"miss, 4-level walk", dataVA, vm.UserWrite, 113},
			{"not present after a 4-level walk: 1 + 4×10 + 1000", holeVA, vm.UserRead, 1154},
			{"non-canonical: 1000, nothing looked up", 0x0000800000000000, vm.UserRead, 2154},
			{"miss on a 2M page, 3-level walk: 1 + 3×10 + 10", hugeVA, vm.UserRead, 2195},
			{"protection fault after a 4-level walk: 1 + 4×10 + 1000", roVA, vm.UserWrite, 3236},
		}
		for i, s := range steps {
			_, _ = r.mmu.Translate(s.va, s.access)
			got := r.mmu.Stats().Cycles
			gomega.Expect(got).To(gomega.Equal(s.cycles), "step %d, Translate(%v, %v) (%s): Stats().Cycles = %d, want %d (cost model %v)",
				i+1, s.va, s.access, s.what, got, s.cycles, specCost)
		}
		want := vm.MMUStats{Translations: 7, TLBHits: 1, TLBMisses: 5, Walks: 5, WalkReads: 19, Faults: 3, Cycles: 3236}
		gomega.Expect(r.mmu.Stats()).To(gomega.Equal(want), "Stats() after the sequence = %v, want %v", r.mmu.Stats(), want)
	})

	ginkgo.It("charges a software refill its flat cost", rules(1, "cost"), func() {
		handler := &osRefill{}
		r := newRig(build, vm.X86_64, rigOptions{software: true, refill: func(rr *rig) func(vm.ASID, vm.VAddr, vm.Access) error {
			handler.r = rr
			return handler.handle
		}})
		mapProcess(r.pt)
		mustTranslate(r.mmu, codeVA, vm.UserRead)
		mustTranslate(r.mmu, codeVA, vm.UserRead)
		want := uint64(1+50+10) + (1 + 10)
		gomega.Expect(r.mmu.Stats().Cycles).To(gomega.Equal(want), "a refilled miss (1 + 50 + 10) and a hit (1 + 10): Stats().Cycles = %d, want %d", r.mmu.Stats().Cycles, want)
	})
}

// EATFunc computes the demand-paging effective access time.
type EATFunc func(p float64, mem, fault time.Duration) (time.Duration, error)

// EATWithTLBFunc computes the effective access time with a TLB.
type EATWithTLBFunc func(hitRatio float64, tlb, mem time.Duration, levels int) (time.Duration, error)

// DescribeEAT declares the effective-access-time formulas for the
// implementations given, with the classic textbook numbers (a 200 ns memory
// access and an 8 ms fault; Silberschatz's TLB example):
//
//	var _ = mmuspec.DescribeEAT("reference", mmu.EAT, mmu.EATWithTLB)
//
// Results are compared exactly: every case is at least 0.1 ns away from a
// rounding boundary, so any correct evaluation of the formula rounds to the
// same nanosecond.
func DescribeEAT(name string, eat EATFunc, eatTLB EATWithTLBFunc) bool {
	return ginkgo.Describe("Effective access time ["+name+"]", ginkgo.Label("topic:mmu", "topic:eat"), func() {
		ginkgo.DescribeTable("EAT = (1-p)×mem + p×fault", ginkgo.Label("rule:05.eat"),
			func(p float64, mem, fault, want time.Duration) {
				got, err := eat(p, mem, fault)
				gomega.Expect(err).NotTo(gomega.HaveOccurred(), "EAT(%v, %v, %v)", p, mem, fault)
				gomega.Expect(got).To(gomega.Equal(want), "EAT(%v, %v, %v) = %v, want %v (rounded to the nearest nanosecond)", p, mem, fault, got, want)
			},
			func(p float64, mem, fault, want time.Duration) string {
				if mem == 0 {
					return fmt.Sprintf("EAT(%v, %v, %v) = %v", p, mem, fault, want)
				}
				return fmt.Sprintf("EAT(%v, %v, %v) = %v (%.0fx memory)", p, mem, fault, want, float64(want)/float64(mem))
			},
			ginkgo.Entry(nil, points(1), 0.0, 200*time.Nanosecond, 8*time.Millisecond, 200*time.Nanosecond),
			ginkgo.Entry(nil, points(1), 0.001, 200*time.Nanosecond, 8*time.Millisecond, 8200*time.Nanosecond),
			ginkgo.Entry(nil, points(1), 0.01, 200*time.Nanosecond, 8*time.Millisecond, 80198*time.Nanosecond),
			ginkgo.Entry(nil, points(1), 1.0, 200*time.Nanosecond, 8*time.Millisecond, 8*time.Millisecond),
			ginkgo.Entry(nil, points(1), 0.0000025, 200*time.Nanosecond, 8*time.Millisecond, 220*time.Nanosecond),
			ginkgo.Entry(nil, points(1), 0.5, time.Duration(0), 8*time.Millisecond, 4*time.Millisecond),
			ginkgo.Entry(nil, points(1), 0.5, 200*time.Nanosecond, time.Duration(0), 100*time.Nanosecond),
		)
		ginkgo.DescribeTable("EAT rejects what is not a probability or a duration", ginkgo.Label("rule:05.eat-range"),
			func(p float64, mem, fault time.Duration) {
				_, err := eat(p, mem, fault)
				gomega.Expect(err).To(gomega.MatchError(vm.ErrOutOfRange), "EAT(%v, %v, %v) returned %v, want an error wrapping %q", p, mem, fault, err, vm.ErrOutOfRange)
			},
			func(p float64, mem, fault time.Duration) string {
				return fmt.Sprintf("EAT(%v, %v, %v)", p, mem, fault)
			},
			ginkgo.Entry(nil, points(1), -0.1, 200*time.Nanosecond, 8*time.Millisecond),
			ginkgo.Entry(nil, points(1), 1.5, 200*time.Nanosecond, 8*time.Millisecond),
			ginkgo.Entry(nil, points(1), math.NaN(), 200*time.Nanosecond, 8*time.Millisecond),
			ginkgo.Entry(nil, points(1), 0.5, -200*time.Nanosecond, 8*time.Millisecond),
			ginkgo.Entry(nil, points(1), 0.5, 200*time.Nanosecond, -time.Millisecond),
		)
		ginkgo.DescribeTable("EATWithTLB = h×(tlb+mem) + (1-h)×(tlb+(levels+1)×mem)", ginkgo.Label("rule:05.eat-tlb"),
			func(h float64, tlb, mem time.Duration, levels int, want time.Duration) {
				got, err := eatTLB(h, tlb, mem, levels)
				gomega.Expect(err).NotTo(gomega.HaveOccurred(), "EATWithTLB(%v, %v, %v, %d)", h, tlb, mem, levels)
				gomega.Expect(got).To(gomega.Equal(want), "EATWithTLB(%v, %v, %v, %d) = %v, want %v (rounded to the nearest nanosecond)", h, tlb, mem, levels, got, want)
			},
			func(h float64, tlb, mem time.Duration, levels int, want time.Duration) string {
				return fmt.Sprintf("EATWithTLB(%v, %v, %v, %d) = %v", h, tlb, mem, levels, want)
			},
			ginkgo.Entry(nil, points(1), 0.80, 20*time.Nanosecond, 100*time.Nanosecond, 1, 140*time.Nanosecond),
			ginkgo.Entry(nil, points(1), 0.98, 20*time.Nanosecond, 100*time.Nanosecond, 1, 122*time.Nanosecond),
			ginkgo.Entry(nil, points(1), 1.0, 1*time.Nanosecond, 100*time.Nanosecond, 4, 101*time.Nanosecond),
			ginkgo.Entry(nil, points(1), 0.0, 1*time.Nanosecond, 100*time.Nanosecond, 4, 501*time.Nanosecond),
			ginkgo.Entry(nil, points(1), 0.99, 1*time.Nanosecond, 100*time.Nanosecond, 4, 105*time.Nanosecond),
			ginkgo.Entry(nil, points(1), 0.5, time.Duration(0), 100*time.Nanosecond, 1, 150*time.Nanosecond),
			ginkgo.Entry(nil, points(1), 0.5, 20*time.Nanosecond, time.Duration(0), 4, 20*time.Nanosecond),
		)
		ginkgo.DescribeTable("EATWithTLB rejects bad input", ginkgo.Label("rule:05.eat-tlb-range"),
			func(h float64, tlb, mem time.Duration, levels int) {
				_, err := eatTLB(h, tlb, mem, levels)
				gomega.Expect(err).To(gomega.MatchError(vm.ErrOutOfRange), "EATWithTLB(%v, %v, %v, %d) returned %v, want an error wrapping %q", h, tlb, mem, levels, err, vm.ErrOutOfRange)
			},
			func(h float64, tlb, mem time.Duration, levels int) string {
				return fmt.Sprintf("EATWithTLB(%v, %v, %v, %d)", h, tlb, mem, levels)
			},
			ginkgo.Entry(nil, points(1), 1.01, time.Nanosecond, 100*time.Nanosecond, 4),
			ginkgo.Entry(nil, points(1), -0.5, time.Nanosecond, 100*time.Nanosecond, 4),
			ginkgo.Entry(nil, points(1), 0.9, -time.Nanosecond, 100*time.Nanosecond, 4),
			ginkgo.Entry(nil, points(1), 0.9, time.Nanosecond, 100*time.Nanosecond, 0),
			ginkgo.Entry(nil, points(1), 0.9, time.Nanosecond, -100*time.Nanosecond, 4),
			ginkgo.Entry(nil, points(1), math.NaN(), time.Nanosecond, 100*time.Nanosecond, 4),
			ginkgo.Entry(nil, points(1), 0.0, time.Duration(0), time.Duration(math.MaxInt64/4), 4),
		)
	})
}

package mmu

import (
	"fmt"
	"math"
	"time"

	"github.com/vmkata/vmkata/vm"
)

// EAT returns the effective access time of demand paging (Silberschatz,
// "Performance of Demand Paging"):
//
//	EAT = (1 - p) × mem + p × fault
//
// where p is the page-fault rate (the probability that a memory reference
// faults), mem the memory access time and fault the page-fault service
// time. It assumes every reference either hits memory or faults, and that
// the fault time already includes the restarted access. The result is
// rounded to the nearest nanosecond: with mem = 200 ns and fault = 8 ms,
// p = 0.001 gives 8199.8 ns, returned as 8.2 µs (41 times slower than
// memory alone), and p = 0.01 gives 80.198 µs (about 400 times).
//
// Errors wrap vm.ErrOutOfRange: p outside [0, 1] (or NaN), a negative
// duration.
func EAT(p float64, mem, fault time.Duration) (time.Duration, error) {
	if !(p >= 0 && p <= 1) {
		return 0, fmt.Errorf("mmu: EAT: fault rate %v, want a probability in [0, 1]: %w", p, vm.ErrOutOfRange)
	}
	if mem < 0 || fault < 0 {
		return 0, fmt.Errorf("mmu: EAT: memory time %v and fault time %v, want both >= 0: %w", mem, fault, vm.ErrOutOfRange)
	}
	return roundNs((1-p)*float64(mem) + p*float64(fault))
}

// EATWithTLB returns the effective access time of paging with a TLB and a
// page table of the given number of levels (Silberschatz, "Translation
// Look-Aside Buffer"; OSTEP, "Paging: Faster Translations"):
//
//	EAT = h × (tlb + mem) + (1 - h) × (tlb + (levels + 1) × mem)
//
// where h is the TLB hit ratio. A hit costs the TLB lookup plus the data
// reference; a miss costs the lookup, one memory reference per level of the
// walk and the data reference. It assumes no page faults, a TLB that is
// looked up before (not in parallel with) memory, a walk that reads every
// level from memory (no caches, no huge pages), and a TLB update that costs
// nothing. Silberschatz's example: h = 0.80, tlb = 20 ns, mem = 100 ns, a
// one-level table gives 0.80 × 120 + 0.20 × 220 = 140 ns; h = 0.98 gives
// 122 ns. The result is rounded to the nearest nanosecond.
//
// Errors wrap vm.ErrOutOfRange: h outside [0, 1] (or NaN), a negative
// duration, levels < 1, or a result beyond time.Duration's range.
func EATWithTLB(hitRatio float64, tlb, mem time.Duration, levels int) (time.Duration, error) {
	if !(hitRatio >= 0 && hitRatio <= 1) {
		return 0, fmt.Errorf("mmu: EATWithTLB: hit ratio %v, want a probability in [0, 1]: %w", hitRatio, vm.ErrOutOfRange)
	}
	if tlb < 0 || mem < 0 {
		return 0, fmt.Errorf("mmu: EATWithTLB: TLB time %v and memory time %v, want both >= 0: %w", tlb, mem, vm.ErrOutOfRange)
	}
	if levels < 1 {
		return 0, fmt.Errorf("mmu: EATWithTLB: %d page-table levels, want at least 1: %w", levels, vm.ErrOutOfRange)
	}
	t, m := float64(tlb), float64(mem)
	return roundNs(hitRatio*(t+m) + (1-hitRatio)*(t+float64(levels+1)*m))
}

// roundNs converts a time in nanoseconds to the nearest time.Duration, or
// reports that it does not fit.
func roundNs(ns float64) (time.Duration, error) {
	r := math.Round(ns)
	if r >= math.MaxInt64 {
		return 0, fmt.Errorf("mmu: effective access time of %g ns exceeds time.Duration: %w", ns, vm.ErrOutOfRange)
	}
	return time.Duration(r), nil
}

// Package shootdown is the reference TLB shootdown decision: when one CPU
// changes an address space's translations (munmap, mprotect, fork's
// write-protect, eviction), which CPUs must flush which entries, now by an
// inter-processor interrupt or lazily at their next switch-in. The kernel
// (reference/kernel, Config.Shootdown) asks once per operation and per
// address space and carries the plan out.
//
//	plan, err := shootdown.Shootdown(vm.ShootdownRequest{CPUs: 4, Self: 0, PCID: true,
//		Running: 0b0011, Cached: 0b1011, Pages: []vm.VAddr{0x1000}})
//	// plan: [cpu0: pages [0x1000], cpu1: pages [0x1000], cpu3: deferred]: one IPI, to cpu1
package shootdown

import (
	"fmt"
	"slices"

	"github.com/vmkata/vmkata/vm"
)

// Shootdown decides who flushes what for r, as Linux's flush_tlb_mm_range
// with its lazy tlb_gen does: every CPU running the address space flushes
// now (Self locally, the others by one IPI each), page by page up to
// vm.FlushCeiling pages and all of the space beyond that or for All; with
// PCIDs a CPU that caches the space without running it defers (its next
// switch-in flushes), and no other CPU is named. The flushes come in CPU
// order. A malformed request (see vm.ShootdownRequest's invariant) returns
// the zero plan and an error wrapping vm.ErrInvalidConfig.
func Shootdown(r vm.ShootdownRequest) (vm.ShootdownPlan, error) {
	if err := check(r); err != nil {
		return vm.ShootdownPlan{}, err
	}
	now := vm.CPUFlush{Kind: vm.FlushAll}
	if !r.All && len(r.Pages) <= vm.FlushCeiling {
		now = vm.CPUFlush{Kind: vm.FlushPages, Pages: r.Pages}
	}
	var plan vm.ShootdownPlan
	for c := range r.CPUs {
		switch {
		case r.Running.Has(c):
			f := now
			f.CPU, f.Pages = c, slices.Clone(f.Pages)
			plan.Flushes = append(plan.Flushes, f)
		case r.PCID && r.Cached.Has(c):
			plan.Flushes = append(plan.Flushes, vm.CPUFlush{CPU: c, Kind: vm.FlushDeferred})
		}
	}
	return plan, nil
}

// Eager is the shootdown without lazy CPUs, for comparison: every CPU that
// may cache the address space flushes now, by IPI if it is not Self, as
// the kernel did before tracking which CPUs run the space (and as Linux
// did before 4.19). Pages and ceiling as Shootdown; errors too.
func Eager(r vm.ShootdownRequest) (vm.ShootdownPlan, error) {
	if err := check(r); err != nil {
		return vm.ShootdownPlan{}, err
	}
	r.Running = r.Cached
	return Shootdown(r)
}

// check returns an error wrapping vm.ErrInvalidConfig for a request that
// breaks vm.ShootdownRequest's invariant.
func check(r vm.ShootdownRequest) error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("shootdown: %v: "+format+": %w", append(append([]any{r}, args...), vm.ErrInvalidConfig)...)
	}
	switch {
	case r.CPUs < 1 || r.CPUs > 64:
		return bad("%d CPUs, want 1..64", r.CPUs)
	case r.Self < 0 || r.Self >= r.CPUs:
		return bad("self is cpu%d, want 0..%d", r.Self, r.CPUs-1)
	case r.CPUs < 64 && r.Cached>>r.CPUs != 0:
		return bad("cached %v names a CPU past cpu%d", r.Cached, r.CPUs-1)
	case r.Running&^r.Cached != 0:
		return bad("running %v is not within cached %v", r.Running, r.Cached)
	case r.All && len(r.Pages) > 0:
		return bad("both all and pages, want one of them")
	case !r.All && len(r.Pages) == 0:
		return bad("no pages and not all: nothing changed")
	}
	return nil
}

// Package ctxswitch is the reference context switch's decision: what
// loading the next process on a CPU writes into CR3 (its page table's
// root, the PCID, the no-flush bit), with and without PCIDs, with and
// without page-table isolation (KPTI). The kernel (reference/kernel) asks
// Switch at every switch and carries the plan out.
//
//	plan, err := ctxswitch.Switch(vm.SwitchState{PCID: true, Prev: 1, Next: 2, ASID: 2})
//	// plan: CR3 <- pcid 2 (user 2), keep
package ctxswitch

import (
	"fmt"

	"github.com/vmkata/vmkata/vm"
)

// Switch decides the CR3 load of a context switch from s, as Linux's
// switch_mm_irqs_off and its choose_new_asid do (one PCID per process,
// no per-CPU slots): nothing when the process is already current; without
// PCIDs a plain load, which flushes every non-global entry; with PCIDs the
// process's own PCID, kept warm unless the CPU may hold stale entries
// under it; under KPTI the user half of the pair runs with the PCID's bit
// 11 set. Bad input (no next process, a PCID out of range) returns an
// error wrapping vm.ErrInvalidConfig.
func Switch(s vm.SwitchState) (vm.SwitchPlan, error) {
	if s.Next <= 0 || s.Prev < 0 {
		return vm.SwitchPlan{}, fmt.Errorf("ctxswitch: %v: want pids prev >= 0, next > 0: %w", s, vm.ErrInvalidConfig)
	}
	if s.PCID && (s.ASID == 0 || s.ASID > vm.MaxPCID) {
		return vm.SwitchPlan{}, fmt.Errorf("ctxswitch: %v: PCID %d, want 1..%d: %w", s, s.ASID, vm.MaxPCID, vm.ErrInvalidConfig)
	}
	if s.Next == s.Prev {
		return vm.SwitchPlan{}, nil
	}
	if !s.PCID {
		return vm.SwitchPlan{Load: true}, nil
	}
	plan := vm.SwitchPlan{Load: true, PCID: s.ASID, UserPCID: s.ASID, NoFlush: !s.Stale}
	if s.KPTI {
		plan.UserPCID |= vm.UserPCIDBit
	}
	return plan, nil
}

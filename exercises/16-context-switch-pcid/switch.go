//go:build !solution

// Package ctxswitch is exercise 16: the decision a context switch makes on
// one CPU — what it writes into CR3 (the next process's page-table root,
// its PCID, the no-flush bit), and so which TLB entries survive the switch,
// with and without PCIDs, and with page-table isolation (KPTI), where each
// process has a kernel and a user address space, each with its own PCID.
//
// Read README.md first. Run the specs with:
//
//	go test ./exercises/16-context-switch-pcid/
//
// The specs call Switch on single states, then plug it into the reference
// kernel (kernel.Config.Switcher) and into a small machine with KPTI and
// global kernel pages, and run scripted workloads: they compare TLB hit
// ratios with the reference's and check, after every step, that no TLB
// holds a translation its address space no longer has.
//
// Each rule of the contract starts with its id in brackets, "rule:16."
// and a short name; the specs labelled with that id check it, and
// README.md lists them.
package ctxswitch

import "github.com/vmkata/vmkata/vm"

// Switch decides the CR3 load of a context switch on one CPU from s: the
// CPU's features (PCIDs, KPTI), the pid current there and the one switched
// in with its PCID, and whether the CPU's TLB may hold stale entries under
// that PCID. The caller carries the plan out: with Load it writes CR3 with
// Next's page table, plan.PCID and plan.NoFlush (x86 ignores both without
// PCIDs and flushes every non-global entry); under KPTI, returning to user
// mode loads the user page table with plan.UserPCID, flushed too unless
// NoFlush.
//
//   - [rule:16.bad-state] Next < 1, Prev < 0, or with PCIDs an ASID outside
//     1..vm.MaxPCID, is refused: the zero plan and an error wrapping
//     vm.ErrInvalidConfig.
//   - [rule:16.same-process] Next == Prev writes no CR3 (Load false, the
//     rest zero): the TLB keeps every entry, which is the whole point of
//     not switching.
//   - [rule:16.no-pcid] Without PCIDs the plan loads CR3 with PCID 0,
//     UserPCID 0 and NoFlush false: every switch empties the TLB of its
//     non-global entries, KPTI or not (the global ones, the kernel's,
//     survive).
//   - [rule:16.pcid-tag] With PCIDs the plan loads Next's own PCID, s.ASID:
//     each process's entries carry its tag, so the TLB may hold several
//     processes' translations at once.
//   - [rule:16.pcid-keep] With PCIDs, NoFlush is set unless s.Stale:
//     Next's entries cached before it was switched out are still right, and
//     switching back finds them warm.
//   - [rule:16.pcid-stale] With PCIDs and s.Stale, NoFlush is false: the
//     entries under that PCID may be stale (they belonged to a process that
//     exited, or a shootdown deferred this CPU's flush) and must be
//     flushed, or Next would use translations its page table no longer has.
//   - [rule:16.kpti-user-pcid] UserPCID is PCID without KPTI, and
//     PCID|vm.UserPCIDBit with PCIDs and KPTI: the user address space of a
//     process is a second PCID, so entries cached in kernel mode (the
//     kernel's own pages) are never reachable from user mode.
func Switch(s vm.SwitchState) (vm.SwitchPlan, error) {
	// TODO: decide the plan, rule by rule.
	panic("Switch not implemented")
}

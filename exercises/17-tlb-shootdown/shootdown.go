//go:build !solution

// Package shootdown is exercise 17: the decision a kernel makes when one
// CPU changes an address space's translations (munmap, mprotect, fork's
// write-protect, eviction) and other CPUs' TLBs may still hold the old
// ones — which CPUs flush which entries, now by an inter-processor
// interrupt (IPI), or lazily at their next switch-in.
//
// Read README.md first. Run the specs with:
//
//	go test ./exercises/17-tlb-shootdown/
//
// The specs call Shootdown on single requests, then plug it into the
// reference kernel (kernel.Config.Shootdown) on 2 to 4 CPUs, with and
// without PCIDs, and run scripted workloads: threads of one process on two
// CPUs, munmap, mprotect, fork and eviction while another CPU runs or
// caches the process. After every step the kernel's Check looks for a TLB
// entry some CPU could use stale; the IPIs must be the minimum and the TLB
// hits the reference's.
//
// Each rule of the contract starts with its id in brackets, "rule:17."
// and a short name; the specs labelled with that id check it, and
// README.md lists them.
package shootdown

import "github.com/vmkata/vmkata/vm"

// Shootdown decides who flushes what for r, a change made on CPU r.Self
// to one address space's translations: r.Pages (one operation's pages) or
// r.All (every page). The kernel carries the plan out: a FlushPages or
// FlushAll on r.Self is a local flush, on another CPU an IPI (one per
// flush named); a FlushDeferred marks that CPU's TLB behind for the
// address space, and the context switch that next loads the space there
// flushes all its entries first (exercise 16's Stale). A CPU the plan
// does not name does nothing. The order of the flushes does not matter.
//
//   - [rule:17.bad-request] A request that breaks vm.ShootdownRequest's
//     invariant (CPUs outside 1..64, Self outside 0..CPUs-1, a CPU in
//     Cached that does not exist, Running not within Cached, no pages and
//     not All, or pages and All both) is refused: the zero plan and an
//     error wrapping vm.ErrInvalidConfig.
//   - [rule:17.flush-running] Every CPU in r.Running flushes now: it may
//     use the address space's entries at any moment, so a late flush would
//     let it read or write through a translation that is gone. FlushPages
//     names exactly r.Pages.
//   - [rule:17.local-flush] r.Self is no exception: when it runs the
//     address space it flushes now too (the change was made there and its
//     TLB may hold the old translation); its flush costs no IPI.
//   - [rule:17.ceiling] Up to vm.FlushCeiling pages (33) are flushed one
//     by one (FlushPages), leaving the CPU's other entries warm; more
//     pages, or r.All, flush the whole address space (FlushAll).
//   - [rule:17.defer-cached] With PCIDs, a CPU in r.Cached but not in
//     r.Running gets FlushDeferred and no IPI: its TLB may hold the
//     space's entries under their PCID, but it runs another address space
//     and cannot use them before a switch loads this one again, which
//     flushes them.
//   - [rule:17.no-pcid] Without PCIDs, a CPU not running the address space
//     is not named, whatever r.Cached says: loading another CR3 emptied
//     its TLB of the space's entries.
//   - [rule:17.untouched] A CPU outside r.Cached is not named: it holds
//     none of the space's entries.
//   - [rule:17.one-per-cpu] The plan names each CPU at most once, however
//     many pages changed: one operation costs at most one IPI per CPU.
//   - [rule:17.minimal-ipis] So the IPIs are the minimum: one per CPU
//     running the address space other than r.Self, per operation, and
//     none to a CPU that merely caches it.
func Shootdown(r vm.ShootdownRequest) (vm.ShootdownPlan, error) {
	// TODO: decide the plan, rule by rule.
	panic("Shootdown not implemented")
}

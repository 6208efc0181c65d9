package vm

import (
	"fmt"
	"strings"
)

// FlushCeiling is the largest number of pages a CPU invalidates one by one
// (INVLPG each) for one change; a change of more pages flushes every entry
// of the address space instead, which is cheaper than that many INVLPGs and
// the refills are paid either way (Linux's tlb_single_page_flush_ceiling).
const FlushCeiling = 33

// CPUSet is a set of CPUs numbered 0..63, bit c for CPU c (Linux's
// struct cpumask).
type CPUSet uint64

// Has reports whether CPU c is in the set.
func (s CPUSet) Has(c int) bool { return c >= 0 && c < 64 && s&(1<<c) != 0 }

// String prints e.g. "{0, 2}", or "{}" for the empty set.
func (s CPUSet) String() string {
	var b strings.Builder
	b.WriteByte('{')
	for c := range 64 {
		if s.Has(c) {
			if b.Len() > 1 {
				b.WriteString(", ")
			}
			fmt.Fprint(&b, c)
		}
	}
	b.WriteByte('}')
	return b.String()
}

// ShootdownRequest is one change to an address space's translations that
// must reach every TLB that may hold the old ones: pages unmapped,
// write-protected or evicted by one operation (munmap, mprotect, a reclaim
// pass), or every page of the space at once (fork write-protecting the
// parent). The CPU that made the change (Self) asks once per operation and
// per address space (Linux's flush_tlb_mm_range).
//
// Invariant (of a well-formed request): 1 <= CPUs <= 64; 0 <= Self < CPUs;
// Running ⊆ Cached ⊆ CPUs 0..CPUs-1; either Pages is non-empty or All is
// set, not both.
type ShootdownRequest struct {
	CPUs    int     // CPUs in the machine
	Self    int     // the CPU that made the change: its own flush needs no IPI
	PCID    bool    // the CPUs tag TLB entries with PCIDs, so a CPU keeps an address space's entries after switching away
	Running CPUSet  // CPUs where the address space is current now (its page table in CR3): they may use its entries at any moment
	Cached  CPUSet  // CPUs whose TLB may hold its entries (Linux's mm_cpumask): Running, and with PCIDs the CPUs that ran it since they last flushed it
	Pages   []VAddr // the pages whose translations changed, each page-aligned; nil with All
	All     bool    // every translation of the address space changed
}

// String prints e.g. "cpu0 of 4, pcid, running {0, 1}, cached {0, 1, 3}:
// 2 pages [0x1000 0x2000]" or "…: all".
func (r ShootdownRequest) String() string {
	feat := "no pcid"
	if r.PCID {
		feat = "pcid"
	}
	what := "all"
	if !r.All {
		what = fmt.Sprintf("%d pages %v", len(r.Pages), r.Pages)
		if len(r.Pages) > 4 {
			what = fmt.Sprintf("%d pages [%v … %v]", len(r.Pages), r.Pages[0], r.Pages[len(r.Pages)-1])
		}
	}
	return fmt.Sprintf("cpu%d of %d, %s, running %v, cached %v: %s", r.Self, r.CPUs, feat, r.Running, r.Cached, what)
}

// FlushKind is what one CPU does about a ShootdownRequest.
type FlushKind uint8

// Flush kinds.
const (
	// FlushPages invalidates the request's pages now, one INVLPG each; the
	// CPU's other entries of the address space stay warm.
	FlushPages FlushKind = iota + 1
	// FlushAll invalidates every entry of the address space now (its PCID
	// with PCIDs, every non-global entry without).
	FlushAll
	// FlushDeferred flushes nothing now: the CPU's TLB is marked behind
	// for the address space (Linux's tlb_gen), and the context switch that
	// next loads the space there flushes all its entries first.
	FlushDeferred
)

// String prints pages, all or deferred.
func (k FlushKind) String() string {
	switch k {
	case FlushPages:
		return "pages"
	case FlushAll:
		return "all"
	case FlushDeferred:
		return "deferred"
	}
	return fmt.Sprintf("flush(%d)", uint8(k))
}

// CPUFlush is one CPU's part of a ShootdownPlan. On a CPU other than the
// request's Self, a FlushPages or FlushAll is an inter-processor interrupt
// (one IPI each); on Self it is a local flush.
type CPUFlush struct {
	CPU   int
	Kind  FlushKind
	Pages []VAddr // with FlushPages, the pages to invalidate
}

// String prints e.g. "cpu1: pages [0x1000]", "cpu2: all" or "cpu3: deferred".
func (f CPUFlush) String() string {
	if f.Kind == FlushPages {
		return fmt.Sprintf("cpu%d: %v %v", f.CPU, f.Kind, f.Pages)
	}
	return fmt.Sprintf("cpu%d: %v", f.CPU, f.Kind)
}

// ShootdownPlan is the decision about a ShootdownRequest: what each CPU
// does. A CPU the plan does not name does nothing.
type ShootdownPlan struct {
	Flushes []CPUFlush
}

// IPIs returns the number of inter-processor interrupts the plan sends
// from CPU self: its flushes now on other CPUs.
func (p ShootdownPlan) IPIs(self int) int {
	n := 0
	for _, f := range p.Flushes {
		if f.CPU != self && (f.Kind == FlushPages || f.Kind == FlushAll) {
			n++
		}
	}
	return n
}

// String prints e.g. "[cpu0: pages [0x1000], cpu1: deferred]", or
// "nothing" for an empty plan.
func (p ShootdownPlan) String() string {
	if len(p.Flushes) == 0 {
		return "nothing"
	}
	parts := make([]string, len(p.Flushes))
	for i, f := range p.Flushes {
		parts[i] = f.String()
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

package vm

import "fmt"

// MaxPCID is the largest PCID a process may be given: x86 tags TLB entries
// with 12 bits, and with page-table isolation (KPTI) bit 11 marks the
// user half of a process's pair of address spaces, so a process's own
// PCID keeps to the low 11 bits, as Linux's do.
const MaxPCID ASID = 2047

// UserPCIDBit is the bit that turns a process's kernel PCID into the PCID
// of its user address space under KPTI (Linux's X86_CR3_PTI_PCID_USER_BIT).
const UserPCIDBit ASID = 1 << 11

// SwitchState is what a context switch on one CPU decides from: the CPU's
// features, who runs there now and who is switched in (Linux's
// switch_mm_irqs_off).
type SwitchState struct {
	PCID  bool // the CPU tags TLB entries with PCIDs (CR4.PCIDE)
	KPTI  bool // each process has two address spaces: kernel and user (page-table isolation)
	Prev  int  // pid current on the CPU, 0 when it is idle
	Next  int  // pid switched in, never 0
	ASID  ASID // Next's PCID, 1..MaxPCID; meaningful only with PCID
	Stale bool // the CPU's TLB may hold entries tagged ASID that Next's page table does not have: the PCID belonged to a process that exited since this CPU last flushed it, or a change to Next's address space deferred this CPU's flush (see ShootdownRequest)
}

// String prints e.g. "pid 1 -> pid 2 (pcid 2 stale, kpti)".
func (s SwitchState) String() string {
	feat := "no pcid"
	if s.PCID {
		feat = fmt.Sprintf("pcid %d", s.ASID)
		if s.Stale {
			feat += " stale"
		}
	}
	if s.KPTI {
		feat += ", kpti"
	}
	return fmt.Sprintf("pid %d -> pid %d (%s)", s.Prev, s.Next, feat)
}

// SwitchPlan is a context switch's decision: whether CR3 is written, with
// which PCIDs, and whether the PCID's TLB entries are kept.
type SwitchPlan struct {
	Load     bool // write CR3; false leaves the CPU and its TLB as they are
	PCID     ASID // the PCID loaded with the process's page table (its kernel address space under KPTI)
	UserPCID ASID // the PCID user code runs with: PCID, or PCID|UserPCIDBit under KPTI
	NoFlush  bool // CR3 bit 63: keep the TLB entries tagged PCID (and UserPCID); false flushes them
}

// String prints e.g. "CR3 <- pcid 2 (user 2050), keep" or "no CR3 write".
func (p SwitchPlan) String() string {
	if !p.Load {
		return "no CR3 write"
	}
	flush := "flush"
	if p.NoFlush {
		flush = "keep"
	}
	return fmt.Sprintf("CR3 <- pcid %d (user %d), %s", p.PCID, p.UserPCID, flush)
}

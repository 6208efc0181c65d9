package vm

import (
	"errors"
	"fmt"
)

// Sentinel errors of the MMU contract.
var (
	// ErrNoPageTable: the MMU was asked to translate before LoadCR3
	// installed a page table.
	ErrNoPageTable = errors.New("no page table loaded")
	// ErrRefill: a software TLB-miss handler (MMUConfig.Refill) returned
	// without error but left no usable entry in the TLB: the retried lookup
	// missed, or a write found the entry still clean.
	ErrRefill = errors.New("TLB refill handler left no usable entry")
)

// CostModel prices the steps of a translation in cycles, so that an MMU can
// report what a sequence of accesses cost (MMUStats.Cycles) and a learner
// can see why a TLB miss hurts and a page fault hurts a million times more.
//
// [rule:05.cost] An MMU adds to MMUStats.Cycles, per translation:
//   - a non-canonical address: FaultService (nothing is looked up);
//   - otherwise TLBHit for the TLB lookup, MemRef for every page-table entry
//     the hardware walker reads, TLBRefill for every call of a software
//     TLB-miss handler, and then MemRef for the data access if the
//     translation succeeded or FaultService if it faulted (the access is
//     not made; the retry after the operating system fixed the page is a
//     new translation). A translation stopped by ErrNoPageTable or by a
//     part's error costs what it looked up so far.
//
// So a TLB hit costs TLBHit+MemRef, a miss with a 4-level walk
// TLBHit+5*MemRef, and a fault found by that walk TLBHit+4*MemRef+FaultService.
type CostModel struct {
	TLBHit       uint64 // one TLB lookup, hit or miss
	MemRef       uint64 // one memory reference: a page-table entry or the data
	FaultService uint64 // the operating system servicing one fault (trap, handler, disk I/O)
	TLBRefill    uint64 // one software TLB-miss exception, all in: trap, the handler's walk, the TLB write, return (SoftwareTLB only)
}

// DefaultCost is an illustrative cost model, with one cycle taken as one
// nanosecond:
//   - TLBHit 1: an L1 data TLB is looked up in parallel with the L1 cache
//     and answers within the cycle (the textbook's "TLB hit in one cycle").
//   - MemRef 100: a reference that goes to DRAM takes on the order of 100 ns
//     on current machines (Silberschatz's effective-access-time example uses
//     200 ns, see EAT in reference/mmu). Real walks often hit the caches and
//     cost less; the model assumes none does.
//   - FaultService 8_000_000: Silberschatz's 8 ms to service a page fault
//     from a hard disk (trap, seek, rotational latency, transfer, restart).
//     An SSD would be nearer 100 µs; a minor fault (no I/O) a microsecond.
//   - TLBRefill 500: a MIPS-style software refill enters an exception
//     handler (about 100 cycles of entry and return) which walks the table
//     itself (four levels at MemRef each): a little dearer than a hardware
//     walk of the same table, the classic price of a simpler MMU.
var DefaultCost = CostModel{TLBHit: 1, MemRef: 100, FaultService: 8_000_000, TLBRefill: 500}

// String prints e.g. "tlb=1 mem=100 fault=8000000 refill=500 cycles".
func (c CostModel) String() string {
	return fmt.Sprintf("tlb=%d mem=%d fault=%d refill=%d cycles", c.TLBHit, c.MemRef, c.FaultService, c.TLBRefill)
}

// MMUConfig is what an MMU is built from: its parts (a TLB and physical
// memory), the address geometry it translates, and how it prices work.
//
// Who walks on a TLB miss is the one design choice. With SoftwareTLB false
// the MMU is x86-like: a hardware walker reads the page table loaded with
// LoadCR3, sets its Accessed and Dirty bits and fills the TLB; the operating
// system never sees a miss and has no say in the TLB's replacement. With
// SoftwareTLB true it is MIPS-like: a miss raises a TLB-miss exception, that
// is, the MMU calls Refill, the operating system's handler, which walks its
// own table, inserts an entry into the TLB (choosing the victim if it likes)
// and returns nil, or returns a *Fault; the MMU then retries the lookup once.
// So "is TLB replacement done by the OS?" is no on x86 and yes on MIPS.
type MMUConfig struct {
	Geometry    Geometry  // the virtual-address split; its base page size must be Mem's frame size
	TLB         TLB       // the TLB this MMU fills and consults; required
	Mem         PhysMem   // physical memory that Load and Store reach; required
	Cost        CostModel // cycle prices; the zero CostModel counts no cycles
	SoftwareTLB bool      // true: misses call Refill instead of walking (MIPS); false: hardware walk (x86)
	// Refill is the operating system's TLB-miss handler, required when
	// SoftwareTLB is set and ignored otherwise. It must insert an entry
	// matching (asid, va) (with Dirty set for a write, after setting D in
	// its page table), or return a *Fault (kind, code and level as the
	// operating system decides).
	//   - [rule:05.soft-miss] With SoftwareTLB the MMU never walks: a miss
	//     calls Refill once, with the current ASID, va and the access, then
	//     looks up once more; a hit calls nothing.
	//   - [rule:05.soft-fault] A *Fault from Refill is returned as it is,
	//     counted as a fault, and no entry for va is left in the TLB.
	//   - [rule:05.soft-protection] If the refilled entry does not allow the
	//     access, the MMU raises the protection fault itself, at level 0.
	//   - [rule:05.soft-refill-error] If the retried lookup misses, or a
	//     write finds the entry still clean, the error wraps ErrRefill; any
	//     other error from Refill is returned wrapped.
	Refill func(asid ASID, va VAddr, a Access) error
}

// MMUStats counts what an MMU did since it was built.
//
// [rule:05.stats] Each counter counts exactly what its comment says, from 0
// at New. Invariants: TLBHits + TLBMisses == Translations minus the translations
// stopped before the TLB (non-canonical address, no page table); Faults <=
// Translations; WalkReads <= MaxLevels * Walks.
type MMUStats struct {
	Translations uint64 // translations attempted (Translate calls, and one per page piece of Load and Store)
	TLBHits      uint64 // translations whose first TLB lookup hit
	TLBMisses    uint64 // translations whose first TLB lookup missed
	Walks        uint64 // hardware page walks (a miss, or a write through a clean entry); 0 with SoftwareTLB
	WalkReads    uint64 // page-table entries those walks read
	Refills      uint64 // calls of the software TLB-miss handler; 0 without SoftwareTLB
	Faults       uint64 // translations that returned a *Fault
	Cycles       uint64 // total cost under the CostModel
}

// String prints the counters on one line.
func (s MMUStats) String() string {
	return fmt.Sprintf("translations=%d hits=%d misses=%d walks=%d walk-reads=%d refills=%d faults=%d cycles=%d",
		s.Translations, s.TLBHits, s.TLBMisses, s.Walks, s.WalkReads, s.Refills, s.Faults, s.Cycles)
}

// MMU is the memory-management unit of one CPU: it turns the virtual
// addresses a program issues into physical addresses, through its TLB first
// and, on a miss, through the current page table, and it enforces the
// permissions the translation carries.
//
// The MMU owns no page table: the operating system keeps one per process
// (its root's physical address lives in the process control block) and
// hands it over with LoadCR3 on a context switch. The TLB is per-CPU
// hardware, tagged with PCIDs; it is never saved in a process.
//
// Postconditions of Translate(va, a), for every implementation:
//   - [rule:05.non-canonical] A va that is not canonical for the geometry
//     (sign-extended from bit VABits-1 where the geometry says so, zero
//     above VABits otherwise) fails with a *Fault of kind
//     FaultNonCanonical, code 0 and level 0; nothing is looked up, nothing
//     changes but the counters.
//   - [rule:05.no-page-table] Before the first LoadCR3, or after LoadCR3
//     with a nil root, Translate fails with an error wrapping
//     ErrNoPageTable (not a *Fault) and looks nothing up.
//   - [rule:05.translate] On success, the returned address is the frame of
//     the page containing va (4 KiB, 2 MiB or 1 GiB) plus va's offset in
//     that page, as the page table maps it (provided the operating system
//     flushed the TLB after changing the table).
//   - [rule:05.permission] Success means the translation allowed a: user
//     accesses need PermUser, writes PermWrite (supervisor writes too, as
//     with CR0.WP set), fetches PermExec. Otherwise a present page raises a
//     protection fault.
//   - [rule:05.accessed] After a success every entry on the walk has
//     Accessed set.
//   - [rule:05.dirty] A successful write sets Dirty in the leaf; a read or a
//     fetch does not.
//   - [rule:05.tlb-fill] After a success the TLB holds the translation,
//     tagged with the current PCID (0 while PCIDs are off), for the whole
//     page (its base and size), with the walk's permissions, Dirty equal to
//     the leaf's D bit and Global equal to its G bit.
//   - [rule:05.tlb-hit] A TLB hit is checked against the entry's own
//     permissions and reads no page-table entry.
//   - [rule:05.clean-write] A write through an entry whose Dirty is false
//     is not a plain hit: the hardware walker walks once more to set D, the
//     software-managed MMU calls Refill; either way the entry is cached
//     again with Dirty set.
//   - [rule:05.fault-fields] On a fault, the error is a *Fault with Addr va,
//     Access a and the kind (errors.Is matches ErrNotPresent,
//     ErrProtection, ErrReservedBit or ErrNonCanonical).
//   - [rule:05.error-code] Its x86 error code has P iff a protection
//     violation on a present page or a reserved bit; W iff a write; U iff
//     user mode; RSVD iff a reserved bit; I iff a fetch on a geometry with
//     NX, i.e. 8-byte entries.
//   - [rule:05.fault-level] Its Level is the level of the entry where the
//     walk stopped (4 for a missing PML4 entry of x86-64, 1 for a leaf), or
//     0 if the fault came from a TLB entry without a walk.
//   - [rule:05.reserved-bit] An entry with a reserved bit set (such as PS in
//     a PML4 entry) faults with kind FaultReservedBit at that entry's level.
//   - [rule:05.fault-clean] A fault sets no Accessed or Dirty bit and leaves
//     no entry for va in the TLB: a cached entry that denied the access is
//     dropped.
//   - [rule:05.part-error] An error from a part that is not a fault (the
//     page table's Walk or MarkAccessed, the TLB's Insert) fails the
//     translation with an error that wraps it (not a *Fault), and caches no
//     new entry for va.
//
// No method panics on bad input. An MMU is not safe for concurrent use:
// one CPU drives it.
type MMU interface {
	// LoadCR3 makes root the current page table, what a context switch
	// does by writing root.Root() into CR3. A nil root unloads the table.
	//   - [rule:05.cr3-no-pcid] With PCIDs disabled it flushes every
	//     non-global TLB entry (the global ones survive), and translations
	//     use ASID 0: pcid and noFlush are ignored.
	//   - [rule:05.cr3-pcid] With PCIDs enabled translations use pcid; the
	//     entries of pcid that are not global are flushed unless noFlush is
	//     set (bit 63 of the CR3 value); global entries and the entries of
	//     other PCIDs are kept.
	LoadCR3(root PageTable, pcid ASID, noFlush bool)
	// SetPCID enables or disables PCIDs (x86's CR4.PCIDE).
	// [rule:05.set-pcid] Turning PCIDs off while they are on flushes the
	// whole TLB, global entries included; any other call flushes nothing;
	// either way the current PCID becomes 0.
	SetPCID(enabled bool)
	// Translate translates va for access a, as described above.
	// An instruction fetch is Translate(va, Access{Kind: Execute, ...}).
	Translate(va VAddr, a Access) (PAddr, error)
	// Load reads len(p) bytes at va into p, with user or supervisor
	// privilege.
	// [rule:05.load] It translates each page the range touches, once per
	// page piece (a 2 MiB page is one piece), as a user or supervisor read;
	// if any piece fails, p is unchanged and the error is that piece's.
	Load(va VAddr, p []byte, user bool) error
	// Store writes p at va, with user or supervisor privilege.
	// [rule:05.store] It translates every page the range touches, as writes,
	// before writing any byte: a fault on a later page writes nothing.
	//
	// [rule:05.access-range] For both, a range that wraps around the end of
	// the address space, or a piece that maps beyond physical memory, fails
	// with an error wrapping ErrOutOfRange and copies nothing.
	Store(va VAddr, p []byte, user bool) error
	// Stats returns the counters.
	Stats() MMUStats
}

//go:build !solution

// Package mmu is exercise 05: the memory-management unit. It turns the
// virtual addresses a program issues into physical ones — TLB first, a
// page walk on a miss — checks permissions, sets the Accessed and Dirty
// bits, raises faults with x86 error codes, and switches address spaces
// through CR3 with or without PCIDs.
//
// Read README.md first, and the contract of vm.MMU in vm/mmu.go: the specs
// hold you to its postconditions. Each rule of the contract, there and
// below, starts with its id in brackets, "rule:05." and a short name; the
// specs labelled with that id check it, and README.md lists them. Run the
// specs with:
//
//	go test ./exercises/05-mmu/
//
// The specs build your MMU from reference parts (physical memory, radix
// page tables, a TLB) through the vm contracts, so this exercise does not
// depend on your solutions to 03 and 04.
package mmu

import (
	"time"

	"github.com/vmkata/vmkata/vm"
)

// MMU is one CPU's memory-management unit. It implements vm.MMU.
type MMU struct {
	// TODO: your fields: the config (geometry, TLB, memory, cost model,
	// software TLB and its Refill handler), the current page table and
	// PCID, whether PCIDs are on, and the statistics.
}

// New returns an MMU for cfg.
//
// [rule:05.new] The MMU has no page table loaded, PCIDs disabled and zero
// Stats. Errors wrap vm.ErrInvalidConfig: a nil TLB or memory, a geometry
// whose split does not add up (or has no level), memory frames that are not
// the geometry's base page size, SoftwareTLB without a Refill handler.
func New(cfg vm.MMUConfig) (*MMU, error) {
	panic("mmu.New not implemented")
}

// LoadCR3 makes root the current page table; see vm.MMU's LoadCR3 for what
// it flushes (rules 05.cr3-no-pcid and 05.cr3-pcid).
func (m *MMU) LoadCR3(root vm.PageTable, pcid vm.ASID, noFlush bool) {
	panic("MMU.LoadCR3 not implemented")
}

// SetPCID enables or disables PCIDs (CR4.PCIDE); see vm.MMU's SetPCID
// (rule 05.set-pcid).
func (m *MMU) SetPCID(enabled bool) {
	panic("MMU.SetPCID not implemented")
}

// Translate translates va for access a: canonical check, TLB lookup with
// the current PCID, on a miss a walk of the current table (or a call of
// cfg.Refill with a software-managed TLB), permission checks, A/D bits, TLB
// fill. See vm.MMU for the postconditions, the fault fields and the cycle
// charges of vm.CostModel, and vm.MMUConfig for the Refill handler.
func (m *MMU) Translate(va vm.VAddr, a vm.Access) (vm.PAddr, error) {
	panic("MMU.Translate not implemented")
}

// Load reads len(p) bytes at va into p with user or supervisor privilege;
// see vm.MMU's Load (rules 05.load and 05.access-range).
func (m *MMU) Load(va vm.VAddr, p []byte, user bool) error {
	panic("MMU.Load not implemented")
}

// Store writes p at va with user or supervisor privilege; see vm.MMU's
// Store (rules 05.store and 05.access-range).
func (m *MMU) Store(va vm.VAddr, p []byte, user bool) error {
	panic("MMU.Store not implemented")
}

// Stats returns the counters (see vm.MMUStats, rule 05.stats, and
// vm.CostModel, rule 05.cost).
func (m *MMU) Stats() vm.MMUStats {
	panic("MMU.Stats not implemented")
}

// EAT returns the effective access time of demand paging.
//
//   - [rule:05.eat] EAT is (1 - p) × mem + p × fault, rounded to the nearest
//     nanosecond. With mem = 200 ns and fault = 8 ms, p = 0.001 gives
//     8199.8 ns, returned as 8.2 µs.
//   - [rule:05.eat-range] Errors wrap vm.ErrOutOfRange: p outside [0, 1]
//     (or NaN), a negative duration.
func EAT(p float64, mem, fault time.Duration) (time.Duration, error) {
	panic("mmu.EAT not implemented")
}

// EATWithTLB returns the effective access time of paging with a TLB and a
// page table of the given number of levels.
//
//   - [rule:05.eat-tlb] EATWithTLB is
//     h × (tlb + mem) + (1 - h) × (tlb + (levels + 1) × mem), rounded to the
//     nearest nanosecond.
//   - [rule:05.eat-tlb-range] Errors wrap vm.ErrOutOfRange: h outside
//     [0, 1] (or NaN), a negative duration, levels < 1, or a result beyond
//     time.Duration's range.
func EATWithTLB(hitRatio float64, tlb, mem time.Duration, levels int) (time.Duration, error) {
	panic("mmu.EATWithTLB not implemented")
}

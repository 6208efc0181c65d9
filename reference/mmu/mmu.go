package mmu

import (
	"fmt"

	"github.com/vmkata/vmkata/vm"
)

// MMU is the reference memory-management unit of one CPU. Build it with
// New; the zero value is not usable.
type MMU struct {
	g     vm.Geometry
	tlb   vm.TLB // owned by the caller, filled and flushed by the MMU
	mem   vm.PhysMem
	cost  vm.CostModel
	soft  bool
	refil func(asid vm.ASID, va vm.VAddr, a vm.Access) error

	// The CPU's registers.
	root     vm.PageTable // the table CR3 points at; nil until LoadCR3
	pcid     vm.ASID      // current PCID; Invariant: 0 when !pcidOn
	pcidOn   bool         // CR4.PCIDE
	nxCode   bool         // the geometry has NX (8-byte entries): fetch faults set ErrCodeI
	highMask vm.VAddr     // bits that must be zero (or, sign-extended, all equal) above VABits-1

	stats vm.MMUStats
}

var _ vm.MMU = (*MMU)(nil)

// New returns an MMU for cfg with no page table loaded and PCIDs disabled.
// Errors wrap vm.ErrInvalidConfig: a nil TLB or memory, a geometry whose
// split does not add up, memory frames that are not the geometry's base
// page size, SoftwareTLB without a Refill handler.
func New(cfg vm.MMUConfig) (*MMU, error) {
	if cfg.TLB == nil {
		return nil, fmt.Errorf("mmu: no TLB: %w", vm.ErrInvalidConfig)
	}
	if cfg.Mem == nil {
		return nil, fmt.Errorf("mmu: no physical memory: %w", vm.ErrInvalidConfig)
	}
	if err := checkGeometry(cfg.Geometry); err != nil {
		return nil, err
	}
	if fs := cfg.Mem.FrameSize(); fs != cfg.Geometry.PageSize() {
		return nil, fmt.Errorf("mmu: memory frames of %v, geometry %v has %v pages: %w",
			fs, cfg.Geometry, cfg.Geometry.PageSize(), vm.ErrInvalidConfig)
	}
	if cfg.SoftwareTLB && cfg.Refill == nil {
		return nil, fmt.Errorf("mmu: a software-managed TLB needs a Refill handler: %w", vm.ErrInvalidConfig)
	}
	g := cfg.Geometry
	m := &MMU{
		g: g, tlb: cfg.TLB, mem: cfg.Mem, cost: cfg.Cost, soft: cfg.SoftwareTLB, refil: cfg.Refill,
		nxCode: g.EntryBytes == 8,
	}
	if g.SignExtended {
		m.highMask = ^vm.VAddr(0) << (g.VABits - 1) // bit VABits-1 and above must be equal
	} else if g.VABits < 64 {
		m.highMask = ^vm.VAddr(0) << g.VABits // bits VABits and above must be zero
	}
	return m, nil
}

// checkGeometry checks the invariant vm.Geometry states: 1..MaxLevels
// levels of at least one index bit each, 4- or 8-byte entries, a split that
// adds up to VABits, at most 64 bits (fewer when sign-extended), and one
// table per frame.
func checkGeometry(g vm.Geometry) error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("mmu: geometry %v: "+format+": %w", append([]any{g}, append(args, vm.ErrInvalidConfig)...)...)
	}
	if g.Levels < 1 || g.Levels > vm.MaxLevels {
		return bad("%d levels, want 1..%d", g.Levels, vm.MaxLevels)
	}
	entryShift := uint(3)
	switch g.EntryBytes {
	case 4:
		entryShift = 2
	case 8:
	default:
		return bad("%d-byte entries, want 4 or 8", g.EntryBytes)
	}
	if g.OffsetBits < 1 || g.OffsetBits > 32 {
		return bad("%d offset bits, want 1..32", g.OffsetBits)
	}
	total := uint(g.OffsetBits)
	for i := range int(g.Levels) {
		b := uint(g.LevelBits[i])
		if b < 1 || b+entryShift > uint(g.OffsetBits) {
			return bad("level %d has %d index bits, want 1..%d so that a table fits in a page", int(g.Levels)-i, b, uint(g.OffsetBits)-entryShift)
		}
		total += b
	}
	if total != uint(g.VABits) {
		return bad("offset and index bits add up to %d, want VABits = %d", total, g.VABits)
	}
	if g.VABits > 64 || (g.SignExtended && g.VABits >= 64) {
		return bad("%d virtual-address bits, want at most 64 (63 when sign-extended)", g.VABits)
	}
	return nil
}

// LoadCR3 implements a write to CR3: root becomes the current page table.
// With PCIDs disabled, pcid and noFlush are ignored, translations use ASID
// 0, and every non-global TLB entry is flushed (the global ones, the
// kernel's, survive). With PCIDs enabled, translations use pcid and the
// non-global entries tagged pcid are flushed unless noFlush (CR3 bit 63)
// is set; entries of every other PCID stay, isolated by their tag. x86
// PCIDs have 12 bits; the model accepts any vm.ASID.
func (m *MMU) LoadCR3(root vm.PageTable, pcid vm.ASID, noFlush bool) {
	m.root = root
	if !m.pcidOn {
		m.pcid = 0
		m.tlb.FlushNonGlobal()
		return
	}
	m.pcid = pcid
	if !noFlush {
		m.tlb.FlushASID(pcid)
	}
}

// SetPCID implements setting or clearing x86's CR4.PCIDE. Clearing it
// flushes the whole TLB, global entries included, as the Intel SDM
// specifies; setting it flushes nothing (x86 allows it only while the
// current PCID is 0, so the entries cached so far are already tagged 0).
// Either way the current PCID becomes 0.
func (m *MMU) SetPCID(enabled bool) {
	if m.pcidOn && !enabled {
		m.tlb.FlushAll()
	}
	m.pcidOn = enabled
	m.pcid = 0
}

// Stats returns the counters.
func (m *MMU) Stats() vm.MMUStats { return m.stats }

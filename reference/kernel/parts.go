package kernel

import (
	"fmt"
	"iter"
	"slices"

	"github.com/vmkata/vmkata/reference/mmu"
	"github.com/vmkata/vmkata/reference/pagetable"
	"github.com/vmkata/vmkata/reference/replace"
	"github.com/vmkata/vmkata/reference/tlb"
	"github.com/vmkata/vmkata/vm"
)

// defaultParts fills the part constructors cfg leaves nil with the
// reference's: a radix page table, the TLB, the MMU and the policies of
// package replace (tuned by cfg.PolicyOptions).
func defaultParts(cfg *Config) {
	if cfg.NewPageTable == nil {
		cfg.NewPageTable = func(g vm.Geometry, mem vm.PhysMem, frames vm.FrameAllocator) (vm.PageTable, error) {
			return pagetable.NewRadix(g, mem, frames)
		}
	}
	if cfg.NewTLB == nil {
		cfg.NewTLB = func(c vm.TLBConfig) (vm.TLB, error) { return tlb.New(c) }
	}
	if cfg.NewMMU == nil {
		cfg.NewMMU = func(c vm.MMUConfig) (vm.MMU, error) { return mmu.New(c) }
	}
	if cfg.NewPolicy == nil {
		opts := cfg.PolicyOptions
		cfg.NewPolicy = func(name string, frames int) (vm.Policy, error) { return replace.New(name, frames, opts) }
	}
}

// table is a process's page table as the kernel holds it: the
// vm.PageTable Config.NewPageTable built, which the kernel maps, unmaps
// and protects through and the MMU walks, and the table frames it took
// from the kernel's page-table pool, which the kernel counts and takes
// back when the process goes. For its own look-ups (Walk, Mappings) the
// kernel reads the tree from memory, as Linux walks its page tables in
// software: the format the MMU walks, see pagetable.Radix.
type table struct {
	vm.PageTable
	k    *Kernel
	read *pagetable.Reader // the tree at the table's root
	// held are the table frames the page table holds. Invariant: each was
	// allocated from k.tables and not freed since.
	held map[vm.PFN]bool
}

// newTable builds an empty page table for a new process.
func (k *Kernel) newTable() (*table, error) {
	t := &table{k: k, held: map[vm.PFN]bool{}}
	pt, err := k.cfg.NewPageTable(k.geo, k.mem, tableFrames{t})
	if err == nil && pt == nil {
		err = fmt.Errorf("kernel: NewPageTable returned no table and no error: %w", vm.ErrInvalidConfig)
	}
	if err != nil {
		t.Free()
		return nil, err
	}
	t.PageTable = pt
	if t.read, err = pagetable.NewReader(k.geo, k.mem, pt.Root()); err != nil {
		t.Free()
		return nil, err
	}
	return t, nil
}

// tableFrames is the vm.FrameAllocator a process's page table takes its
// frames from: the kernel's page-table pool, recording what it holds.
type tableFrames struct{ t *table }

func (f tableFrames) Alloc() (vm.PFN, error) {
	pfn, err := f.t.k.tables.Alloc()
	if err == nil {
		f.t.held[pfn] = true
	}
	return pfn, err
}

func (f tableFrames) Free(pfn vm.PFN) error {
	if !f.t.held[pfn] {
		return fmt.Errorf("kernel: the page table frees %v, a frame it does not hold: %w", pfn, vm.ErrInvalidFrame)
	}
	delete(f.t.held, pfn)
	return f.t.k.tables.Free(pfn)
}

func (f tableFrames) FreeFrames() int { return f.t.k.tables.FreeFrames() }

// Walk walks the table in memory.
func (t *table) Walk(va vm.VAddr) (vm.Walk, error) { return t.read.Walk(va) }

// Mappings lists every present mapping of the table, in address order,
// read from memory.
func (t *table) Mappings() iter.Seq[vm.Mapping] { return t.read.Mappings() }

// Free gives every table frame back: through the page table's own Free
// when it has one (the reference's), then whatever it still holds, in
// frame order.
func (t *table) Free() {
	if f, ok := t.PageTable.(interface{ Free() error }); ok {
		_ = f.Free()
	}
	for _, pfn := range slices.Sorted(func(yield func(vm.PFN) bool) {
		for pfn := range t.held {
			if !yield(pfn) {
				return
			}
		}
	}) {
		_ = t.k.tables.Free(pfn)
	}
	clear(t.held)
}

// TablePages is the number of table frames the table holds.
func (t *table) TablePages() int { return len(t.held) }

// TableBytes is the memory those frames take.
func (t *table) TableBytes() uint64 { return uint64(len(t.held)) * t.k.pageSize }

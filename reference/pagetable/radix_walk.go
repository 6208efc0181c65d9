package pagetable

import (
	"fmt"
	"iter"

	"github.com/vmkata/vmkata/vm"
)

// path is what a descent from the root read: the address and value of each
// entry, root level first. It is a fixed-size value: descending allocates
// nothing.
type path struct {
	levels int // the geometry's number of levels
	n      int // entries read
	addr   [vm.MaxLevels]vm.PAddr
	entry  [vm.MaxLevels]vm.PTE
	size   vm.PageSize // size of the page the leaf maps; 0 if none
	perm   vm.Perm     // intersection of every entry's permission
}

// level returns the level of the i-th entry read (the root is g.Levels).
func (p *path) level(i int) int { return p.levels - i }

// present reports whether the descent ended at a present leaf.
func (p *path) present() bool { return p.size != 0 }

// descend is the page walk: starting at the root table, it reads the entry
// va selects at each level, stops at a non-present entry or at a leaf (level
// 1, or PS set), and checks every present entry for reserved bits. It
// returns what it read even when it fails (vm.ErrNonCanonical before any
// read, vm.ErrReservedBit after reading the offending entry, vm.ErrOutOfRange
// if an entry points outside memory).
func (t *Radix) descend(op string, va vm.VAddr) (path, error) {
	p := path{levels: t.l.levels}
	if err := t.l.checkVA(op, va); err != nil {
		return p, err
	}
	table := t.root
	perm := vm.PermRead | vm.PermWrite | vm.PermExec | vm.PermUser
	for level := t.l.levels; level >= 1; level-- {
		pa := t.entryAddr(table, va, level)
		e, err := t.read(pa)
		if err != nil {
			return p, fmt.Errorf("pagetable: %s %v: reading the level-%d entry: %w", op, va, level, err)
		}
		p.addr[p.n], p.entry[p.n] = pa, e
		p.n++
		if !e.Present() {
			return p, nil
		}
		if err := t.l.checkEntry(op, va, level, pa, e); err != nil {
			return p, err
		}
		perm &= e.Perm()
		if level == 1 || e.Has(vm.PTEHuge) {
			p.size, p.perm = t.l.span(level), perm
			return p, nil
		}
		table = t.tableOf(e)
	}
	return p, nil // unreachable: level 1 always ends the loop
}

// Walk looks va up the way the x86 page walker does, reading one entry per
// level from physical memory, and records each physical address read and the
// entry found there. It stops at the first non-present entry (Steps is the
// number of levels read, so Steps == 2 on x86-64 means the PDPT entry was
// not present) or at a leaf. Size is the leaf's page size and Perm the
// intersection of the permissions of every entry on the path. A missing
// page is not an error. Errors: vm.ErrNonCanonical (nothing read),
// vm.ErrReservedBit (the partial walk up to and including the offending
// entry). Walk allocates nothing.
func (t *Radix) Walk(va vm.VAddr) (vm.Walk, error) {
	w := vm.Walk{VA: va}
	if err := t.usable("walk", va); err != nil {
		return w, err
	}
	p, err := t.descend("walk", va)
	w.Steps, w.Reads, w.Entries, w.Size, w.Perm = p.n, p.addr, p.entry, p.size, p.perm
	return w, err
}

// MarkAccessed does what the hardware walker does to memory on a TLB miss:
// it sets A in every entry on the path to va and, when write is true, D in
// the leaf. Entries already carrying the bits are not rewritten. It returns
// vm.ErrNotMapped if va is not mapped, and allocates nothing.
func (t *Radix) MarkAccessed(va vm.VAddr, write bool) error {
	if err := t.usable("mark accessed", va); err != nil {
		return err
	}
	p, err := t.descend("mark accessed", va)
	if err != nil {
		return err
	}
	if !p.present() {
		return fmt.Errorf("pagetable: mark accessed %v: %w", va, vm.ErrNotMapped)
	}
	for i := range p.n {
		want := p.entry[i] | vm.PTEAccessed
		if write && i == p.n-1 {
			want |= vm.PTEDirty
		}
		if want == p.entry[i] {
			continue
		}
		if err := t.write(p.addr[i], want); err != nil {
			return fmt.Errorf("pagetable: mark accessed %v: %w", va, err)
		}
	}
	return nil
}

// Mappings returns an iterator over every mapping in the table, in
// increasing address order (for x86-64, the lower canonical half before the
// upper one). It reads the tree from memory; it stops early at an entry it
// cannot read or that has a reserved bit. The table must not change during
// the iteration.
func (t *Radix) Mappings() iter.Seq[vm.Mapping] {
	return func(yield func(vm.Mapping) bool) {
		if !t.freed {
			t.visit(t.root, t.l.levels, 0, yield)
		}
	}
}

// visit yields the mappings below the table at table (of the given level),
// whose addresses start with the index bits in base. It returns false when
// the iteration must stop.
func (t *Radix) visit(table vm.PAddr, level int, base uint64, yield func(vm.Mapping) bool) bool {
	for i := range uint64(1) << t.l.bits[level] {
		pa := table + vm.PAddr(i<<t.l.entryShift)
		e, err := t.read(pa)
		if err != nil {
			return false
		}
		if !e.Present() {
			continue
		}
		va := t.l.canon(base | i<<t.l.shift[level])
		if t.l.checkEntry("list", va, level, pa, e) != nil {
			return false
		}
		if level == 1 || e.Has(vm.PTEHuge) {
			if !yield(t.l.mappingOf(va, level, e)) {
				return false
			}
			continue
		}
		if !t.visit(t.tableOf(e), level-1, uint64(va), yield) {
			return false
		}
	}
	return true
}

// Reader reads a radix table that someone else built and keeps, in the
// format described on Radix (what the MMU walks): Walk and Mappings as
// Radix's, reading memory only. A kernel that lets another page table
// stand in for its own follows that table with a Reader.
type Reader struct{ t Radix }

// NewReader returns a Reader of the table of geometry g rooted at root in
// mem. Errors wrap vm.ErrInvalidConfig (bad geometry, nil memory).
func NewReader(g vm.Geometry, mem vm.PhysMem, root vm.PAddr) (*Reader, error) {
	l, err := newLayout(g)
	if err != nil {
		return nil, err
	}
	if mem == nil {
		return nil, fmt.Errorf("pagetable: a reader needs physical memory: %w", vm.ErrInvalidConfig)
	}
	return &Reader{Radix{l: l, mem: mem, root: root}}, nil
}

// Walk is Radix.Walk on the table read.
func (r *Reader) Walk(va vm.VAddr) (vm.Walk, error) { return r.t.Walk(va) }

// Mappings is Radix.Mappings on the table read.
func (r *Reader) Mappings() iter.Seq[vm.Mapping] { return r.t.Mappings() }

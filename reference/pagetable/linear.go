package pagetable

import (
	"fmt"

	"github.com/vmkata/vmkata/vm"
)

// MaxLinearEntries is the largest linear table NewLinear builds: 1<<24
// entries (16 Mi pages, 64 GiB of a 4K-page address space).
const MaxLinearEntries = 1 << 24

// Linear is the single-level page table of the textbook: one entry per
// virtual page, in one flat array indexed by the virtual page number. A
// translation reads exactly one entry, at Root() + vpn*EntryBytes; but the
// array covers the whole virtual address space whether it is used or not,
// so its size is 2^(VABits-OffsetBits) * EntryBytes: 4 MiB per process on
// x86-32, 512 GiB on x86-64. That cost is why multi-level tables exist.
//
// Entries are vm.PTEs in the x86 layout (the low 32 bits for 4-byte
// geometries, so no NX). Linear maps base pages only. The geometry's levels
// are ignored: only VABits, PABits, OffsetBits, EntryBytes and SignExtended
// matter (the index of a sign-extended address is its low VABits bits).
//
// The array is Go memory, not a vm.PhysMem: Root returns 0, the notional
// physical address of its first entry, and Walk reports the addresses the
// array would occupy there. Two Linear tables therefore share the same Root.
//
// A Linear is not safe for concurrent use.
type Linear struct {
	l       layout
	entries []vm.PTE // entries[vpn]; Invariant: len == 2^(VABits-OffsetBits)
}

var _ vm.PageTable = (*Linear)(nil)

// NewLinear returns an empty linear table for g. It refuses (vm.ErrInvalidConfig)
// an invalid geometry and one whose table would have more than
// MaxLinearEntries entries.
func NewLinear(g vm.Geometry) (*Linear, error) {
	l, err := newLayout(g)
	if err != nil {
		return nil, err
	}
	pageBits := uint(g.VABits - g.OffsetBits)
	if pageBits > 24 {
		return nil, fmt.Errorf("pagetable: a linear table for %v needs 2^%d entries (%s of %d-byte entries), more than the 2^24 limit; "+
			"this is why multi-level tables exist: %w", g, pageBits, bytesString(pageBits+l.entryShift), g.EntryBytes, vm.ErrInvalidConfig)
	}
	return &Linear{l: l, entries: make([]vm.PTE, 1<<pageBits)}, nil
}

// bytesString prints 2^shift bytes as e.g. "512 GiB".
func bytesString(shift uint) string {
	units := []string{"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"}
	u := min(shift/10, uint(len(units)-1))
	return fmt.Sprintf("%d %s", uint64(1)<<(shift-10*u), units[u])
}

// Root returns 0, the notional physical address of the array.
func (t *Linear) Root() vm.PAddr { return 0 }

// Geometry returns the geometry the table was built for.
func (t *Linear) Geometry() vm.Geometry { return t.l.g }

// TableBytes returns the size of the array: one entry per virtual page,
// used or not.
func (t *Linear) TableBytes() uint64 { return uint64(len(t.entries)) << t.l.entryShift }

// vpn returns the index of va's entry, or an error if va is not an address
// of the geometry.
func (t *Linear) vpn(op string, va vm.VAddr) (uint64, error) {
	if err := t.l.checkVA(op, va); err != nil {
		return 0, err
	}
	return (uint64(va) >> t.l.g.OffsetBits) & uint64(len(t.entries)-1), nil
}

// Map installs m, a base page. Errors: vm.ErrInvalidConfig for another
// size, vm.ErrNotAligned, vm.ErrOutOfRange (PFN beyond PABits),
// vm.ErrNonCanonical, vm.ErrBadPermission, vm.ErrAlreadyMapped.
func (t *Linear) Map(m vm.Mapping) error {
	if m.Size != t.l.pageSize {
		return fmt.Errorf("pagetable: map %v: a linear table maps only %v pages: %w", m, t.l.pageSize, vm.ErrInvalidConfig)
	}
	_, leaf, err := t.l.checkMapping(m)
	if err != nil {
		return err
	}
	i, _ := t.vpn("map", m.VA)
	if e := t.entries[i]; e.Present() {
		return fmt.Errorf("pagetable: map %v: entry %d holds %v: %w", m, i, e, vm.ErrAlreadyMapped)
	}
	t.entries[i] = leaf
	return nil
}

// Unmap clears the entry of the page containing va and returns the mapping
// it held, or vm.ErrNotMapped.
func (t *Linear) Unmap(va vm.VAddr) (vm.Mapping, error) {
	i, err := t.vpn("unmap", va)
	if err != nil {
		return vm.Mapping{}, err
	}
	e := t.entries[i]
	if !e.Present() {
		return vm.Mapping{}, fmt.Errorf("pagetable: unmap %v: %w", va, vm.ErrNotMapped)
	}
	t.entries[i] = 0
	return t.l.mappingOf(va, 1, e), nil
}

// Protect replaces the permissions of the page containing va, keeping its
// frame and its A, D and G bits. Errors: vm.ErrNotMapped, vm.ErrBadPermission.
func (t *Linear) Protect(va vm.VAddr, perm vm.Perm) error {
	f, err := t.l.leafFlags("protect", va, perm)
	if err != nil {
		return err
	}
	i, err := t.vpn("protect", va)
	if err != nil {
		return err
	}
	e := t.entries[i]
	if !e.Present() {
		return fmt.Errorf("pagetable: protect %v: %w", va, vm.ErrNotMapped)
	}
	t.entries[i] = e&^(vm.PTEWritable|vm.PTEUser|vm.PTENoExec) | f
	return nil
}

// Walk reads the one entry for va, at Root() + vpn*EntryBytes: Steps is
// always 1 (for a valid address), present or not. Errors:
// vm.ErrNonCanonical or vm.ErrOutOfRange for an address outside the
// geometry (nothing read), vm.ErrReservedBit for a frame number beyond
// PABits. Walk allocates nothing.
func (t *Linear) Walk(va vm.VAddr) (vm.Walk, error) {
	w := vm.Walk{VA: va}
	i, err := t.vpn("walk", va)
	if err != nil {
		return w, err
	}
	e := t.entries[i]
	pa := t.Root() + vm.PAddr(i<<t.l.entryShift)
	w.Steps, w.Reads[0], w.Entries[0] = 1, pa, e
	if !e.Present() {
		return w, nil
	}
	if err := t.l.checkEntry("walk", va, 1, pa, e); err != nil {
		return w, err
	}
	w.Size, w.Perm = t.l.pageSize, e.Perm()
	return w, nil
}

// MarkAccessed sets A in the entry for va and, when write is true, D. It
// returns vm.ErrNotMapped if va is not mapped, and allocates nothing.
func (t *Linear) MarkAccessed(va vm.VAddr, write bool) error {
	i, err := t.vpn("mark accessed", va)
	if err != nil {
		return err
	}
	e := t.entries[i]
	if !e.Present() {
		return fmt.Errorf("pagetable: mark accessed %v: %w", va, vm.ErrNotMapped)
	}
	e |= vm.PTEAccessed
	if write {
		e |= vm.PTEDirty
	}
	t.entries[i] = e
	return nil
}

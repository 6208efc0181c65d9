package pagetable

import (
	"fmt"

	"github.com/vmkata/vmkata/vm"
)

// Notional layout of an inverted table in physical memory, used for the
// addresses Walk reports and for TableBytes: the anchor table at Root(), one
// 8-byte slot per hash bucket, followed by the entry array, one
// InvertedEntryBytes entry per frame (an 8-byte tag holding ASID and VPN,
// an 8-byte PTE, an 8-byte chain link).
const (
	InvertedAnchorBytes = 8
	InvertedEntryBytes  = 24
)

// Inverted is the inverted page table (IBM System/38, PowerPC's hashed
// page table, IA-64's VHPT, OSTEP 20.5): one entry per physical frame for
// the whole machine, saying which (ASID, VPN) occupies the frame. The
// index of an entry is the frame number, so a translation searches for
// (ASID, VPN): it hashes the pair into an anchor table whose slots head
// chains of entries, and follows the chain comparing tags.
//
// The trade-off: the table is sized by physical memory (TableBytes grows
// with frames, not with the virtual address space or the number of
// processes: one table for everyone), but a lookup costs a hash and a
// chain of probes instead of a fixed number of reads, and sharing is hard:
// a frame has exactly one entry, so it can be mapped by only one (ASID, VPN)
// (no shared libraries or copy-on-write pages across address spaces without
// extra machinery). Map refuses a second mapping of a mapped frame.
//
// Inverted itself is not a vm.PageTable: Space(asid) returns the view of one
// address space that is. It maps base pages only, and stores each entry's
// flags as a vm.PTE whose frame number is the entry's index.
//
// The entries are Go memory, not a vm.PhysMem; Root returns 0, the notional
// address of the anchor table (see InvertedAnchorBytes). Every Space shares
// it, as PowerPC processes share one hashed table.
//
// An Inverted is not safe for concurrent use.
type Inverted struct {
	l       layout
	entries []invEntry // entries[pfn]
	anchors []int32    // anchors[hash]: first entry of the chain, or -1
	bits    uint       // log2(len(anchors))
	used    int        // entries in use
}

// invEntry is one frame's entry. Invariant: pte.Present() iff the frame is
// mapped, and then the entry is on the chain of hash(asid, vpn).
type invEntry struct {
	asid vm.ASID
	vpn  vm.VPN
	pte  vm.PTE // flags; the frame number is the entry's index
	next int32  // next entry on the chain, or -1 at its end; unused while the entry is free
}

// NewInverted returns an empty inverted table for a machine of frames
// frames of g's base page size. The anchor table has the next power of two
// at or above frames slots, so chains stay short (load factor <= 1). Errors
// wrap vm.ErrInvalidConfig: a bad geometry, frames < 1, more frames than
// PABits can number, or more than MaxLinearEntries.
func NewInverted(g vm.Geometry, frames int) (*Inverted, error) {
	l, err := newLayout(g)
	if err != nil {
		return nil, err
	}
	if frames < 1 || uint64(frames) > l.maxPFN || frames > MaxLinearEntries {
		return nil, fmt.Errorf("pagetable: inverted table of %d frames, want 1..%d for %v: %w",
			frames, min(l.maxPFN, MaxLinearEntries), g, vm.ErrInvalidConfig)
	}
	t := &Inverted{l: l, entries: make([]invEntry, frames)}
	for 1<<t.bits < frames {
		t.bits++
	}
	t.anchors = make([]int32, 1<<t.bits)
	for i := range t.anchors {
		t.anchors[i] = -1
	}
	return t, nil
}

// Root returns 0, the notional physical address of the anchor table.
func (t *Inverted) Root() vm.PAddr { return 0 }

// Frames returns the number of frames (and entries).
func (t *Inverted) Frames() int { return len(t.entries) }

// Len returns the number of mapped frames, across all address spaces.
func (t *Inverted) Len() int { return t.used }

// TableBytes returns the notional size of the table: the anchor slots and
// one entry per frame, whatever the number of processes or mapped pages.
func (t *Inverted) TableBytes() uint64 {
	return uint64(len(t.anchors))*InvertedAnchorBytes + uint64(len(t.entries))*InvertedEntryBytes
}

// hash returns the anchor slot of (asid, vpn): Fibonacci hashing of the
// pair, the top bits of a multiplication by 2^64/φ.
func (t *Inverted) hash(asid vm.ASID, vpn vm.VPN) int {
	if t.bits == 0 {
		return 0
	}
	k := uint64(vpn) ^ uint64(asid)<<48 ^ uint64(asid)
	return int((k * 0x9e37_79b9_7f4a_7c15) >> (64 - t.bits))
}

// entryAddr returns the notional physical address of entry i.
func (t *Inverted) entryAddr(i int32) vm.PAddr {
	return t.Root() + vm.PAddr(uint64(len(t.anchors))*InvertedAnchorBytes+uint64(i)*InvertedEntryBytes)
}

// find follows the chain of (asid, vpn) and returns the matching entry's
// index (or -1), the entry before it on the chain (or -1), and the number of
// entries probed.
func (t *Inverted) find(asid vm.ASID, vpn vm.VPN) (idx, prev int32, probes int) {
	prev = -1
	for i := t.anchors[t.hash(asid, vpn)]; i >= 0; i = t.entries[i].next {
		probes++
		if e := &t.entries[i]; e.asid == asid && e.vpn == vpn {
			return i, prev, probes
		}
		prev = i
	}
	return -1, prev, probes
}

// Probes returns how many entries a lookup of va in asid's space reads: the
// length of the chain walked up to the match, or the whole chain on a miss.
// It changes nothing. Walk records only the first vm.MaxLevels probes.
func (t *Inverted) Probes(asid vm.ASID, va vm.VAddr) int {
	if t.l.checkVA("probe", va) != nil {
		return 0
	}
	_, _, n := t.find(asid, t.vpnOf(va))
	return n
}

// vpnOf returns the virtual page number of va (its low VABits bits).
func (t *Inverted) vpnOf(va vm.VAddr) vm.VPN {
	v := uint64(va)
	if t.l.g.VABits < 64 {
		v &= 1<<t.l.g.VABits - 1
	}
	return vm.VPN(v >> t.l.g.OffsetBits)
}

// Space returns the view of address space asid, a vm.PageTable backed by
// t. Views are cheap values; all of them share t's entries.
func (t *Inverted) Space(asid vm.ASID) vm.PageTable { return invSpace{t: t, asid: asid} }

// invSpace is one address space's view of an Inverted table.
type invSpace struct {
	t    *Inverted
	asid vm.ASID
}

// Root returns the shared table's Root.
func (s invSpace) Root() vm.PAddr { return s.t.Root() }

// Map makes frame m.PFN hold (asid, m.VA). Errors: vm.ErrInvalidConfig for
// a size other than the base page, vm.ErrNotAligned, vm.ErrNonCanonical,
// vm.ErrBadPermission, vm.ErrOutOfRange for a frame the table does not
// have, vm.ErrAlreadyMapped if the page is mapped or the frame is taken
// (by any address space).
func (s invSpace) Map(m vm.Mapping) error {
	t := s.t
	if m.Size != t.l.pageSize {
		return fmt.Errorf("pagetable: map %v: an inverted table maps only %v pages: %w", m, t.l.pageSize, vm.ErrInvalidConfig)
	}
	_, leaf, err := t.l.checkMapping(m)
	if err != nil {
		return err
	}
	if uint64(m.PFN) >= uint64(len(t.entries)) {
		return fmt.Errorf("pagetable: map %v: the table has %d frames: %w", m, len(t.entries), vm.ErrOutOfRange)
	}
	vpn := t.vpnOf(m.VA)
	if i, _, _ := t.find(s.asid, vpn); i >= 0 {
		return fmt.Errorf("pagetable: map %v in %v: the page is mapped to %v: %w", m, s.asid, vm.PFN(i), vm.ErrAlreadyMapped)
	}
	e := &t.entries[m.PFN]
	if e.pte.Present() {
		return fmt.Errorf("pagetable: map %v in %v: the frame holds %v %v: %w", m, s.asid, e.asid, e.vpn, vm.ErrAlreadyMapped)
	}
	h := t.hash(s.asid, vpn)
	*e = invEntry{asid: s.asid, vpn: vpn, pte: leaf, next: t.anchors[h]}
	t.anchors[h] = int32(m.PFN)
	t.used++
	return nil
}

// lookup returns the index of va's entry in this space and the entry before
// it on its chain (-1 at the head), or an error.
func (s invSpace) lookup(op string, va vm.VAddr) (int32, int32, error) {
	if err := s.t.l.checkVA(op, va); err != nil {
		return 0, 0, err
	}
	i, prev, _ := s.t.find(s.asid, s.t.vpnOf(va))
	if i < 0 {
		return 0, 0, fmt.Errorf("pagetable: %s %v in %v: %w", op, va, s.asid, vm.ErrNotMapped)
	}
	return i, prev, nil
}

// Unmap takes the page containing va off its chain, frees its frame's
// entry and returns the mapping, or vm.ErrNotMapped.
func (s invSpace) Unmap(va vm.VAddr) (vm.Mapping, error) {
	t := s.t
	i, prev, err := s.lookup("unmap", va)
	if err != nil {
		return vm.Mapping{}, err
	}
	e := t.entries[i]
	if prev < 0 {
		t.anchors[t.hash(s.asid, e.vpn)] = e.next
	} else {
		t.entries[prev].next = e.next
	}
	t.entries[i] = invEntry{}
	t.used--
	return t.l.mappingOf(va, 1, vm.MakePTE(vm.PFN(i), e.pte)), nil
}

// Protect replaces the permissions of the page containing va.
func (s invSpace) Protect(va vm.VAddr, perm vm.Perm) error {
	f, err := s.t.l.leafFlags("protect", va, perm)
	if err != nil {
		return err
	}
	i, _, err := s.lookup("protect", va)
	if err != nil {
		return err
	}
	e := &s.t.entries[i]
	e.pte = e.pte&^(vm.PTEWritable|vm.PTEUser|vm.PTENoExec) | f
	return nil
}

// Walk hashes (asid, vpn of va) and follows the chain: each entry probed is
// one step, Reads[k] its notional address and Entries[k] its PTE (frame
// number = its index), whoever it belongs to. Only the first vm.MaxLevels
// probes are recorded (Inverted.Probes gives the full count); on a hit the
// last recorded entry is the match. On a miss Present() is false and the
// entries are the other pages probed. Walk allocates nothing.
func (s invSpace) Walk(va vm.VAddr) (vm.Walk, error) {
	t := s.t
	w := vm.Walk{VA: va}
	if err := t.l.checkVA("walk", va); err != nil {
		return w, err
	}
	vpn := t.vpnOf(va)
	for i := t.anchors[t.hash(s.asid, vpn)]; i >= 0; i = t.entries[i].next {
		e := &t.entries[i]
		hit := e.asid == s.asid && e.vpn == vpn
		k := w.Steps
		if k == vm.MaxLevels {
			if !hit {
				continue
			}
			k = vm.MaxLevels - 1 // keep the match as the last step
		} else {
			w.Steps++
		}
		w.Reads[k], w.Entries[k] = t.entryAddr(i), vm.MakePTE(vm.PFN(i), e.pte)
		if hit {
			w.Size, w.Perm = t.l.pageSize, e.pte.Perm()
			return w, nil
		}
	}
	return w, nil
}

// MarkAccessed sets A in the entry for va and, when write is true, D. It
// returns vm.ErrNotMapped if va is not mapped, and allocates nothing.
func (s invSpace) MarkAccessed(va vm.VAddr, write bool) error {
	i, _, err := s.lookup("mark accessed", va)
	if err != nil {
		return err
	}
	e := &s.t.entries[i]
	e.pte |= vm.PTEAccessed
	if write {
		e.pte |= vm.PTEDirty
	}
	return nil
}

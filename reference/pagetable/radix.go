package pagetable

import (
	"fmt"

	"github.com/vmkata/vmkata/vm"
)

// Radix is the multi-level (hierarchical) page table of x86 and of every
// modern MMU: a tree of table pages, each one frame of simulated physical
// memory holding 1<<LevelBits entries of g.EntryBytes bytes. The root is a
// frame whose physical address is Root() (what CR3 holds); each present
// intermediate entry points at the next table; a leaf entry at level 1, or
// one with PS set at level 2 or 3 (a 2 MiB or 1 GiB huge page on x86-64),
// points at the page. A subtree that maps nothing takes no memory at all,
// which is why a sparse 48-bit address space needs kilobytes of table
// instead of the 512 GiB a linear table would.
//
// Entries live in memory, little-endian: 8-byte entries are whole vm.PTEs;
// 4-byte entries (x86-32) are their low 32 bits, so they have no NX bit and
// 20-bit frame numbers. Walk reads them back from memory exactly as a
// hardware walker does, so anything else that writes the frames (a test, a
// learner's kernel) is seen.
//
// Page sizes: the base page everywhere; on 8-byte geometries with at least
// three levels also leaves at level 2 (2 MiB on x86-64) and, below the root,
// level 3 (1 GiB). Geometries with 4-byte entries map base pages only:
// vmkata's x86-32 runs without PSE, so it has no 4 MiB pages.
//
// Entry conventions:
//   - An intermediate entry is P|RW|US (and A once a walk went through it):
//     it allows everything, and permissions are enforced at the leaf. The
//     effective permission of a walk is the intersection of every level's
//     anyway, so this only means the leaf decides. Linux does the same.
//   - A leaf is vm.MakePTE(pfn, P|PermFlags(perm)|PS at level > 1|G if
//     global); Map clears A and D, MarkAccessed sets them.
//   - An empty table page (no present entry) is freed as soon as an Unmap
//     leaves it empty, up to but never including the root.
//
// Ownership: the table owns its table frames, allocated from the
// vm.FrameAllocator given to NewRadix and zeroed before use; it never
// touches the frames its leaves point at (those belong to whoever passed
// them to Map). Free gives every table frame back; afterwards every method
// fails (Root keeps returning the old address).
//
// A Radix is not safe for concurrent use.
type Radix struct {
	l      layout
	mem    vm.PhysMem
	frames vm.FrameAllocator
	root   vm.PAddr // physical address of the root table frame
	pages  int      // table frames held, the root included. Invariant: >= 1 until Free.
	zero   []byte   // one frame of zeroes, to clear new table pages
	freed  bool
}

var _ vm.PageTable = (*Radix)(nil)

// intermediate is the flag set of an entry that points at the next table.
const intermediate = vm.PTEPresent | vm.PTEWritable | vm.PTEUser

// NewRadix returns an empty multi-level table for g whose table pages are
// frames of mem taken from frames. It allocates and zeroes the root table.
// mem's frame size must be g's base page size. Errors wrap
// vm.ErrInvalidConfig (bad geometry, frame size mismatch, nil memory or
// allocator), vm.ErrOutOfMemory (no frame for the root) or vm.ErrOutOfRange
// (the allocator returned a frame outside mem or beyond PABits).
func NewRadix(g vm.Geometry, mem vm.PhysMem, frames vm.FrameAllocator) (*Radix, error) {
	l, err := newLayout(g)
	if err != nil {
		return nil, err
	}
	if mem == nil || frames == nil {
		return nil, fmt.Errorf("pagetable: radix table needs physical memory and a frame allocator: %w", vm.ErrInvalidConfig)
	}
	if mem.FrameSize() != l.pageSize {
		return nil, fmt.Errorf("pagetable: memory frames of %v, geometry %v has %v pages: %w",
			mem.FrameSize(), g, l.pageSize, vm.ErrInvalidConfig)
	}
	t := &Radix{l: l, mem: mem, frames: frames, zero: make([]byte, l.pageSize)}
	root, err := t.newTable(t.l.levels)
	if err != nil {
		return nil, err
	}
	t.root = root
	return t, nil
}

// Root returns the physical address of the root table frame: the value
// the CPU loads into CR3 to use this table.
func (t *Radix) Root() vm.PAddr { return t.root }

// Geometry returns the geometry the table was built for.
func (t *Radix) Geometry() vm.Geometry { return t.l.g }

// TablePages returns the number of table frames the table holds, the root
// included: 1 for an empty table, 0 after Free.
func (t *Radix) TablePages() int { return t.pages }

// TableBytes returns the physical memory spent on the table itself
// (TablePages frames): the overhead a multi-level table keeps small.
func (t *Radix) TableBytes() uint64 { return uint64(t.pages) * uint64(t.l.pageSize) }

// newTable allocates a frame for a table page of the given level, checks
// that an entry can point at it and that it lies in memory, and zeroes it.
// On error nothing is held.
func (t *Radix) newTable(level int) (vm.PAddr, error) {
	pfn, err := t.frames.Alloc()
	if err != nil {
		return 0, fmt.Errorf("pagetable: allocating a level-%d table: %w", level, err)
	}
	pa := vm.PAddr(uint64(pfn) << t.l.g.OffsetBits)
	if uint64(pfn) >= t.l.maxPFN {
		err = fmt.Errorf("pagetable: allocating a level-%d table: %v is beyond %d physical-address bits: %w", level, pfn, t.l.g.PABits, vm.ErrOutOfRange)
	} else if err = t.mem.Write(pa, t.zero); err != nil {
		err = fmt.Errorf("pagetable: clearing the level-%d table %v: %w", level, pfn, err)
	}
	if err != nil {
		_ = t.frames.Free(pfn)
		return 0, err
	}
	t.pages++
	return pa, nil
}

// freeTable gives the table frame at pa back to the allocator.
func (t *Radix) freeTable(pa vm.PAddr) error {
	t.pages--
	if err := t.frames.Free(vm.PFN(uint64(pa) >> t.l.g.OffsetBits)); err != nil {
		return fmt.Errorf("pagetable: freeing table page at %v: %w", pa, err)
	}
	return nil
}

// read returns the entry at pa, 4 or 8 bytes as the geometry says.
func (t *Radix) read(pa vm.PAddr) (vm.PTE, error) {
	if t.l.g.EntryBytes == 4 {
		v, err := t.mem.ReadUint32(pa)
		return vm.PTE(v), err
	}
	v, err := t.mem.ReadUint64(pa)
	return vm.PTE(v), err
}

// write stores e at pa, truncated to the geometry's entry size.
func (t *Radix) write(pa vm.PAddr, e vm.PTE) error {
	if t.l.g.EntryBytes == 4 {
		return t.mem.WriteUint32(pa, uint32(e))
	}
	return t.mem.WriteUint64(pa, uint64(e))
}

// entryAddr returns the address of the entry va selects in the table at
// table, a table of the given level.
func (t *Radix) entryAddr(table vm.PAddr, va vm.VAddr, level int) vm.PAddr {
	return table + vm.PAddr(t.l.index(va, level)<<t.l.entryShift)
}

// tableOf returns the address of the table a present intermediate entry
// points at.
func (t *Radix) tableOf(e vm.PTE) vm.PAddr {
	return vm.PAddr(uint64(e.PFN()) << t.l.g.OffsetBits)
}

func (t *Radix) usable(op string, va vm.VAddr) error {
	if t.freed {
		return fmt.Errorf("pagetable: %s %v: the table was freed: %w", op, va, vm.ErrInvalidConfig)
	}
	return nil
}

// Map installs m: it descends from the root to the level of m.Size,
// allocating and zeroing the missing intermediate tables, and writes the
// leaf. Errors: vm.ErrInvalidConfig for a size the geometry has no leaf for,
// vm.ErrNotAligned for a VA or PFN not aligned to m.Size, vm.ErrOutOfRange
// for a frame beyond PABits, vm.ErrNonCanonical, vm.ErrBadPermission,
// vm.ErrAlreadyMapped if any part of the range is mapped (a huge page
// already covering it, or, for a huge m, a table below it that maps
// something), vm.ErrOutOfMemory if a table page cannot be allocated. A
// failed Map leaves the table as it was: the table pages it allocated are
// freed again.
func (t *Radix) Map(m vm.Mapping) error {
	if err := t.usable("map", m.VA); err != nil {
		return err
	}
	leafLevel, leaf, err := t.l.checkMapping(m)
	if err != nil {
		return err
	}
	var (
		fresh  [vm.MaxLevels]vm.PAddr // tables allocated by this call
		nFresh int
		linked vm.PAddr // the entry of a pre-existing table that now points at fresh[0]
	)
	undo := func(err error) error {
		if nFresh > 0 {
			_ = t.write(linked, 0)
		}
		for i := nFresh - 1; i >= 0; i-- {
			_ = t.freeTable(fresh[i])
		}
		return err
	}
	table := t.root
	for level := t.l.levels; level > leafLevel; level-- {
		pa := t.entryAddr(table, m.VA, level)
		e, err := t.read(pa)
		if err != nil {
			return undo(fmt.Errorf("pagetable: map %v: reading level-%d entry: %w", m.VA, level, err))
		}
		if e.Present() {
			if err := t.l.checkEntry("map", m.VA, level, pa, e); err != nil {
				return undo(err)
			}
			if e.Has(vm.PTEHuge) {
				return undo(fmt.Errorf("pagetable: map %v: inside the %v page at %v: %w",
					m, t.l.span(level), m.VA&^vm.VAddr(t.l.span(level)-1), vm.ErrAlreadyMapped))
			}
			table = t.tableOf(e)
			continue
		}
		next, err := t.newTable(level - 1)
		if err != nil {
			return undo(fmt.Errorf("pagetable: map %v: %w", m, err))
		}
		if nFresh == 0 {
			linked = pa
		}
		fresh[nFresh] = next
		nFresh++
		if err := t.write(pa, vm.MakePTE(vm.PFN(uint64(next)>>t.l.g.OffsetBits), intermediate)); err != nil {
			return undo(fmt.Errorf("pagetable: map %v: linking level-%d table: %w", m, level-1, err))
		}
		table = next
	}
	pa := t.entryAddr(table, m.VA, leafLevel)
	e, err := t.read(pa)
	if err != nil {
		return undo(fmt.Errorf("pagetable: map %v: reading level-%d entry: %w", m.VA, leafLevel, err))
	}
	if e.Present() {
		what := "an existing mapping"
		if leafLevel > 1 && !e.Has(vm.PTEHuge) {
			what = "a table of smaller pages"
		}
		return undo(fmt.Errorf("pagetable: map %v: overlaps %s (level-%d entry %v at %v): %w",
			m, what, leafLevel, e, pa, vm.ErrAlreadyMapped))
	}
	if err := t.write(pa, leaf); err != nil {
		return undo(fmt.Errorf("pagetable: map %v: writing the leaf: %w", m, err))
	}
	return nil
}

// Unmap removes the mapping containing va and returns it, then frees every
// table page the removal left empty, bottom up, clearing the entry that
// pointed at it; the root is never freed. It returns vm.ErrNotMapped if no
// page contains va.
func (t *Radix) Unmap(va vm.VAddr) (vm.Mapping, error) {
	if err := t.usable("unmap", va); err != nil {
		return vm.Mapping{}, err
	}
	p, err := t.descend("unmap", va)
	if err != nil {
		return vm.Mapping{}, err
	}
	if !p.present() {
		return vm.Mapping{}, fmt.Errorf("pagetable: unmap %v: %w", va, vm.ErrNotMapped)
	}
	last := p.n - 1
	m := t.l.mappingOf(va, p.level(last), p.entry[last])
	if err := t.write(p.addr[last], 0); err != nil {
		return vm.Mapping{}, fmt.Errorf("pagetable: unmap %v: clearing the leaf: %w", va, err)
	}
	for i := last; i > 0; i-- {
		table := p.addr[i] &^ vm.PAddr(t.l.pageSize-1)
		empty, err := t.empty(table, p.level(i))
		if err != nil {
			return m, fmt.Errorf("pagetable: unmap %v: %w", va, err)
		}
		if !empty {
			break
		}
		if err := t.write(p.addr[i-1], 0); err != nil {
			return m, fmt.Errorf("pagetable: unmap %v: unlinking the empty table at %v: %w", va, table, err)
		}
		if err := t.freeTable(table); err != nil {
			return m, fmt.Errorf("pagetable: unmap %v: %w", va, err)
		}
	}
	return m, nil
}

// empty reports whether the table at table, of the given level, holds no
// present entry.
func (t *Radix) empty(table vm.PAddr, level int) (bool, error) {
	n := uint64(1) << t.l.bits[level]
	for i := range n {
		e, err := t.read(table + vm.PAddr(i<<t.l.entryShift))
		if err != nil {
			return false, err
		}
		if e.Present() {
			return false, nil
		}
	}
	return true, nil
}

// Protect replaces the permissions of the leaf mapping va, keeping its
// frame and its A, D, PS and G bits. Errors: vm.ErrNotMapped,
// vm.ErrBadPermission.
func (t *Radix) Protect(va vm.VAddr, perm vm.Perm) error {
	if err := t.usable("protect", va); err != nil {
		return err
	}
	f, err := t.l.leafFlags("protect", va, perm)
	if err != nil {
		return err
	}
	p, err := t.descend("protect", va)
	if err != nil {
		return err
	}
	if !p.present() {
		return fmt.Errorf("pagetable: protect %v: %w", va, vm.ErrNotMapped)
	}
	last := p.n - 1
	e := p.entry[last]&^(vm.PTEWritable|vm.PTEUser|vm.PTENoExec) | f
	if err := t.write(p.addr[last], e); err != nil {
		return fmt.Errorf("pagetable: protect %v: %w", va, err)
	}
	return nil
}

// Free gives every table frame, the root included, back to the allocator.
// The frames the leaves point at are not touched. After Free the table must
// not be used: every method but Root, Geometry, TablePages and TableBytes
// returns an error. Free reports the first error the allocator returned
// and keeps freeing the rest; a second Free does nothing.
func (t *Radix) Free() error {
	if t.freed {
		return nil
	}
	t.freed = true
	return t.freeTree(t.root, t.l.levels)
}

// freeTree frees the table at table (of the given level) and every table
// below it.
func (t *Radix) freeTree(table vm.PAddr, level int) error {
	var first error
	if level > 1 {
		for i := range uint64(1) << t.l.bits[level] {
			e, err := t.read(table + vm.PAddr(i<<t.l.entryShift))
			if err == nil && e.Present() && !e.Has(vm.PTEHuge) && uint64(e.PFN()) < t.l.maxPFN {
				err = t.freeTree(t.tableOf(e), level-1)
			}
			if first == nil {
				first = err
			}
		}
	}
	if err := t.freeTable(table); first == nil {
		first = err
	}
	return first
}

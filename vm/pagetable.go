package vm

import "fmt"

// Mapping is one translation a page table holds: the page at VA (of Size
// bytes) maps to the frames starting at PFN with permissions Perm.
//
// Invariant: VA and the physical address of PFN are both multiples of Size.
type Mapping struct {
	VA     VAddr    // first address of the page
	PFN    PFN      // first frame of the page, in base-page frames
	Size   PageSize // the base page size, or a huge size the geometry supports
	Perm   Perm     // what the leaf entry allows
	Global bool     // the G bit: survives TLB flushes of non-global entries
}

// String prints e.g. "0x400000 -> pfn 0x2a (4K rw-u)" with " G" for global.
func (m Mapping) String() string {
	g := ""
	if m.Global {
		g = " G"
	}
	return fmt.Sprintf("%v -> %v (%v %v%s)", m.VA, m.PFN, m.Size, m.Perm, g)
}

// Walk records one page-table walk: every entry read, from the root level
// down to the entry where the walk stopped (a leaf, or an entry that was not
// present). It is a fixed-size value, so a walk allocates nothing.
type Walk struct {
	VA      VAddr
	Steps   int              // number of entries read; Reads[:Steps] and Entries[:Steps] are valid
	Reads   [MaxLevels]PAddr // physical address of each entry read, root level first
	Entries [MaxLevels]PTE   // the entry found at each of those addresses
	Size    PageSize         // size of the page the leaf maps; 0 if the walk found no page
	Perm    Perm             // effective permission: what every entry on the path allows; 0 if no page
}

// Present reports whether the walk ended at a present leaf entry.
func (w Walk) Present() bool { return w.Size != 0 }

// Leaf returns the last entry read (the leaf, or the non-present entry that
// stopped the walk); the zero PTE if nothing was read.
func (w Walk) Leaf() PTE {
	if w.Steps == 0 {
		return 0
	}
	return w.Entries[w.Steps-1]
}

// String prints the walk one step a line, the way a learner traces it by
// hand: "L4 [0x1000] PTE{…}".
func (w Walk) String() string {
	s := fmt.Sprintf("walk %v:", w.VA)
	for i := 0; i < w.Steps && i < MaxLevels; i++ {
		s += fmt.Sprintf(" [%v]=%v", w.Reads[i], w.Entries[i])
	}
	if w.Present() {
		s += fmt.Sprintf(" => %v page %v", w.Size, w.Perm)
	} else {
		s += " => not present"
	}
	return s
}

// PageTable is one address space's map from virtual pages to frames: a
// linear array, a radix tree in physical memory, or a view of an inverted
// table. The MMU translates through it; the kernel edits it.
//
// Addresses passed to Unmap, Protect, Walk and MarkAccessed may point
// anywhere inside a page. Implementations return errors wrapping the vm
// sentinels, naming the address: ErrNotAligned, ErrAlreadyMapped,
// ErrNotMapped, ErrOutOfRange or ErrNonCanonical for bad input,
// ErrOutOfMemory when a table page cannot be allocated, ErrBadPermission for
// an inexpressible Perm. A failed call changes nothing.
type PageTable interface {
	// Map installs m. It fails if any part of m's range is already mapped.
	Map(m Mapping) error
	// Unmap removes the mapping containing va and returns it. A radix table
	// frees intermediate table pages left empty.
	Unmap(va VAddr) (Mapping, error)
	// Protect replaces the permissions of the mapping containing va.
	Protect(va VAddr, perm Perm) error
	// Walk looks va up the way the hardware walker does and records what it
	// read. A missing page is not an error: the Walk reports !Present().
	// A reserved bit found set on the path returns the partial Walk and an
	// error wrapping ErrReservedBit.
	Walk(va VAddr) (Walk, error)
	// MarkAccessed sets the Accessed bit in every entry of the walk for va
	// and, when write is true, the Dirty bit in the leaf: what an x86 page
	// walker does to memory on a TLB miss. It returns ErrNotMapped if va is
	// not mapped.
	MarkAccessed(va VAddr, write bool) error
	// Root returns the physical address the CPU loads into its page-table
	// base register (CR3 on x86) to use this table.
	Root() PAddr
}

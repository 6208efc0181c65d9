package vm

import "fmt"

// TLBEntry is one cached translation.
//
// Invariant: VA is aligned to Size; PFN is the first base frame of the page.
type TLBEntry struct {
	ASID   ASID     // owner address space; ignored for matching when Global
	VA     VAddr    // first address of the page
	Size   PageSize // 4K, 2M or 1G (or the geometry's base page)
	PFN    PFN      // first frame of the page
	Perm   Perm     // effective permission from the walk
	Global bool     // matches every ASID and survives FlushASID and FlushNonGlobal
	Dirty  bool     // the leaf PTE's D bit was set when cached: a write through a clean entry must walk again to set D
}

// String prints e.g. "asid 1 0x400000 -> pfn 0x2a (4K rw-u D)".
func (e TLBEntry) String() string {
	flags := ""
	if e.Global {
		flags += " G"
	}
	if e.Dirty {
		flags += " D"
	}
	owner := e.ASID.String()
	if e.Global {
		owner = "global"
	}
	return fmt.Sprintf("%s %v -> %v (%v %v%s)", owner, e.VA, e.PFN, e.Size, e.Perm, flags)
}

// TLBConfig sizes a set-associative TLB. Entries/Ways sets of Ways entries
// each; Ways == Entries is fully associative, Ways == 1 direct-mapped.
type TLBConfig struct {
	Entries int // total entries, > 0
	Ways    int // entries per set, > 0, divides Entries
}

// String prints e.g. "64 entries, 4-way".
func (c TLBConfig) String() string {
	return fmt.Sprintf("%d entries, %d-way", c.Entries, c.Ways)
}

// TLBStats counts what a TLB did since it was made.
type TLBStats struct {
	Hits      uint64 // Lookups that found an entry
	Misses    uint64 // Lookups that did not
	Inserts   uint64 // Insert calls that succeeded
	Evictions uint64 // valid entries pushed out by an Insert
	Flushes   uint64 // Flush* calls, of any kind
}

// HitRatio returns Hits / (Hits + Misses), or 0 before any lookup.
func (s TLBStats) HitRatio() float64 {
	if s.Hits+s.Misses == 0 {
		return 0
	}
	return float64(s.Hits) / float64(s.Hits+s.Misses)
}

// TLB is a translation lookaside buffer: a small cache of translations
// tagged with the address space they belong to.
//
// An entry matches a lookup (asid, va) when va lies in [VA, VA+Size) and
// either the entry is Global or its ASID equals asid. Implementations must
// never hold two entries that match the same lookup.
type TLB interface {
	// Lookup returns the entry matching (asid, va) and counts a hit, or
	// reports false and counts a miss. A hit makes the entry most recently
	// used in its set.
	Lookup(asid ASID, va VAddr) (TLBEntry, bool)
	// Peek is Lookup without side effects: no statistics, no recency update.
	Peek(asid ASID, va VAddr) (TLBEntry, bool)
	// Insert caches e, replacing any entry that matches the same lookup as
	// e; if e's set is full, the least recently used entry of the set is
	// evicted. It returns an error wrapping ErrInvalidConfig for a size the
	// TLB does not hold, or ErrNotAligned if e.VA is not aligned to e.Size.
	Insert(e TLBEntry) error
	// FlushAll drops every entry, global ones included.
	FlushAll()
	// FlushNonGlobal drops every non-global entry: what loading CR3 does on
	// x86 when PCIDs are off.
	FlushNonGlobal()
	// FlushASID drops the non-global entries tagged asid.
	FlushASID(asid ASID)
	// FlushPage drops the entries that match (asid, va), global ones
	// included: x86's INVLPG.
	FlushPage(asid ASID, va VAddr)
	// Len returns the number of valid entries.
	Len() int
	// Stats returns the counters.
	Stats() TLBStats
}

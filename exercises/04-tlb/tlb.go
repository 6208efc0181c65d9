//go:build !solution

// Package tlb is exercise 04: a set-associative translation lookaside
// buffer (TLB) with ASID tags, global entries, pages of several sizes,
// per-set LRU replacement and the four flushes an operating system uses.
//
// Read README.md first. Run the specs with:
//
//	go test ./exercises/04-tlb/
//
// Your TLB implements vm.TLB; the comments below are its contract, and the
// specs hold you to every sentence of it.
package tlb

import "github.com/vmkata/vmkata/vm"

// TLB is a set-associative TLB: Entries/Ways sets of Ways entries each.
//
// An entry of page size S covering va lives in set (va >> log2(S)) % sets.
// An entry matches a lookup (asid, va) when va lies in [VA, VA+Size) and the
// entry is Global or tagged asid. No two entries may ever match the same
// lookup.
type TLB struct {
	// TODO: your fields. A slice of ways (valid flag, entry, last-used time)
	// plus a counter that ticks on every Insert and Lookup hit is enough.
}

// New returns an empty TLB of cfg.Entries entries in cfg.Entries/cfg.Ways
// sets. It returns an error wrapping vm.ErrInvalidConfig when Entries or
// Ways is not positive, Ways does not divide Entries, or the number of sets
// is not a power of two.
func New(cfg vm.TLBConfig) (*TLB, error) {
	panic("tlb.New not implemented")
}

// Lookup returns the entry matching (asid, va) and counts a hit, making the
// entry the most recently used of its set; or it reports false and counts
// a miss.
func (t *TLB) Lookup(asid vm.ASID, va vm.VAddr) (vm.TLBEntry, bool) {
	panic("TLB.Lookup not implemented")
}

// Peek is Lookup without side effects: it counts nothing and leaves the
// recency order alone.
func (t *TLB) Peek(asid vm.ASID, va vm.VAddr) (vm.TLBEntry, bool) {
	panic("TLB.Peek not implemented")
}

// Insert caches e as the most recently used entry of its set.
//
// It first drops every entry that shares a lookup with e (its page overlaps
// e's page, and it is global, or e is global, or both carry the same ASID):
// those are replacements, not evictions. Then, if e's set has a free way, e
// takes the lowest-numbered one; otherwise the least recently used entry of
// the set is evicted (counted in Stats().Evictions).
//
// It returns an error wrapping vm.ErrInvalidConfig if e.Size is not a power
// of two, or vm.ErrNotAligned if e.VA is not a multiple of e.Size; a
// rejected Insert changes nothing.
func (t *TLB) Insert(e vm.TLBEntry) error {
	panic("TLB.Insert not implemented")
}

// FlushAll drops every entry, global ones included.
func (t *TLB) FlushAll() {
	panic("TLB.FlushAll not implemented")
}

// FlushNonGlobal drops every non-global entry: what loading CR3 does on x86
// when PCIDs are off.
func (t *TLB) FlushNonGlobal() {
	panic("TLB.FlushNonGlobal not implemented")
}

// FlushASID drops the non-global entries tagged asid.
func (t *TLB) FlushASID(asid vm.ASID) {
	panic("TLB.FlushASID not implemented")
}

// FlushPage drops the entry matching (asid, va), global or not: x86's
// INVLPG.
func (t *TLB) FlushPage(asid vm.ASID, va vm.VAddr) {
	panic("TLB.FlushPage not implemented")
}

// Len returns the number of valid entries.
func (t *TLB) Len() int {
	panic("TLB.Len not implemented")
}

// Stats returns the counters: hits and misses of Lookup, successful
// Inserts, evictions, and flushes of every kind (each Flush call counts
// one, whether or not it dropped anything).
func (t *TLB) Stats() vm.TLBStats {
	panic("TLB.Stats not implemented")
}

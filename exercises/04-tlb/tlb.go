//go:build !solution

// Package tlb is exercise 04: a set-associative translation lookaside
// buffer (TLB) with ASID tags, global entries, pages of several sizes,
// per-set LRU replacement and the four flushes an operating system uses.
//
// Read README.md first. Run the specs with:
//
//	go test ./exercises/04-tlb/
//
// Your TLB implements vm.TLB; the comments below are its contract. Each
// rule starts with its id in brackets; the specs labelled with that id
// check it.
package tlb

import "github.com/vmkata/vmkata/vm"

// TLB is a set-associative TLB: Entries/Ways sets of Ways entries each.
//
// [rule:04.set-index] An entry of page size S covering va lives in set
// (va >> log2(S)) % sets, and competes for a way only with the entries of
// that set.
// [rule:04.match] An entry matches a lookup (asid, va) when va lies in
// [VA, VA+Size), up to the top of the address space, and the entry is Global
// or tagged asid.
// [rule:04.no-double-match] No two entries may ever match the same lookup.
// [rule:04.flush-keeps-order] No flush changes the recency order of the
// entries it keeps.
type TLB struct {
	// TODO: your fields. A slice of ways (valid flag, entry, last-used time)
	// plus a counter that ticks on every Insert and Lookup hit is enough.
}

// New returns a TLB built from cfg.
//
// [rule:04.new] The TLB is empty (Len 0, zero Stats) and has cfg.Entries
// entries in cfg.Entries/cfg.Ways sets.
// [rule:04.new-invalid] New returns an error wrapping vm.ErrInvalidConfig
// when Entries or Ways is not positive, Ways does not divide Entries, or the
// number of sets is not a power of two.
func New(cfg vm.TLBConfig) (*TLB, error) {
	panic("tlb.New not implemented")
}

// Lookup is the probe the MMU makes on every memory reference.
//
// [rule:04.lookup-hit] On a hit Lookup returns the matching entry and true,
// counts a hit, and makes the entry the most recently used of its set.
// [rule:04.lookup-miss] On a miss Lookup returns the zero vm.TLBEntry and
// false, and counts a miss.
// [rule:04.entry-kept] Lookup and Peek return an entry exactly as it was
// inserted, every field included (Perm, Dirty, and the ASID of a global
// entry).
func (t *TLB) Lookup(asid vm.ASID, va vm.VAddr) (vm.TLBEntry, bool) {
	panic("TLB.Lookup not implemented")
}

// Peek looks without touching.
//
// [rule:04.peek] Peek returns what Lookup would, but counts nothing and
// leaves the recency order alone.
func (t *TLB) Peek(asid vm.ASID, va vm.VAddr) (vm.TLBEntry, bool) {
	panic("TLB.Peek not implemented")
}

// Insert caches e.
//
// [rule:04.insert-replaces] Insert first drops every entry that shares a
// lookup with e (its page overlaps e's page, and it is global, or e is
// global, or both carry the same ASID): those are replacements, not
// evictions.
// [rule:04.insert-fills] If e's set then has a free way, e takes it and
// nothing is evicted.
// [rule:04.insert-evicts-lru] Otherwise the least recently used entry of
// the set is evicted, counted in Stats().Evictions, and e takes its place.
// [rule:04.insert-mru] The inserted entry is the most recently used of its
// set.
// [rule:04.insert-invalid] Insert returns an error wrapping
// vm.ErrInvalidConfig if e.Size is not a power of two, or vm.ErrNotAligned
// if e.VA is not a multiple of e.Size; a rejected Insert changes nothing,
// not even the statistics.
func (t *TLB) Insert(e vm.TLBEntry) error {
	panic("TLB.Insert not implemented")
}

// [rule:04.flush-all] FlushAll drops every entry, global ones included.
func (t *TLB) FlushAll() {
	panic("TLB.FlushAll not implemented")
}

// [rule:04.flush-non-global] FlushNonGlobal drops every non-global entry,
// of every ASID, and keeps the global ones: what loading CR3 does on x86
// when PCIDs are off.
func (t *TLB) FlushNonGlobal() {
	panic("TLB.FlushNonGlobal not implemented")
}

// [rule:04.flush-asid] FlushASID drops the non-global entries tagged asid;
// a global entry survives, even one whose ASID field equals asid.
func (t *TLB) FlushASID(asid vm.ASID) {
	panic("TLB.FlushASID not implemented")
}

// [rule:04.flush-page] FlushPage drops the entry matching (asid, va),
// global or not, and only that one: x86's INVLPG.
func (t *TLB) FlushPage(asid vm.ASID, va vm.VAddr) {
	panic("TLB.FlushPage not implemented")
}

// [rule:04.len] Len returns the number of valid entries.
func (t *TLB) Len() int {
	panic("TLB.Len not implemented")
}

// [rule:04.stats] Stats returns the counters: hits and misses of Lookup,
// successful Inserts, evictions, and flushes of every kind, each Flush call
// counting one whether or not it dropped anything.
func (t *TLB) Stats() vm.TLBStats {
	panic("TLB.Stats not implemented")
}

package tlb

import (
	"fmt"
	"math/bits"

	"github.com/vmkata/vmkata/vm"
)

// MaxEntries is the largest TLB New builds. Real TLBs hold tens to a few
// thousand entries; the cap keeps a mistyped size from exhausting memory.
const MaxEntries = 1 << 20

// tag is the part of a way that a lookup compares, as the tag RAM of a
// hardware TLB. Tags are kept apart from the entries they describe so that
// a 4-way set's tags fit in one 64-byte cache line.
type tag struct {
	va    vm.VAddr // the entry's VA, its page-aligned base
	asid  vm.ASID
	shift uint8 // log2 of the entry's Size
	flags uint8 // tagValid, tagGlobal
}

const (
	tagValid  = 1 << iota // the way holds an entry
	tagGlobal             // the entry is global: it matches every ASID
)

// matches reports whether a valid way with this tag, holding a page of size
// 1<<shift at base, answers a lookup by asid.
func (g *tag) matches(asid vm.ASID, base vm.VAddr, shift uint8) bool {
	return g.va == base && g.shift == shift && g.flags&tagValid != 0 && (g.flags&tagGlobal != 0 || g.asid == asid)
}

// TLB is a set-associative translation lookaside buffer with per-set true
// LRU replacement, ASID tags, global entries and entries of any power-of-two
// page size. It implements vm.TLB.
//
// An entry matches a lookup (asid, va) when va lies in [VA, VA+Size) and the
// entry is global or tagged asid. Invariant: no two valid entries match the
// same lookup; Insert keeps it by replacing (see Insert).
//
// The zero value is not usable; use New.
type TLB struct {
	cfg     vm.TLBConfig
	ways    int
	setMask uint64 // sets-1; sets is a power of two
	clock   uint64 // recency clock, advanced on every Insert and Lookup hit
	n       int    // valid ways. Invariant: n == number of tags with tagValid.

	// Way w of set s is index s*ways+w of the three parallel slices.
	// Invariant: for a valid way i, tags[i] describes entries[i] (va, asid,
	// 1<<shift == Size, tagGlobal == Global), and i/ways is the set of
	// entries[i]. used[i] is the clock at the last Insert or Lookup hit of
	// way i: larger is more recent.
	tags    []tag
	entries []vm.TLBEntry
	used    []uint64

	// perShift[k] counts the valid entries of size 1<<k; shifts[:nShifts]
	// lists, in increasing order, the k with perShift[k] > 0. Lookups probe
	// one set for each of them.
	perShift [64]int
	shifts   [64]uint8
	nShifts  int

	stats vm.TLBStats
}

var _ vm.TLB = (*TLB)(nil)

// New returns an empty TLB of cfg.Entries entries in cfg.Entries/cfg.Ways
// sets. It returns an error wrapping vm.ErrInvalidConfig when Entries or Ways
// is not positive, Entries exceeds MaxEntries, Ways does not divide Entries,
// or the number of sets is not a power of two (the set index is a bit field
// of the virtual page number, so only a power of two of sets can be indexed).
func New(cfg vm.TLBConfig) (*TLB, error) {
	switch {
	case cfg.Entries <= 0:
		return nil, fmt.Errorf("tlb: %d entries: a TLB needs at least one entry: %w", cfg.Entries, vm.ErrInvalidConfig)
	case cfg.Entries > MaxEntries:
		return nil, fmt.Errorf("tlb: %d entries, want at most %d: %w", cfg.Entries, MaxEntries, vm.ErrInvalidConfig)
	case cfg.Ways <= 0:
		return nil, fmt.Errorf("tlb: %d ways: a set needs at least one way: %w", cfg.Ways, vm.ErrInvalidConfig)
	case cfg.Entries%cfg.Ways != 0:
		return nil, fmt.Errorf("tlb: %d entries is not a multiple of %d ways: %w", cfg.Entries, cfg.Ways, vm.ErrInvalidConfig)
	}
	sets := cfg.Entries / cfg.Ways
	if sets&(sets-1) != 0 {
		return nil, fmt.Errorf("tlb: %v gives %d sets, not a power of two (the set index is a bit field of the page number): %w",
			cfg, sets, vm.ErrInvalidConfig)
	}
	return &TLB{
		cfg:     cfg,
		ways:    cfg.Ways,
		setMask: uint64(sets - 1),
		tags:    make([]tag, cfg.Entries),
		entries: make([]vm.TLBEntry, cfg.Entries),
		used:    make([]uint64, cfg.Entries),
	}, nil
}

// Config returns the configuration the TLB was built with.
func (t *TLB) Config() vm.TLBConfig { return t.cfg }

// Sets returns the number of sets, Entries/Ways.
func (t *TLB) Sets() int { return int(t.setMask) + 1 }

// SetIndex returns the set an entry of the given page size covering va lives
// in: (va >> log2(size)) & (sets-1). size must be a power of two.
func (t *TLB) SetIndex(va vm.VAddr, size vm.PageSize) int {
	return int(uint64(va) >> bits.TrailingZeros64(uint64(size)) & t.setMask)
}

// first returns the index of way 0 of the set an entry of size 1<<shift
// covering va lives in.
func (t *TLB) first(va vm.VAddr, shift uint8) int {
	return int(uint64(va)>>shift&t.setMask) * t.ways
}

// find returns the index of the way holding the entry matching (asid, va),
// or -1. It probes one set per page size present.
func (t *TLB) find(asid vm.ASID, va vm.VAddr) int {
	for _, sh := range t.shifts[:t.nShifts] {
		base := va &^ (vm.VAddr(1)<<sh - 1)
		first := t.first(va, sh)
		set := t.tags[first : first+t.ways]
		for w := range set {
			if set[w].matches(asid, base, sh) {
				return first + w
			}
		}
	}
	return -1
}

// Lookup returns the entry matching (asid, va) and counts a hit, making the
// entry the most recently used of its set; or it reports false and counts a
// miss. This is the TLB probe the MMU makes on every memory reference.
func (t *TLB) Lookup(asid vm.ASID, va vm.VAddr) (vm.TLBEntry, bool) {
	i := t.find(asid, va)
	if i < 0 {
		t.stats.Misses++
		return vm.TLBEntry{}, false
	}
	t.stats.Hits++
	t.clock++
	t.used[i] = t.clock
	return t.entries[i], true
}

// Peek is Lookup without side effects: it counts nothing and leaves the
// recency order alone (golang-lru's Peek beside Get).
func (t *TLB) Peek(asid vm.ASID, va vm.VAddr) (vm.TLBEntry, bool) {
	if i := t.find(asid, va); i >= 0 {
		return t.entries[i], true
	}
	return vm.TLBEntry{}, false
}

// Insert caches e as the most recently used entry of its set, the set
// (e.VA >> log2(e.Size)) & (sets-1).
//
// It first drops every entry that shares a lookup with e: an entry whose page
// overlaps e's page and that is global, or is tagged e.ASID, or overlaps a
// global e. The newest translation wins: a global e replaces every address
// space's private entry for its page, a private e replaces a global entry for
// its page, and a 2M e replaces the 4K entries it covers. Replaced entries are
// not counted as evictions.
//
// Then, if e's set has an invalid way, e fills the lowest-numbered one;
// otherwise the least recently used entry of the set is evicted (counted in
// Stats().Evictions) and e takes its way.
//
// It returns an error wrapping vm.ErrInvalidConfig if e.Size is not a power of
// two, or vm.ErrNotAligned if e.VA is not a multiple of e.Size; a rejected
// Insert changes nothing.
func (t *TLB) Insert(e vm.TLBEntry) error {
	if e.Size == 0 || e.Size&(e.Size-1) != 0 {
		return fmt.Errorf("tlb: insert %v: page size %d is not a power of two: %w", e, uint64(e.Size), vm.ErrInvalidConfig)
	}
	if uint64(e.VA)&(uint64(e.Size)-1) != 0 {
		return fmt.Errorf("tlb: insert %v: %v is not aligned to its %v page: %w", e, e.VA, e.Size, vm.ErrNotAligned)
	}
	sh := uint8(bits.TrailingZeros64(uint64(e.Size)))
	t.dropConflicts(e, sh)

	first := t.first(e.VA, sh)
	way := -1
	for i := first; i < first+t.ways; i++ {
		if t.tags[i].flags&tagValid == 0 {
			way = i
			break
		}
	}
	if way < 0 { // full: evict the least recently used
		way = first
		for i := first + 1; i < first+t.ways; i++ {
			if t.used[i] < t.used[way] {
				way = i
			}
		}
		t.drop(way)
		t.stats.Evictions++
	}
	flags := uint8(tagValid)
	if e.Global {
		flags |= tagGlobal
	}
	t.clock++
	t.tags[way] = tag{va: e.VA, asid: e.ASID, shift: sh, flags: flags}
	t.entries[way] = e
	t.used[way] = t.clock
	t.n++
	if t.perShift[sh] == 0 {
		t.addShift(sh)
	}
	t.perShift[sh]++
	t.stats.Inserts++
	return nil
}

// dropConflicts drops every entry sharing a lookup with e (of size 1<<sh).
// For each page size k present: a page at least as large as e's can overlap
// e only if it is the one containing e.VA (one set to probe); smaller pages
// overlap e if they lie inside it, and they occupy consecutive sets starting
// at e.VA's, at most all of them.
func (t *TLB) dropConflicts(e vm.TLBEntry, sh uint8) {
	shifts, n := t.shifts, t.nShifts // a copy: drop may shrink the list
	for _, k := range shifts[:n] {
		if t.perShift[k] == 0 {
			continue
		}
		if k >= sh {
			base := e.VA &^ (vm.VAddr(1)<<k - 1)
			first := t.first(e.VA, k)
			for i := first; i < first+t.ways; i++ {
				if g := &t.tags[i]; g.flags&tagValid != 0 && g.shift == k && g.va == base && sharesLookup(t.entries[i], e) {
					t.drop(i)
				}
			}
			continue
		}
		pages := uint64(1) << (sh - k)
		if pages > t.setMask+1 {
			pages = t.setMask + 1
		}
		start := uint64(e.VA) >> k
		for j := uint64(0); j < pages; j++ {
			first := int((start+j)&t.setMask) * t.ways
			for i := first; i < first+t.ways; i++ {
				if g := &t.tags[i]; g.flags&tagValid != 0 && g.shift == k && g.va&^(vm.VAddr(e.Size)-1) == e.VA && sharesLookup(t.entries[i], e) {
					t.drop(i)
				}
			}
		}
	}
}

// sharesLookup reports whether two entries whose pages overlap would both
// match some lookup.
func sharesLookup(a, b vm.TLBEntry) bool {
	return a.Global || b.Global || a.ASID == b.ASID
}

// drop invalidates valid way i and keeps the size counts.
func (t *TLB) drop(i int) {
	sh := t.tags[i].shift
	t.tags[i] = tag{}
	t.entries[i] = vm.TLBEntry{}
	t.n--
	t.perShift[sh]--
	if t.perShift[sh] == 0 {
		t.removeShift(sh)
	}
}

// addShift inserts sh into the sorted list of present sizes.
func (t *TLB) addShift(sh uint8) {
	i := t.nShifts
	for i > 0 && t.shifts[i-1] > sh {
		t.shifts[i] = t.shifts[i-1]
		i--
	}
	t.shifts[i] = sh
	t.nShifts++
}

// removeShift deletes sh from the sorted list of present sizes.
func (t *TLB) removeShift(sh uint8) {
	for i := 0; i < t.nShifts; i++ {
		if t.shifts[i] == sh {
			copy(t.shifts[i:t.nShifts], t.shifts[i+1:t.nShifts])
			t.nShifts--
			return
		}
	}
}

// Len returns the number of valid entries.
func (t *TLB) Len() int { return t.n }

// Stats returns the counters since New or the last ResetStats.
func (t *TLB) Stats() vm.TLBStats { return t.stats }

// ResetStats zeroes the counters; the entries stay.
func (t *TLB) ResetStats() { t.stats = vm.TLBStats{} }

// Entries returns a snapshot of the valid entries, set by set and, within a
// set, way by way. It allocates; it is meant for debugging and for
// invariant checks, not for the translation path.
func (t *TLB) Entries() []vm.TLBEntry {
	out := make([]vm.TLBEntry, 0, t.n)
	for i := range t.tags {
		if t.tags[i].flags&tagValid != 0 {
			out = append(out, t.entries[i])
		}
	}
	return out
}

// String prints the configuration and occupancy, e.g.
// "TLB{64 entries, 4-way: 12 valid}".
func (t *TLB) String() string {
	return fmt.Sprintf("TLB{%v: %d valid}", t.cfg, t.n)
}

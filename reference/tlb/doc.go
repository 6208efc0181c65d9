// Package tlb is the reference translation lookaside buffer: a small,
// set-associative cache of translations tagged with the address space (ASID,
// x86's PCID) they belong to, as the MMU consults it before walking the page
// table.
//
// It embodies these textbook ideas:
//
//   - Set associativity: Entries/Ways sets of Ways entries each. An entry can
//     live only in the set its virtual page number selects, so a lookup
//     compares Ways tags instead of all Entries. Ways == Entries is fully
//     associative (one set), Ways == 1 direct-mapped (one way per set).
//   - Set index: the set of an entry of page size S is (VA >> log2(S)) &
//     (sets-1), the low bits of its page number. That is why the number of
//     sets must be a power of two: the index is a bit field of the VPN.
//   - Replacement: true LRU within a set; a lookup hit makes the entry the most
//     recently used, Peek does not.
//   - ASIDs and global pages: an entry matches only lookups of its own ASID,
//     unless it is global (x86's G bit: kernel pages mapped in every address
//     space), which matches every ASID and survives a context switch.
//   - Flushes: all entries, all non-global ones (a CR3 load without PCIDs),
//     one ASID's, or one page's (x86's INVLPG).
//   - Page sizes: an entry maps any power-of-two page (4K, 2M, 1G on x86-64;
//     64 B in the textbook geometry). Real CPUs keep a separate array per page
//     size; this model shares one array among all sizes and probes, on each
//     lookup, one set per page size it currently holds (it keeps a count per
//     size, so a TLB holding only 4K entries probes one set).
//   - Two levels: TwoLevel puts a small L1 in front of a larger L2, as a CPU's
//     L1 dTLB sits in front of its shared second-level TLB (STLB).
//
// The usage idiom:
//
//	t, err := tlb.New(vm.TLBConfig{Entries: 64, Ways: 4}) // 16 sets of 4
//	if err != nil { … }
//	e, ok := t.Lookup(asid, va)
//	if !ok {
//		e = walk(asid, va) // the page-table walk the TLB saves
//		_ = t.Insert(e)    // evicts the set's least recently used entry if full
//	}
//	pa := vm.PAddr(uint64(e.PFN)<<12 + uint64(va-e.VA))
//	…
//	t.FlushASID(asid) // the address space was torn down
//
// Lookup, Peek and Insert allocate nothing. Bad input never panics: New
// reports an impossible geometry and Insert a bad page size or alignment with
// errors wrapping vm.ErrInvalidConfig and vm.ErrNotAligned. A TLB is not safe
// for concurrent use; callers serialize access (each simulated CPU owns one).
package tlb

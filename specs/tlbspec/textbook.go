package tlbspec

import (
	"github.com/onsi/ginkgo/v2"

	"github.com/vmkata/vmkata/vm"
)

// Configurations the textbook cases use.
var (
	l1dTLB     = vm.TLBConfig{Entries: 64, Ways: 4} // 16 sets, like an x86 L1 dTLB
	twoWay     = vm.TLBConfig{Entries: 4, Ways: 2}  // 2 sets of 2: evictions come fast
	fullyAssoc = vm.TLBConfig{Entries: 4, Ways: 4}  // 1 set
	direct     = vm.TLBConfig{Entries: 4, Ways: 1}  // 4 sets of 1
)

// page returns a 4K user read-write entry of asid for va.
func page(asid vm.ASID, va vm.VAddr, pfn vm.PFN) vm.TLBEntry {
	return vm.TLBEntry{ASID: asid, VA: va, Size: vm.Size4K, PFN: pfn, Perm: vm.PermRW | vm.PermUser}
}

// huge returns an entry of asid for va of the given size.
func huge(asid vm.ASID, va vm.VAddr, size vm.PageSize, pfn vm.PFN) vm.TLBEntry {
	return vm.TLBEntry{ASID: asid, VA: va, Size: size, PFN: pfn, Perm: vm.PermRW | vm.PermUser}
}

// global returns a global kernel entry (its ASID field is asid, which must
// not matter) for va.
func global(asid vm.ASID, va vm.VAddr, size vm.PageSize, pfn vm.PFN) vm.TLBEntry {
	return vm.TLBEntry{ASID: asid, VA: va, Size: size, PFN: pfn, Perm: vm.PermRW, Global: true}
}

// sameSet returns the address of the i-th 4K page that maps to set 0 of a
// TLB of cfg: set = (VA >> 12) & (sets-1), so pages sets apart share a set.
func sameSet(cfg vm.TLBConfig, i int) vm.VAddr {
	sets := cfg.Entries / cfg.Ways
	return vm.VAddr(i*sets) << 12
}

const kernel = vm.VAddr(0xffff_8000_0000_0000)

// textbookEntries lists the classic cases, each a configuration and a
// sequence of calls with the results they must give.
func textbookEntries() []ginkgo.TableEntry {
	a := page(1, 0x3000, 0x7)
	kpage := global(1, kernel, vm.Size2M, 0x200)

	// LRU within a set: A, B, C share set 0 of a 2-way TLB.
	pa := page(1, sameSet(twoWay, 1), 0xa)
	pb := page(1, sameSet(twoWay, 2), 0xb)
	pc := page(1, sameSet(twoWay, 3), 0xc)

	// 70 times (more than the 64 possible page sizes): a 2M entry beside a
	// 4K one, looked up, then flushed.
	cycles := []any{ginkgo.Label("rule:04.flush-page", "rule:04.lookup-hit", "points:1"), l1dTLB,
		insert(page(1, 0x1000, 0x1))}
	for range 70 {
		cycles = append(cycles,
			insert(huge(1, 0x20_0000, vm.Size2M, 0x400)),
			expect(lookupOp(1, 0x20_1234), hit(huge(1, 0x20_0000, vm.Size2M, 0x400))),
			do(flushPageOp(1, 0x20_0000)),
			expect(lookupOp(1, 0x20_1234), miss))
	}
	cycles = append(cycles, expect(lookupOp(1, 0x1234), hit(page(1, 0x1000, 0x1))))

	return []ginkgo.TableEntry{
		ginkgo.Entry("a page size that comes and goes 70 times is found each time, beside one that stays", cycles...),
		ginkgo.Entry("a miss, then a hit anywhere in the page after Insert", ginkgo.Label("rule:04.match", "rule:04.lookup-hit", "rule:04.lookup-miss", "points:1"), l1dTLB,
			expect(lookupOp(1, 0x3000), miss),
			insert(a),
			expect(lookupOp(1, 0x3000), hit(a)),
			expect(lookupOp(1, 0x3ffc), hit(a)),
			expect(lookupOp(1, 0x4000), miss),
			expect(lookupOp(1, 0x2fff), miss),
			expect(lenOp(), count(1)),
		),
		ginkgo.Entry("the same address in two ASIDs gives two translations", ginkgo.Label("rule:04.match", "points:2"), l1dTLB,
			insert(page(1, 0x3000, 0x7)),
			insert(page(2, 0x3000, 0x9)),
			expect(lookupOp(1, 0x3010), hit(page(1, 0x3000, 0x7))),
			expect(lookupOp(2, 0x3010), hit(page(2, 0x3000, 0x9))),
			expect(lookupOp(3, 0x3010), miss),
			expect(lenOp(), count(2)),
		),
		ginkgo.Entry("a global entry matches every ASID and survives FlushASID and FlushNonGlobal", ginkgo.Label("rule:04.match", "rule:04.flush-asid", "rule:04.flush-non-global", "points:2"), l1dTLB,
			insert(kpage),
			expect(lookupOp(1, kernel+0x1234), hit(kpage)),
			expect(lookupOp(7, kernel+0x1ff000), hit(kpage)),
			do(flushASIDOp(1)),
			expect(peekOp(2, kernel), hit(kpage)),
			do(flushNonGlobalOp()),
			expect(peekOp(3, kernel), hit(kpage)),
			expect(lenOp(), count(1)),
		),
		ginkgo.Entry("FlushPage drops a global entry", ginkgo.Label("rule:04.flush-page", "points:1"), l1dTLB,
			insert(kpage),
			do(flushPageOp(5, kernel+0x1000)),
			expect(peekOp(1, kernel), miss),
			expect(lenOp(), count(0)),
		),
		ginkgo.Entry("FlushAll drops global entries too", ginkgo.Label("rule:04.flush-all", "points:1"), l1dTLB,
			insert(kpage),
			insert(a),
			do(flushAllOp()),
			expect(peekOp(1, kernel), miss),
			expect(peekOp(1, 0x3000), miss),
			expect(lenOp(), count(0)),
		),
		ginkgo.Entry("FlushPage drops only the page of that ASID", ginkgo.Label("rule:04.flush-page", "points:2"), l1dTLB,
			insert(page(1, 0x1000, 0x11)),
			insert(page(1, 0x2000, 0x12)),
			insert(page(2, 0x1000, 0x21)),
			do(flushPageOp(1, 0x1abc)),
			expect(peekOp(1, 0x1000), miss),
			expect(peekOp(1, 0x2000), hit(page(1, 0x2000, 0x12))),
			expect(peekOp(2, 0x1000), hit(page(2, 0x1000, 0x21))),
			expect(lenOp(), count(2)),
		),
		ginkgo.Entry("FlushASID drops only that ASID's entries", ginkgo.Label("rule:04.flush-asid", "points:2"), l1dTLB,
			insert(page(1, 0x1000, 0x11)),
			insert(page(1, 0x2000, 0x12)),
			insert(page(2, 0x1000, 0x21)),
			do(flushASIDOp(1)),
			expect(peekOp(1, 0x1000), miss),
			expect(peekOp(1, 0x2000), miss),
			expect(peekOp(2, 0x1000), hit(page(2, 0x1000, 0x21))),
			expect(lenOp(), count(1)),
		),
		ginkgo.Entry("FlushNonGlobal drops every ASID's entries but keeps global ones", ginkgo.Label("rule:04.flush-non-global", "points:1"), l1dTLB,
			insert(page(1, 0x1000, 0x11)),
			insert(page(2, 0x1000, 0x21)),
			insert(kpage),
			do(flushNonGlobalOp()),
			expect(peekOp(1, 0x1000), miss),
			expect(peekOp(2, 0x1000), miss),
			expect(peekOp(2, kernel), hit(kpage)),
			expect(lenOp(), count(1)),
		),
		ginkgo.Entry("a 2M entry covers its whole range and nothing past it", ginkgo.Label("rule:04.match", "points:2"), l1dTLB,
			insert(huge(1, 0x200000, vm.Size2M, 0x200)),
			expect(lookupOp(1, 0x200000), hit(huge(1, 0x200000, vm.Size2M, 0x200))),
			expect(lookupOp(1, 0x2abcde), hit(huge(1, 0x200000, vm.Size2M, 0x200))),
			expect(lookupOp(1, 0x3fffff), hit(huge(1, 0x200000, vm.Size2M, 0x200))),
			expect(lookupOp(1, 0x400000), miss),
			expect(lookupOp(1, 0x1fffff), miss),
			expect(lookupOp(2, 0x300000), miss),
		),
		ginkgo.Entry("a 1G entry covers its whole range and nothing past it", ginkgo.Label("rule:04.match", "points:1"), l1dTLB,
			insert(huge(1, 0x40000000, vm.Size1G, 0x40000)),
			expect(lookupOp(1, 0x40000000), hit(huge(1, 0x40000000, vm.Size1G, 0x40000))),
			expect(lookupOp(1, 0x7fffffff), hit(huge(1, 0x40000000, vm.Size1G, 0x40000))),
			expect(lookupOp(1, 0x80000000), miss),
			expect(lookupOp(1, 0x3fffffff), miss),
		),
		ginkgo.Entry("huge entries are indexed by their own page number: four 2M pages fill both sets of a 2-way TLB", ginkgo.Label("rule:04.set-index", "points:2"), twoWay,
			insert(huge(1, 0x000000, vm.Size2M, 0x000)), // set 0
			insert(huge(1, 0x200000, vm.Size2M, 0x200)), // set 1
			insert(huge(1, 0x400000, vm.Size2M, 0x400)), // set 0
			insert(huge(1, 0x600000, vm.Size2M, 0x600)), // set 1
			expect(peekOp(1, 0x000000), hit(huge(1, 0x000000, vm.Size2M, 0x000))),
			expect(peekOp(1, 0x200000), hit(huge(1, 0x200000, vm.Size2M, 0x200))),
			expect(peekOp(1, 0x400000), hit(huge(1, 0x400000, vm.Size2M, 0x400))),
			expect(peekOp(1, 0x600000), hit(huge(1, 0x600000, vm.Size2M, 0x600))),
			expect(statsOp(), counters(vm.TLBStats{Inserts: 4})),
		),
		ginkgo.Entry("LRU within a set: insert A, B, touch A, insert C evicts B", ginkgo.Label("rule:04.insert-evicts-lru", "rule:04.lookup-hit", "points:3"), twoWay,
			insert(pa),
			insert(pb),
			expect(lookupOp(1, pa.VA), hit(pa)),
			insert(pc),
			expect(peekOp(1, pb.VA), miss),
			expect(peekOp(1, pa.VA), hit(pa)),
			expect(peekOp(1, pc.VA), hit(pc)),
			expect(statsOp(), counters(vm.TLBStats{Hits: 1, Inserts: 3, Evictions: 1})),
		),
		ginkgo.Entry("Peek does not refresh: insert A, B, peek A, insert C evicts A", ginkgo.Label("rule:04.peek", "rule:04.insert-evicts-lru", "points:2"), twoWay,
			insert(pa),
			insert(pb),
			expect(peekOp(1, pa.VA), hit(pa)),
			insert(pc),
			expect(peekOp(1, pa.VA), miss),
			expect(peekOp(1, pb.VA), hit(pb)),
			expect(peekOp(1, pc.VA), hit(pc)),
			expect(statsOp(), counters(vm.TLBStats{Inserts: 3, Evictions: 1})),
		),
		ginkgo.Entry("a set fills before it evicts, and other sets are untouched", ginkgo.Label("rule:04.insert-fills", "rule:04.set-index", "points:1"), twoWay,
			insert(pa),
			insert(page(1, 0x1000, 0x1)), // set 1
			insert(pb),
			insert(pc), // set 0 full: A, the least recently used, goes
			expect(peekOp(1, pa.VA), miss),
			expect(peekOp(1, 0x1000), hit(page(1, 0x1000, 0x1))),
			expect(lenOp(), count(3)),
		),
		ginkgo.Entry("fully associative: any four pages fit", ginkgo.Label("rule:04.insert-fills", "points:1"), fullyAssoc,
			insert(page(1, 0x0000, 0x1)),
			insert(page(1, 0x4000, 0x2)),
			insert(page(1, 0x8000, 0x3)),
			insert(page(2, 0x0000, 0x4)),
			expect(lenOp(), count(4)),
			expect(peekOp(1, 0x0000), hit(page(1, 0x0000, 0x1))),
			expect(statsOp(), counters(vm.TLBStats{Inserts: 4})),
		),
		ginkgo.Entry("direct-mapped: two pages of one set evict each other", ginkgo.Label("rule:04.set-index", "rule:04.insert-evicts-lru", "points:1"), direct,
			insert(page(1, 0x0000, 0x1)),
			insert(page(1, 0x4000, 0x2)), // 4 sets: page 4 maps to set 0 too
			expect(peekOp(1, 0x0000), miss),
			expect(peekOp(1, 0x4000), hit(page(1, 0x4000, 0x2))),
			expect(statsOp(), counters(vm.TLBStats{Inserts: 2, Evictions: 1})),
		),
		ginkgo.Entry("Insert replaces the entry for the same page instead of adding a second", ginkgo.Label("rule:04.insert-replaces", "rule:04.no-double-match", "points:2"), l1dTLB,
			insert(page(1, 0x3000, 0x7)),
			insert(page(1, 0x3000, 0x8)),
			expect(lenOp(), count(1)),
			expect(lookupOp(1, 0x3000), hit(page(1, 0x3000, 0x8))),
			expect(statsOp(), counters(vm.TLBStats{Hits: 1, Inserts: 2})),
		),
		ginkgo.Entry("a global entry replaces the private ones for its page, and a private one replaces it", ginkgo.Label("rule:04.insert-replaces", "rule:04.no-double-match", "points:2"), l1dTLB,
			insert(page(1, 0x3000, 0x7)),
			insert(page(2, 0x3000, 0x9)),
			insert(global(0, 0x3000, vm.Size4K, 0x5)),
			expect(lenOp(), count(1)),
			expect(peekOp(2, 0x3000), hit(global(0, 0x3000, vm.Size4K, 0x5))),
			insert(page(3, 0x3000, 0x6)),
			expect(lenOp(), count(1)),
			expect(peekOp(1, 0x3000), miss),
			expect(peekOp(3, 0x3000), hit(page(3, 0x3000, 0x6))),
		),
		ginkgo.Entry("a 2M entry replaces the 4K entries of its ASID inside it", ginkgo.Label("rule:04.insert-replaces", "rule:04.no-double-match", "points:2"), l1dTLB,
			insert(page(1, 0x1000, 0x1)),
			insert(page(1, 0x2000, 0x2)),
			insert(page(2, 0x2000, 0x3)),
			insert(page(1, 0x200000, 0x4)), // just past the huge page
			insert(huge(1, 0, vm.Size2M, 0x400)),
			expect(lenOp(), count(3)),
			expect(peekOp(1, 0x2000), hit(huge(1, 0, vm.Size2M, 0x400))),
			expect(peekOp(2, 0x2000), hit(page(2, 0x2000, 0x3))),
			expect(peekOp(1, 0x200000), hit(page(1, 0x200000, 0x4))),
			expect(statsOp(), counters(vm.TLBStats{Inserts: 5})),
		),
		ginkgo.Entry("a 2M entry replaces the 4K entries inside it in every set, the last set included", ginkgo.Label("rule:04.insert-replaces", "rule:04.no-double-match", "points:1"), l1dTLB,
			insert(page(1, 0xe000, 0x1)),   // set 14
			insert(page(1, 0xf000, 0x2)),   // set 15, the last
			insert(page(1, 0x1ff000, 0x3)), // the last 4K page of the 2M page, set 15
			insert(huge(1, 0, vm.Size2M, 0x400)),
			expect(lenOp(), count(1)),
			expect(peekOp(1, 0xe000), hit(huge(1, 0, vm.Size2M, 0x400))),
			expect(peekOp(1, 0xf000), hit(huge(1, 0, vm.Size2M, 0x400))),
			expect(peekOp(1, 0x1ff000), hit(huge(1, 0, vm.Size2M, 0x400))),
		),
		ginkgo.Entry("an 8K entry replaces both 4K entries it covers, in consecutive sets", ginkgo.Label("rule:04.insert-replaces", "rule:04.no-double-match", "points:1"), l1dTLB,
			insert(page(1, 0x2000, 0x1)), // set 2
			insert(page(1, 0x3000, 0x2)), // set 3
			insert(huge(1, 0x2000, 0x2000, 0x10)),
			expect(lenOp(), count(1)),
			expect(peekOp(1, 0x3000), hit(huge(1, 0x2000, 0x2000, 0x10))),
		),
		ginkgo.Entry("a 2^52-byte entry replaces the 4K entry inside it", ginkgo.Label("rule:04.insert-replaces", "rule:04.no-double-match", "points:1"), fullyAssoc,
			insert(page(1, 0x5000, 0x1)),
			insert(huge(1, 0, 1<<52, 0x20)),
			expect(lenOp(), count(1)),
			expect(peekOp(1, 0x5000), hit(huge(1, 0, 1<<52, 0x20))),
		),
		ginkgo.Entry("entries of a smaller size inserted after a larger one leave it reachable", ginkgo.Label("rule:04.match", "rule:04.lookup-hit", "points:1"), l1dTLB,
			insert(huge(1, 0x4000_0000, vm.Size1G, 0x40000)),
			insert(huge(1, 0x20_0000, vm.Size2M, 0x400)),
			insert(page(1, 0x1000, 0x1)),
			expect(lookupOp(1, 0x4000_1234), hit(huge(1, 0x4000_0000, vm.Size1G, 0x40000))),
			expect(lookupOp(1, 0x20_1234), hit(huge(1, 0x20_0000, vm.Size2M, 0x400))),
			expect(lookupOp(1, 0x1234), hit(page(1, 0x1000, 0x1))),
			do(flushPageOp(1, 0x20_0000)),
			expect(lookupOp(1, 0x20_1234), miss),
			expect(lookupOp(1, 0x4000_1234), hit(huge(1, 0x4000_0000, vm.Size1G, 0x40000))),
			expect(lookupOp(1, 0x1234), hit(page(1, 0x1000, 0x1))),
		),
		ginkgo.Entry("Insert rejects a bad page size or a misaligned page and changes nothing", ginkgo.Label("rule:04.insert-invalid", "points:1"), l1dTLB,
			expect(insertOp(vm.TLBEntry{ASID: 1, VA: 0x1000}), fails(vm.ErrInvalidConfig)),
			expect(insertOp(vm.TLBEntry{ASID: 1, VA: 0x3000, Size: 0x3000}), fails(vm.ErrInvalidConfig)),
			expect(insertOp(page(1, 0x1010, 0x1)), fails(vm.ErrNotAligned)),
			expect(insertOp(huge(1, 0x201000, vm.Size2M, 0x1)), fails(vm.ErrNotAligned)),
			expect(lenOp(), count(0)),
			expect(statsOp(), counters(vm.TLBStats{})),
		),
		ginkgo.Entry("Stats counts hits, misses, inserts, evictions and flushes; Peek counts nothing", ginkgo.Label("rule:04.stats", "rule:04.peek", "points:2"), direct,
			expect(lookupOp(1, 0x0000), miss),
			insert(page(1, 0x0000, 0x1)),
			expect(lookupOp(1, 0x0000), hit(page(1, 0x0000, 0x1))),
			expect(peekOp(1, 0x0000), hit(page(1, 0x0000, 0x1))),
			expect(peekOp(1, 0x9000), miss),
			insert(page(1, 0x4000, 0x2)), // evicts page 0
			do(flushPageOp(1, 0x8000)),   // drops nothing, still a flush
			do(flushASIDOp(1)),
			expect(lookupOp(1, 0x4000), miss),
			expect(statsOp(), counters(vm.TLBStats{Hits: 1, Misses: 2, Inserts: 2, Evictions: 1, Flushes: 2})),
		),
		ginkgo.Entry("each of the four flushes counts one, even on an empty TLB", ginkgo.Label("rule:04.stats", "points:1"), direct,
			do(flushAllOp()),
			do(flushNonGlobalOp()),
			expect(statsOp(), counters(vm.TLBStats{Flushes: 2})),
			do(flushASIDOp(1)),
			do(flushPageOp(1, 0x1000)),
			do(flushNonGlobalOp()),
			do(flushAllOp()),
			expect(statsOp(), counters(vm.TLBStats{Flushes: 6})),
		),
		ginkgo.Entry("entries come back exactly as inserted, and a miss returns the zero entry", ginkgo.Label("rule:04.entry-kept", "rule:04.lookup-miss", "points:2"), l1dTLB,
			insert(dirtyExec),
			insert(kcode),
			expect(lookupOp(1, dirtyExec.VA+0x10), hit(dirtyExec)),
			expect(peekOp(9, kcode.VA+0x123), hit(kcode)),
			expect(lookupOp(4, kcode.VA+0x1f_ffff), hit(kcode)),
			expect(lookupOp(2, dirtyExec.VA), exactMiss),
			expect(peekOp(1, 0x7000), exactMiss),
		),
		ginkgo.Entry("pages at the very top of the address space match up to the last byte", ginkgo.Label("rule:04.match", "rule:04.insert-replaces", "points:2"), l1dTLB,
			insert(global(0, top2M, vm.Size2M, 0x600)),
			expect(lookupOp(1, top2M+0x1f_ffff), hit(global(0, top2M, vm.Size2M, 0x600))),
			expect(lookupOp(1, top2M-1), miss),
			insert(page(1, topPage, 0x601)),
			expect(lenOp(), count(1)),
			expect(lookupOp(1, topPage+0xfff), hit(page(1, topPage, 0x601))),
			expect(lookupOp(2, topPage), miss),
		),
		ginkgo.Entry("64-byte pages (the textbook machine) are indexed and matched by their own page number", ginkgo.Label("rule:04.set-index", "rule:04.match", "points:1"), twoWay,
			insert(huge(1, 0x40, 64, 0x1)),  // set 1
			insert(huge(1, 0x80, 64, 0x2)),  // set 0
			insert(huge(1, 0x140, 64, 0x3)), // set 1
			expect(lookupOp(1, 0x7f), hit(huge(1, 0x40, 64, 0x1))),
			expect(lookupOp(1, 0xbf), hit(huge(1, 0x80, 64, 0x2))),
			expect(lookupOp(1, 0xc0), miss),
			expect(statsOp(), counters(vm.TLBStats{Hits: 2, Misses: 1, Inserts: 3})),
		),
		ginkgo.Entry("flushes keep the recency order of what they keep: touch A, flush elsewhere, insert C evicts B", ginkgo.Label("rule:04.flush-keeps-order", "points:2"), twoWay,
			insert(pa),
			insert(pb),
			insert(page(2, 0x1000, 0x2a)), // set 1
			expect(lookupOp(1, pa.VA), hit(pa)),
			do(flushASIDOp(2)), // drops the entry of set 1
			do(flushASIDOp(3)),
			do(flushPageOp(1, 0x9000)),
			insert(pc), // B is still the least recently used of set 0
			expect(peekOp(1, pb.VA), miss),
			expect(peekOp(1, pa.VA), hit(pa)),
			expect(peekOp(1, pc.VA), hit(pc)),
		),
		ginkgo.Entry("an inserted entry is the most recently used, a replacement too: insert A, B, A again, C evicts B", ginkgo.Label("rule:04.insert-mru", "points:2"), twoWay,
			insert(pa),
			insert(pb),
			insert(page(1, pa.VA, 0xaa)), // replaces A, and is now the most recently used
			insert(pc),
			expect(peekOp(1, pb.VA), miss),
			expect(peekOp(1, pa.VA), hit(page(1, pa.VA, 0xaa))),
			expect(statsOp(), counters(vm.TLBStats{Inserts: 4, Evictions: 1})),
		),
		ginkgo.Entry("Len counts entries through inserts, replacements, evictions and flushes", ginkgo.Label("rule:04.len", "rule:04.new", "points:1"), twoWay,
			expect(lenOp(), count(0)),
			insert(pa),
			insert(page(1, 0x1000, 0x1)),
			expect(lenOp(), count(2)),
			insert(page(1, pa.VA, 0x77)), // replaces A
			expect(lenOp(), count(2)),
			insert(pb),
			insert(pc), // evicts
			expect(lenOp(), count(3)),
			do(flushPageOp(1, 0x1000)),
			expect(lenOp(), count(2)),
			do(flushAllOp()),
			expect(lenOp(), count(0)),
		),
	}
}

// Entries the textbook cases insert to see every field come back.
var (
	dirtyExec = vm.TLBEntry{ASID: 1, VA: 0x5000, Size: vm.Size4K, PFN: 0x55, Perm: vm.PermRX | vm.PermUser, Dirty: true}
	kcode     = vm.TLBEntry{ASID: 7, VA: 0xffff_ffff_8000_0000, Size: vm.Size2M, PFN: 0x1000, Perm: vm.PermRX, Global: true}
	top2M     = vm.VAddr(0xffff_ffff_ffe0_0000) // the last 2M page
	topPage   = vm.VAddr(0xffff_ffff_ffff_f000) // the last 4K page
)

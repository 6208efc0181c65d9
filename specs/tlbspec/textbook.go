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

	return []ginkgo.TableEntry{
		ginkgo.Entry("a miss, then a hit anywhere in the page after Insert", ginkgo.Label("points:1"), l1dTLB,
			expect(lookupOp(1, 0x3000), miss),
			insert(a),
			expect(lookupOp(1, 0x3000), hit(a)),
			expect(lookupOp(1, 0x3ffc), hit(a)),
			expect(lookupOp(1, 0x4000), miss),
			expect(lookupOp(1, 0x2fff), miss),
			expect(lenOp(), count(1)),
		),
		ginkgo.Entry("the same address in two ASIDs gives two translations", ginkgo.Label("points:2"), l1dTLB,
			insert(page(1, 0x3000, 0x7)),
			insert(page(2, 0x3000, 0x9)),
			expect(lookupOp(1, 0x3010), hit(page(1, 0x3000, 0x7))),
			expect(lookupOp(2, 0x3010), hit(page(2, 0x3000, 0x9))),
			expect(lookupOp(3, 0x3010), miss),
			expect(lenOp(), count(2)),
		),
		ginkgo.Entry("a global entry matches every ASID and survives FlushASID and FlushNonGlobal", ginkgo.Label("points:2"), l1dTLB,
			insert(kpage),
			expect(lookupOp(1, kernel+0x1234), hit(kpage)),
			expect(lookupOp(7, kernel+0x1ff000), hit(kpage)),
			do(flushASIDOp(1)),
			expect(peekOp(2, kernel), hit(kpage)),
			do(flushNonGlobalOp()),
			expect(peekOp(3, kernel), hit(kpage)),
			expect(lenOp(), count(1)),
		),
		ginkgo.Entry("FlushPage drops a global entry", ginkgo.Label("points:1"), l1dTLB,
			insert(kpage),
			do(flushPageOp(5, kernel+0x1000)),
			expect(peekOp(1, kernel), miss),
			expect(lenOp(), count(0)),
		),
		ginkgo.Entry("FlushAll drops global entries too", ginkgo.Label("points:1"), l1dTLB,
			insert(kpage),
			insert(a),
			do(flushAllOp()),
			expect(peekOp(1, kernel), miss),
			expect(peekOp(1, 0x3000), miss),
			expect(lenOp(), count(0)),
		),
		ginkgo.Entry("FlushPage drops only the page of that ASID", ginkgo.Label("points:2"), l1dTLB,
			insert(page(1, 0x1000, 0x11)),
			insert(page(1, 0x2000, 0x12)),
			insert(page(2, 0x1000, 0x21)),
			do(flushPageOp(1, 0x1abc)),
			expect(peekOp(1, 0x1000), miss),
			expect(peekOp(1, 0x2000), hit(page(1, 0x2000, 0x12))),
			expect(peekOp(2, 0x1000), hit(page(2, 0x1000, 0x21))),
			expect(lenOp(), count(2)),
		),
		ginkgo.Entry("FlushASID drops only that ASID's entries", ginkgo.Label("points:2"), l1dTLB,
			insert(page(1, 0x1000, 0x11)),
			insert(page(1, 0x2000, 0x12)),
			insert(page(2, 0x1000, 0x21)),
			do(flushASIDOp(1)),
			expect(peekOp(1, 0x1000), miss),
			expect(peekOp(1, 0x2000), miss),
			expect(peekOp(2, 0x1000), hit(page(2, 0x1000, 0x21))),
			expect(lenOp(), count(1)),
		),
		ginkgo.Entry("FlushNonGlobal drops every ASID's entries but keeps global ones", ginkgo.Label("points:1"), l1dTLB,
			insert(page(1, 0x1000, 0x11)),
			insert(page(2, 0x1000, 0x21)),
			insert(kpage),
			do(flushNonGlobalOp()),
			expect(peekOp(1, 0x1000), miss),
			expect(peekOp(2, 0x1000), miss),
			expect(peekOp(2, kernel), hit(kpage)),
			expect(lenOp(), count(1)),
		),
		ginkgo.Entry("a 2M entry covers its whole range and nothing past it", ginkgo.Label("points:2"), l1dTLB,
			insert(huge(1, 0x200000, vm.Size2M, 0x200)),
			expect(lookupOp(1, 0x200000), hit(huge(1, 0x200000, vm.Size2M, 0x200))),
			expect(lookupOp(1, 0x2abcde), hit(huge(1, 0x200000, vm.Size2M, 0x200))),
			expect(lookupOp(1, 0x3fffff), hit(huge(1, 0x200000, vm.Size2M, 0x200))),
			expect(lookupOp(1, 0x400000), miss),
			expect(lookupOp(1, 0x1fffff), miss),
			expect(lookupOp(2, 0x300000), miss),
		),
		ginkgo.Entry("a 1G entry covers its whole range and nothing past it", ginkgo.Label("points:1"), l1dTLB,
			insert(huge(1, 0x40000000, vm.Size1G, 0x40000)),
			expect(lookupOp(1, 0x40000000), hit(huge(1, 0x40000000, vm.Size1G, 0x40000))),
			expect(lookupOp(1, 0x7fffffff), hit(huge(1, 0x40000000, vm.Size1G, 0x40000))),
			expect(lookupOp(1, 0x80000000), miss),
			expect(lookupOp(1, 0x3fffffff), miss),
		),
		ginkgo.Entry("huge entries are indexed by their own page number: four 2M pages fill both sets of a 2-way TLB", ginkgo.Label("points:2"), twoWay,
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
		ginkgo.Entry("LRU within a set: insert A, B, touch A, insert C evicts B", ginkgo.Label("points:3"), twoWay,
			insert(pa),
			insert(pb),
			expect(lookupOp(1, pa.VA), hit(pa)),
			insert(pc),
			expect(peekOp(1, pb.VA), miss),
			expect(peekOp(1, pa.VA), hit(pa)),
			expect(peekOp(1, pc.VA), hit(pc)),
			expect(statsOp(), counters(vm.TLBStats{Hits: 1, Inserts: 3, Evictions: 1})),
		),
		ginkgo.Entry("Peek does not refresh: insert A, B, peek A, insert C evicts A", ginkgo.Label("points:2"), twoWay,
			insert(pa),
			insert(pb),
			expect(peekOp(1, pa.VA), hit(pa)),
			insert(pc),
			expect(peekOp(1, pa.VA), miss),
			expect(peekOp(1, pb.VA), hit(pb)),
			expect(peekOp(1, pc.VA), hit(pc)),
			expect(statsOp(), counters(vm.TLBStats{Inserts: 3, Evictions: 1})),
		),
		ginkgo.Entry("a set fills before it evicts, and other sets are untouched", ginkgo.Label("points:1"), twoWay,
			insert(pa),
			insert(page(1, 0x1000, 0x1)), // set 1
			insert(pb),
			insert(pc), // set 0 full: A, the least recently used, goes
			expect(peekOp(1, pa.VA), miss),
			expect(peekOp(1, 0x1000), hit(page(1, 0x1000, 0x1))),
			expect(lenOp(), count(3)),
		),
		ginkgo.Entry("fully associative: any four pages fit", ginkgo.Label("points:1"), fullyAssoc,
			insert(page(1, 0x0000, 0x1)),
			insert(page(1, 0x4000, 0x2)),
			insert(page(1, 0x8000, 0x3)),
			insert(page(2, 0x0000, 0x4)),
			expect(lenOp(), count(4)),
			expect(peekOp(1, 0x0000), hit(page(1, 0x0000, 0x1))),
			expect(statsOp(), counters(vm.TLBStats{Inserts: 4})),
		),
		ginkgo.Entry("direct-mapped: two pages of one set evict each other", ginkgo.Label("points:1"), direct,
			insert(page(1, 0x0000, 0x1)),
			insert(page(1, 0x4000, 0x2)), // 4 sets: page 4 maps to set 0 too
			expect(peekOp(1, 0x0000), miss),
			expect(peekOp(1, 0x4000), hit(page(1, 0x4000, 0x2))),
			expect(statsOp(), counters(vm.TLBStats{Inserts: 2, Evictions: 1})),
		),
		ginkgo.Entry("Insert replaces the entry for the same page instead of adding a second", ginkgo.Label("points:2"), l1dTLB,
			insert(page(1, 0x3000, 0x7)),
			insert(page(1, 0x3000, 0x8)),
			expect(lenOp(), count(1)),
			expect(lookupOp(1, 0x3000), hit(page(1, 0x3000, 0x8))),
			expect(statsOp(), counters(vm.TLBStats{Hits: 1, Inserts: 2})),
		),
		ginkgo.Entry("a global entry replaces the private ones for its page, and a private one replaces it", ginkgo.Label("points:2"), l1dTLB,
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
		ginkgo.Entry("a 2M entry replaces the 4K entries of its ASID inside it", ginkgo.Label("points:2"), l1dTLB,
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
		ginkgo.Entry("Insert rejects a bad page size or a misaligned page and changes nothing", ginkgo.Label("points:1"), l1dTLB,
			expect(insertOp(vm.TLBEntry{ASID: 1, VA: 0x1000}), fails(vm.ErrInvalidConfig)),
			expect(insertOp(vm.TLBEntry{ASID: 1, VA: 0x3000, Size: 0x3000}), fails(vm.ErrInvalidConfig)),
			expect(insertOp(page(1, 0x1010, 0x1)), fails(vm.ErrNotAligned)),
			expect(insertOp(huge(1, 0x201000, vm.Size2M, 0x1)), fails(vm.ErrNotAligned)),
			expect(lenOp(), count(0)),
			expect(statsOp(), counters(vm.TLBStats{})),
		),
		ginkgo.Entry("Stats counts hits, misses, inserts, evictions and flushes; Peek counts nothing", ginkgo.Label("points:2"), direct,
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
	}
}

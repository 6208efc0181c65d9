package vmaspec

import (
	"github.com/onsi/ginkgo/v2"

	"github.com/vmkata/vmkata/vm"
)

// defaultLimit is the user range of the textbook cases: 64 KiB up to
// 2 GiB, with 4 KiB pages.
var defaultLimit = vm.AddrRange{Start: 0x10000, End: 0x8000_0000}

// story is a textbook case: VMAs mapped with MAP_FIXED to set the scene,
// calls with the results they must give, and the VMAs there must be
// afterwards.
type story struct {
	limit vm.AddrRange // the set's limit; zero means defaultLimit
	setup []vm.VMA     // each mapped with fixed, must succeed
	steps []step
	after []vm.VMA // All() at the end, in address order
}

// step is one call and what it must return.
type step struct {
	op   op
	want result
}

func expect(o op, want result) step { return step{op: o, want: want} }

// rng returns [start, end).
func rng(start, end vm.VAddr) vm.AddrRange { return vm.AddrRange{Start: start, End: end} }

// anon returns a private anonymous mmap VMA.
func anon(start, end vm.VAddr, p vm.Perm) vm.VMA {
	return vm.VMA{Range: rng(start, end), Perm: p, Role: vm.RoleMmap}
}

// fileVMA returns a private mmap of file name from offset off.
func fileVMA(start, end vm.VAddr, p vm.Perm, name string, off uint64) vm.VMA {
	return vm.VMA{Range: rng(start, end), Perm: p, Backing: vm.BackingFile, File: name, Offset: off, Role: vm.RoleMmap}
}

// stack returns a grows-down anonymous stack VMA.
func stack(start, end vm.VAddr) vm.VMA {
	return vm.VMA{Range: rng(start, end), Perm: vm.PermRW, Role: vm.RoleStack, GrowsDown: true}
}

// heap returns an anonymous heap VMA.
func heap(start, end vm.VAddr) vm.VMA {
	return vm.VMA{Range: rng(start, end), Perm: vm.PermRW, Role: vm.RoleHeap}
}

// with returns v with another range (and, for a file, the offset moved along).
func with(v vm.VMA, r vm.AddrRange) vm.VMA {
	if v.Backing == vm.BackingFile {
		v.Offset += uint64(r.Start) - uint64(v.Range.Start)
	}
	v.Range = r
	return v
}

// perm returns v with permission p.
func perm(v vm.VMA, p vm.Perm) vm.VMA { v.Perm = p; return v }

// Results.
func mapped(r vm.AddrRange) result { return result{rng: r} }
func pieces(vs ...vm.VMA) result   { return result{vmas: vs} }
func found(v vm.VMA) result        { return result{vma: v, ok: true} }
func vmas(vs ...vm.VMA) []vm.VMA   { return vs }
func fixedMap(v vm.VMA) step       { return expect(mapOp(v, true), mapped(v.Range)) }
func hinted(v vm.VMA, at vm.AddrRange) step {
	return expect(mapOp(v, false), mapped(at))
}

const (
	rw  = vm.PermRW
	ro  = vm.PermRead
	rx  = vm.PermRX
	non = vm.Perm(0)
)

// stories lists the classic cases of splitting and merging.
func stories() []ginkgo.TableEntry {
	a := anon(0x100000, 0x104000, rw)                 // four pages
	f := fileVMA(0x200000, 0x204000, rx, "lib.so", 0) // four pages of a file
	return []ginkgo.TableEntry{
		// mmap and merging.
		ginkgo.Entry("mmap of a free hint maps exactly there", rules(1, "map-placement"), story{
			steps: []step{hinted(a, a.Range)},
			after: vmas(a),
		}),
		ginkgo.Entry("mmap right after a compatible VMA merges into one", rules(2, "map-merges", "merged"), story{
			setup: vmas(a),
			steps: []step{fixedMap(anon(0x104000, 0x106000, rw))},
			after: vmas(anon(0x100000, 0x106000, rw)),
		}),
		ginkgo.Entry("mmap right before a compatible VMA merges into one", rules(1, "map-merges", "merged"), story{
			setup: vmas(a),
			steps: []step{fixedMap(anon(0xfe000, 0x100000, rw))},
			after: vmas(anon(0xfe000, 0x104000, rw)),
		}),
		ginkgo.Entry("mmap next to a VMA with other permissions stays apart", rules(1, "merged"), story{
			setup: vmas(a),
			steps: []step{fixedMap(anon(0x104000, 0x105000, ro))},
			after: vmas(a, anon(0x104000, 0x105000, ro)),
		}),
		ginkgo.Entry("mmap next to a VMA of another role, sharing or backing stays apart", rules(2, "merged"), story{
			setup: vmas(heap(0x100000, 0x101000)),
			steps: []step{
				fixedMap(anon(0x101000, 0x102000, rw)),
				fixedMap(vm.VMA{Range: rng(0x102000, 0x103000), Perm: rw, Role: vm.RoleMmap, Shared: true}),
				fixedMap(fileVMA(0x103000, 0x104000, rw, "data", 0x103000)),
			},
			after: vmas(heap(0x100000, 0x101000), anon(0x101000, 0x102000, rw),
				vm.VMA{Range: rng(0x102000, 0x103000), Perm: rw, Role: vm.RoleMmap, Shared: true},
				fileVMA(0x103000, 0x104000, rw, "data", 0x103000)),
		}),
		ginkgo.Entry("file mappings merge when the second continues the first in the file", rules(2, "merged", "map-merges"), story{
			setup: vmas(f),
			steps: []step{fixedMap(fileVMA(0x204000, 0x205000, rx, "lib.so", 0x4000))},
			after: vmas(fileVMA(0x200000, 0x205000, rx, "lib.so", 0)),
		}),
		ginkgo.Entry("file mappings do not merge when the offsets are not contiguous", rules(2, "merged"), story{
			setup: vmas(f),
			steps: []step{fixedMap(fileVMA(0x204000, 0x205000, rx, "lib.so", 0x8000))},
			after: vmas(f, fileVMA(0x204000, 0x205000, rx, "lib.so", 0x8000)),
		}),
		ginkgo.Entry("file mappings of different files do not merge", rules(1, "merged"), story{
			setup: vmas(f),
			steps: []step{fixedMap(fileVMA(0x204000, 0x205000, rx, "other.so", 0x4000))},
			after: vmas(f, fileVMA(0x204000, 0x205000, rx, "other.so", 0x4000)),
		}),
		ginkgo.Entry("mmap filling the hole between two compatible VMAs merges all three", rules(2, "map-merges", "merged", "all-len-total"), story{
			setup: vmas(anon(0x100000, 0x101000, rw), anon(0x103000, 0x104000, rw)),
			steps: []step{fixedMap(anon(0x101000, 0x103000, rw))},
			after: vmas(anon(0x100000, 0x104000, rw)),
		}),

		// munmap and splitting.
		ginkgo.Entry("munmap of the middle of a VMA splits it in two", rules(2, "unmap-splits", "unmap-returns-pieces"), story{
			setup: vmas(f),
			steps: []step{expect(unmapOp(rng(0x201000, 0x203000)), pieces(with(f, rng(0x201000, 0x203000))))},
			after: vmas(with(f, rng(0x200000, 0x201000)), with(f, rng(0x203000, 0x204000))),
		}),
		ginkgo.Entry("munmap of a VMA's first or last pages trims it", rules(1, "unmap-splits", "unmap-returns-pieces"), story{
			setup: vmas(f),
			steps: []step{
				expect(unmapOp(rng(0x200000, 0x201000)), pieces(with(f, rng(0x200000, 0x201000)))),
				expect(unmapOp(rng(0x203000, 0x204000)), pieces(with(f, rng(0x203000, 0x204000)))),
			},
			after: vmas(with(f, rng(0x201000, 0x203000))),
		}),
		ginkgo.Entry("munmap across VMAs and holes removes every piece it covers", rules(2, "unmap-splits", "unmap-returns-pieces", "sorted"), story{
			setup: vmas(a, anon(0x105000, 0x106000, ro), f),
			steps: []step{expect(unmapOp(rng(0x102000, 0x202000)), pieces(
				anon(0x102000, 0x104000, rw), anon(0x105000, 0x106000, ro), with(f, rng(0x200000, 0x202000))))},
			after: vmas(anon(0x100000, 0x102000, rw), with(f, rng(0x202000, 0x204000))),
		}),
		ginkgo.Entry("munmap and mprotect up to the start of the next VMA leave that VMA alone", rules(1, "unmap-returns-pieces", "protect-returns-changed"), story{
			setup: vmas(anon(0x100000, 0x102000, rw), anon(0x102000, 0x103000, ro), anon(0x103000, 0x104000, rw|vm.PermExec)),
			steps: []step{
				expect(unmapOp(rng(0x100000, 0x102000)), pieces(anon(0x100000, 0x102000, rw))),
				expect(protectOp(rng(0x102000, 0x103000), rw), pieces(anon(0x102000, 0x103000, rw))),
			},
			after: vmas(anon(0x102000, 0x103000, rw), anon(0x103000, 0x104000, rw|vm.PermExec)),
		}),
		ginkgo.Entry("munmap of a hole is not an error and removes nothing", rules(1, "unmap-hole"), story{
			setup: vmas(a),
			steps: []step{expect(unmapOp(rng(0x104000, 0x108000)), pieces())},
			after: vmas(a),
		}),
		ginkgo.Entry("munmap then mmap of the same pages merges back into one VMA", rules(1, "map-merges", "merged"), story{
			setup: vmas(a),
			steps: []step{
				expect(unmapOp(rng(0x101000, 0x102000)), pieces(anon(0x101000, 0x102000, rw))),
				fixedMap(anon(0x101000, 0x102000, rw)),
			},
			after: vmas(a),
		}),

		// mprotect: split, then merge back.
		ginkgo.Entry("mprotect of the middle of a VMA splits it in three", rules(2, "protect-splits-merges", "protect-returns-changed"), story{
			setup: vmas(f),
			steps: []step{expect(protectOp(rng(0x201000, 0x202000), ro), pieces(perm(with(f, rng(0x201000, 0x202000)), ro)))},
			after: vmas(with(f, rng(0x200000, 0x201000)), perm(with(f, rng(0x201000, 0x202000)), ro), with(f, rng(0x202000, 0x204000))),
		}),
		ginkgo.Entry("mprotect back to the old permission merges the three into one", rules(2, "protect-splits-merges", "merged"), story{
			setup: vmas(f),
			steps: []step{
				expect(protectOp(rng(0x201000, 0x202000), ro), pieces(perm(with(f, rng(0x201000, 0x202000)), ro))),
				expect(protectOp(rng(0x201000, 0x202000), rx), pieces(with(f, rng(0x201000, 0x202000)))),
			},
			after: vmas(f),
		}),
		ginkgo.Entry("mprotect of two neighbours to one permission merges them", rules(2, "protect-splits-merges", "protect-returns-changed"), story{
			setup: vmas(anon(0x100000, 0x102000, rw), anon(0x102000, 0x104000, ro)),
			steps: []step{expect(protectOp(rng(0x100000, 0x104000), ro), pieces(anon(0x100000, 0x102000, ro)))},
			after: vmas(anon(0x100000, 0x104000, ro)),
		}),
		ginkgo.Entry("mprotect to the permission the pages already have changes nothing and returns nothing", rules(1, "protect-returns-changed"), story{
			setup: vmas(a),
			steps: []step{expect(protectOp(rng(0x101000, 0x103000), rw), pieces())},
			after: vmas(a),
		}),
		ginkgo.Entry("mprotect to PROT_NONE makes a guard page", rules(1, "protect-splits-merges", "protect-returns-changed"), story{
			setup: vmas(a),
			steps: []step{expect(protectOp(rng(0x100000, 0x101000), non), pieces(anon(0x100000, 0x101000, non)))},
			after: vmas(anon(0x100000, 0x101000, non), anon(0x101000, 0x104000, rw)),
		}),
		ginkgo.Entry("mprotect over a hole fails with ErrNotMapped and changes nothing", rules(2, "protect-holes", "failure-changes-nothing"), story{
			setup: vmas(anon(0x100000, 0x102000, rw), anon(0x103000, 0x104000, rw)),
			steps: []step{expect(protectOp(rng(0x101000, 0x104000), ro), fails(vm.ErrNotMapped))},
			after: vmas(anon(0x100000, 0x102000, rw), anon(0x103000, 0x104000, rw)),
		}),
		ginkgo.Entry("mprotect of a range ending in a hole fails and changes nothing", rules(1, "protect-holes", "failure-changes-nothing"), story{
			setup: vmas(a),
			steps: []step{expect(protectOp(rng(0x102000, 0x105000), ro), fails(vm.ErrNotMapped))},
			after: vmas(a),
		}),

		// MAP_FIXED replaces.
		ginkgo.Entry("MAP_FIXED over several VMAs replaces the parts it overlaps", rules(3, "map-fixed-replaces"), story{
			setup: vmas(anon(0x100000, 0x103000, rw), anon(0x103000, 0x104000, ro), fileVMA(0x105000, 0x108000, rx, "lib.so", 0)),
			steps: []step{fixedMap(fileVMA(0x101000, 0x106000, ro, "data", 0x2000))},
			after: vmas(anon(0x100000, 0x101000, rw), fileVMA(0x101000, 0x106000, ro, "data", 0x2000),
				fileVMA(0x106000, 0x108000, rx, "lib.so", 0x1000)),
		}),
		ginkgo.Entry("MAP_FIXED inside a VMA splits it around the new one", rules(2, "map-fixed-replaces"), story{
			setup: vmas(f),
			steps: []step{fixedMap(anon(0x201000, 0x202000, rw))},
			after: vmas(with(f, rng(0x200000, 0x201000)), anon(0x201000, 0x202000, rw), with(f, rng(0x202000, 0x204000))),
		}),
		ginkgo.Entry("MAP_FIXED with the attributes of the VMA it lands in leaves one VMA", rules(1, "map-fixed-replaces", "map-merges"), story{
			setup: vmas(f),
			steps: []step{fixedMap(with(f, rng(0x201000, 0x203000)))},
			after: vmas(f),
		}),

		// Placement without MAP_FIXED.
		ginkgo.Entry("mmap without a hint takes the lowest free range", rules(1, "map-placement"), story{
			limit: rng(0x10000, 0x20000),
			setup: vmas(anon(0x10000, 0x11000, ro), anon(0x12000, 0x13000, ro)),
			steps: []step{hinted(anon(0, 0x2000, rw), rng(0x13000, 0x15000)), hinted(anon(0, 0x1000, rw), rng(0x11000, 0x12000))},
			after: vmas(anon(0x10000, 0x11000, ro), anon(0x11000, 0x12000, rw), anon(0x12000, 0x13000, ro), anon(0x13000, 0x15000, rw)),
		}),
		ginkgo.Entry("mmap with an occupied hint takes the nearest free range above it", rules(2, "map-placement"), story{
			setup: vmas(anon(0x100000, 0x102000, ro), anon(0x103000, 0x104000, ro)),
			steps: []step{hinted(anon(0x101000, 0x103000, rw), rng(0x104000, 0x106000))},
			after: vmas(anon(0x100000, 0x102000, ro), anon(0x103000, 0x104000, ro), anon(0x104000, 0x106000, rw)),
		}),
		ginkgo.Entry("mmap falls back below the hint when nothing above it fits", rules(2, "map-placement"), story{
			limit: rng(0x10000, 0x20000),
			setup: vmas(anon(0x1c000, 0x1f000, ro)),
			steps: []step{hinted(anon(0x1e000, 0x20000, rw), rng(0x10000, 0x12000))},
			after: vmas(anon(0x10000, 0x12000, rw), anon(0x1c000, 0x1f000, ro)),
		}),
		ginkgo.Entry("mmap takes a free range that ends exactly at the top of the limit", rules(1, "map-placement"), story{
			limit: rng(0x10000, 0x20000),
			setup: vmas(anon(0x10000, 0x1e000, ro)),
			steps: []step{hinted(anon(0, 0x2000, rw), rng(0x1e000, 0x20000))},
			after: vmas(anon(0x10000, 0x1e000, ro), anon(0x1e000, 0x20000, rw)),
		}),
		ginkgo.Entry("mmap with no free range long enough fails with ErrOutOfMemory", rules(1, "map-out-of-memory", "failure-changes-nothing"), story{
			limit: rng(0x10000, 0x20000),
			setup: vmas(anon(0x14000, 0x15000, ro), anon(0x18000, 0x19000, ro)),
			steps: []step{expect(mapOp(anon(0, 0x8000, rw), false), fails(vm.ErrOutOfMemory))},
			after: vmas(anon(0x14000, 0x15000, ro), anon(0x18000, 0x19000, ro)),
		}),

		// Find and find_vma.
		ginkgo.Entry("Find gives the VMA containing an address; FindNext the first ending above it", rules(1, "find", "find-next"), story{
			setup: vmas(a, f),
			steps: []step{
				expect(findOp(0x103fff), found(a)),
				expect(findOp(0x104000), result{}),
				expect(findOp(0xfffff), result{}),
				expect(findNextOp(0xfffff), found(a)),
				expect(findNextOp(0x104000), found(f)),
				expect(findNextOp(0x203fff), found(f)),
				expect(findNextOp(0x204000), result{}),
				expect(findOp(0x204000), result{}), // above every VMA
			},
			after: vmas(a, f),
		}),

		// Stack growth.
		ginkgo.Entry("the stack grows down to the page of a fault just below it", rules(2, "grow-to-page", "grow-contains"), story{
			setup: vmas(a, stack(0x7ff0_0000, 0x7ff0_2000)),
			steps: []step{
				expect(growOp(0x7fef_e010, 0x10000, 0x1000), found(stack(0x7fef_e000, 0x7ff0_2000))),
				expect(growOp(0x7fef_f000, 0x10000, 0x1000), found(stack(0x7fef_e000, 0x7ff0_2000))),
			},
			after: vmas(a, stack(0x7fef_e000, 0x7ff0_2000)),
		}),
		ginkgo.Entry("the stack does not grow past its size limit", rules(1, "grow-max-size"), story{
			setup: vmas(stack(0x7ff0_0000, 0x7ff0_2000)),
			steps: []step{
				expect(growOp(0x7fef_d000, 0x4000, 0x1000), fails(vm.ErrOutOfMemory)),
				expect(growOp(0x7fef_e000, 0x4000, 0x1000), found(stack(0x7fef_e000, 0x7ff0_2000))),
			},
			after: vmas(stack(0x7fef_e000, 0x7ff0_2000)),
		}),
		ginkgo.Entry("the stack keeps a guard gap to the VMA below it", rules(2, "grow-guard-gap"), story{
			setup: vmas(anon(0x7fe0_0000, 0x7fef_c000, rw), stack(0x7ff0_0000, 0x7ff0_2000)),
			steps: []step{
				expect(growOp(0x7fef_d000, 0x100000, 0x2000), fails(vm.ErrOutOfMemory)),
				expect(growOp(0x7fef_e000, 0x100000, 0x2000), found(stack(0x7fef_e000, 0x7ff0_2000))),
			},
			after: vmas(anon(0x7fe0_0000, 0x7fef_c000, rw), stack(0x7fef_e000, 0x7ff0_2000)),
		}),
		ginkgo.Entry("a fault below a VMA that does not grow down is not stack growth", rules(1, "grow-errors"), story{
			setup: vmas(a),
			steps: []step{
				expect(growOp(0xff000, 0x100000, 0), fails(vm.ErrNotMapped)),
				expect(growOp(0x104000, 0x100000, 0), fails(vm.ErrNotMapped)),
			},
			after: vmas(a),
		}),

		// brk.
		ginkgo.Entry("brk grows the heap in place and shrinks it back", rules(2, "resize-moves-end", "sorted"), story{
			setup: vmas(heap(0x600000, 0x601000), a),
			steps: []step{
				expect(resizeOp(0x600000, 0x604000), okay),
				expect(findOp(0x603fff), found(heap(0x600000, 0x604000))),
				expect(resizeOp(0x600000, 0x602000), okay),
			},
			after: vmas(a, heap(0x600000, 0x602000)),
		}),
		ginkgo.Entry("brk cannot grow the heap into the next VMA", rules(1, "resize-errors", "resize-moves-end"), story{
			setup: vmas(heap(0x600000, 0x601000), anon(0x603000, 0x604000, rw)),
			steps: []step{
				expect(resizeOp(0x600000, 0x604000), fails(vm.ErrAlreadyMapped)),
				expect(resizeOp(0x600000, 0x603000), okay),
			},
			after: vmas(heap(0x600000, 0x603000), anon(0x603000, 0x604000, rw)),
		}),
	}
}

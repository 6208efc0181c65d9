package vmaspec

import (
	"github.com/onsi/ginkgo/v2"

	"github.com/vmkata/vmkata/vm"
)

// top is a limit reaching the last page below the top of the address
// space, where an address plus a length can wrap around.
var top = rng(0xffff_ffff_fff0_0000, 0xffff_ffff_ffff_f000)

// edges lists the cases off the happy path: exact boundaries, holes,
// contact with a neighbour, the top of the address space, error order.
func edges() []ginkgo.TableEntry {
	a := anon(0x100000, 0x104000, rw)                 // four pages
	f := fileVMA(0x200000, 0x204000, rx, "lib.so", 0) // four pages of a file
	fileStack := func(start, end vm.VAddr, off uint64) vm.VMA {
		return vm.VMA{Range: rng(start, end), Perm: rw, Backing: vm.BackingFile, File: "f", Offset: off, GrowsDown: true}
	}
	return []ginkgo.TableEntry{
		// Placement and merging.
		ginkgo.Entry("mmap with a free hint uses it even when a lower range is free", rules(1, "map-placement"), story{
			setup: vmas(anon(0x100000, 0x101000, ro)),
			steps: []step{hinted(anon(0x300000, 0x302000, rw), rng(0x300000, 0x302000))},
			after: vmas(anon(0x100000, 0x101000, ro), anon(0x300000, 0x302000, rw)),
		}),
		ginkgo.Entry("mmap with a hint above the limit takes the lowest free range", rules(1, "map-placement"), story{
			limit: rng(0x10000, 0x20000),
			steps: []step{hinted(anon(0x30000, 0x31000, rw), rng(0x10000, 0x11000))},
			after: vmas(anon(0x10000, 0x11000, rw)),
		}),
		ginkgo.Entry("mmap near the top of the address space does not wrap around", rules(2, "map-placement", "well-formed", "check-nil"), story{
			limit: top,
			setup: vmas(anon(0xffff_ffff_ffff_e000, 0xffff_ffff_ffff_f000, ro)),
			steps: []step{
				hinted(anon(0xffff_ffff_ffff_d000, 0xffff_ffff_ffff_f000, rw), rng(0xffff_ffff_fff0_0000, 0xffff_ffff_fff0_2000)),
				fixedMap(anon(0xffff_ffff_ffff_c000, 0xffff_ffff_ffff_e000, rw)),
			},
			after: vmas(anon(0xffff_ffff_fff0_0000, 0xffff_ffff_fff0_2000, rw), anon(0xffff_ffff_ffff_c000, 0xffff_ffff_ffff_e000, rw),
				anon(0xffff_ffff_ffff_e000, 0xffff_ffff_ffff_f000, ro)),
		}),
		ginkgo.Entry("mmap without MAP_FIXED returns its own range when it merges with a neighbour", rules(1, "map-merges"), story{
			setup: vmas(a),
			steps: []step{
				hinted(anon(0x104000, 0x106000, rw), rng(0x104000, 0x106000)),
				hinted(anon(0x100000, 0x101000, rw), rng(0x106000, 0x107000)),
			},
			after: vmas(anon(0x100000, 0x107000, rw)),
		}),
		ginkgo.Entry("VMAs that differ only in growing down, or only in sharing, stay apart", rules(1, "merged"), story{
			setup: vmas(stack(0x7ff0_0000, 0x7ff0_2000), f),
			steps: []step{
				fixedMap(vm.VMA{Range: rng(0x7fef_e000, 0x7ff0_0000), Perm: rw, Role: vm.RoleStack}),
				fixedMap(vm.VMA{Range: rng(0x204000, 0x205000), Perm: rx, Shared: true, Backing: vm.BackingFile, File: "lib.so", Offset: 0x4000, Role: vm.RoleMmap}),
			},
			after: vmas(f, vm.VMA{Range: rng(0x204000, 0x205000), Perm: rx, Shared: true, Backing: vm.BackingFile, File: "lib.so", Offset: 0x4000, Role: vm.RoleMmap},
				vm.VMA{Range: rng(0x7fef_e000, 0x7ff0_0000), Perm: rw, Role: vm.RoleStack}, stack(0x7ff0_0000, 0x7ff0_2000)),
		}),
		ginkgo.Entry("MAP_FIXED over whole VMAs and the holes between them replaces them all", rules(1, "map-fixed-replaces"), story{
			setup: vmas(anon(0x100000, 0x101000, ro), anon(0x102000, 0x103000, rx)),
			steps: []step{fixedMap(anon(0x100000, 0x103000, rw))},
			after: vmas(anon(0x100000, 0x103000, rw)),
		}),

		// munmap.
		ginkgo.Entry("munmap returns one piece per VMA, clipped, a file piece at its own offset", rules(1, "unmap-returns-pieces"), story{
			setup: vmas(anon(0x100000, 0x101000, rw), anon(0x101000, 0x102000, ro), fileVMA(0x102000, 0x104000, rx, "f", 0x5000)),
			steps: []step{expect(unmapOp(rng(0x100000, 0x103000)), pieces(
				anon(0x100000, 0x101000, rw), anon(0x101000, 0x102000, ro), fileVMA(0x102000, 0x103000, rx, "f", 0x5000)))},
			after: vmas(fileVMA(0x103000, 0x104000, rx, "f", 0x6000)),
		}),
		ginkgo.Entry("munmap of the whole limit empties the set", rules(1, "unmap-splits", "all-len-total"), story{
			setup: vmas(a, f),
			steps: []step{expect(unmapOp(defaultLimit), pieces(a, f))},
		}),

		// mprotect.
		ginkgo.Entry("mprotect across VMAs returns only the pieces that changed, as they were before merging",
			rules(2, "protect-returns-changed", "protect-splits-merges"), story{
				setup: vmas(anon(0x100000, 0x102000, rw), anon(0x102000, 0x103000, ro), anon(0x103000, 0x104000, rw)),
				steps: []step{expect(protectOp(rng(0x101000, 0x104000), ro), pieces(anon(0x101000, 0x102000, ro), anon(0x103000, 0x104000, ro)))},
				after: vmas(anon(0x100000, 0x101000, rw), anon(0x101000, 0x104000, ro)),
			}),
		ginkgo.Entry("mprotect of a file VMA's last page returns it at its own offset", rules(1, "protect-returns-changed"), story{
			setup: vmas(f),
			steps: []step{expect(protectOp(rng(0x203000, 0x204000), rw), pieces(fileVMA(0x203000, 0x204000, rw, "lib.so", 0x3000)))},
			after: vmas(with(f, rng(0x200000, 0x203000)), fileVMA(0x203000, 0x204000, rw, "lib.so", 0x3000)),
		}),
		ginkgo.Entry("mprotect of a range starting in a hole, or wholly in one, fails and changes nothing",
			rules(1, "protect-holes", "failure-changes-nothing"), story{
				setup: vmas(anon(0x101000, 0x104000, rw)),
				steps: []step{
					expect(protectOp(rng(0x100000, 0x102000), ro), fails(vm.ErrNotMapped)),
					expect(protectOp(rng(0x200000, 0x201000), ro), fails(vm.ErrNotMapped)),
				},
				after: vmas(anon(0x101000, 0x104000, rw)),
			}),

		// Stack growth.
		ginkgo.Entry("Grow of an address inside a VMA returns it unchanged, whatever the limits", rules(1, "grow-contains"), story{
			setup: vmas(a, stack(0x7ff0_0000, 0x7ff0_2000)),
			steps: []step{
				expect(growOp(0x101234, 0x1000, 0x100000), found(a)),
				expect(growOp(0x7ff0_1234, 0x1000, 0x100000), found(stack(0x7ff0_0000, 0x7ff0_2000))),
				expect(growOp(0x7ff0_0000, 0x1000, 0x100000), found(stack(0x7ff0_0000, 0x7ff0_2000))), // its first byte
			},
			after: vmas(a, stack(0x7ff0_0000, 0x7ff0_2000)),
		}),
		ginkgo.Entry("a stack with no VMA below grows whatever the guard gap", rules(1, "grow-guard-gap"), story{
			setup: vmas(stack(0x30000, 0x32000)),
			steps: []step{expect(growOp(0x2f800, 0x100000, 0x100000), found(stack(0x2f000, 0x32000)))},
			after: vmas(stack(0x2f000, 0x32000)),
		}),
		ginkgo.Entry("a stack grown into contact with a compatible VMA below merges with it", rules(1, "grow-to-page", "merged", "check-nil"), story{
			setup: vmas(stack(0x7fef_c000, 0x7fef_e000), stack(0x7ff0_0000, 0x7ff0_2000)),
			steps: []step{
				expect(growOp(0x7fef_f800, 0x10000, 0), found(stack(0x7fef_f000, 0x7ff0_2000))),
				expect(growOp(0x7fef_e000, 0x10000, 0), found(stack(0x7fef_c000, 0x7ff0_2000))),
			},
			after: vmas(stack(0x7fef_c000, 0x7ff0_2000)),
		}),
		ginkgo.Entry("a file-backed stack moves its offset down with its start, never below 0", rules(1, "grow-file-offset", "grow-errors"), story{
			setup: vmas(fileStack(0x100000, 0x101000, 0x2000)),
			steps: []step{
				expect(growOp(0xfe800, 0x10000, 0), found(fileStack(0xfe000, 0x101000, 0))),
				expect(growOp(0xfd000, 0x10000, 0), fails(vm.ErrOutOfRange)),
			},
			after: vmas(fileStack(0xfe000, 0x101000, 0)),
		}),
		ginkgo.Entry("Grow with no VMA above fails with ErrNotMapped", rules(1, "grow-errors"), story{
			setup: vmas(a),
			steps: []step{expect(growOp(0x200000, 0x100000, 0), fails(vm.ErrNotMapped))},
			after: vmas(a),
		}),
		ginkgo.Entry("Grow below the limit under a VMA that does not grow down fails with ErrNotMapped first", rules(1, "grow-errors"), story{
			setup: vmas(anon(0x10000, 0x11000, rw)),
			steps: []step{expect(growOp(0x8000, 0x100000, 0), fails(vm.ErrNotMapped))},
			after: vmas(anon(0x10000, 0x11000, rw)),
		}),
		ginkgo.Entry("the stack grows down to the limit's first page, not below it (ErrOutOfRange before the size limit)",
			rules(1, "grow-errors", "grow-to-page"), story{
				setup: vmas(stack(0x11000, 0x13000)),
				steps: []step{
					expect(growOp(0xf000, 0x1000, 0), fails(vm.ErrOutOfRange)),
					expect(growOp(0x10800, 0x10000, 0), found(stack(0x10000, 0x13000))),
				},
				after: vmas(stack(0x10000, 0x13000)),
			}),
		ginkgo.Entry("the size limit comes before the file offset: ErrOutOfMemory", rules(1, "grow-errors"), story{
			setup: vmas(fileStack(0x100000, 0x101000, 0x1000)),
			steps: []step{expect(growOp(0xfe000, 0x2000, 0), fails(vm.ErrOutOfMemory))},
			after: vmas(fileStack(0x100000, 0x101000, 0x1000)),
		}),

		// brk.
		ginkgo.Entry("brk growing into contact with a compatible VMA merges with it", rules(1, "resize-moves-end", "merged"), story{
			setup: vmas(heap(0x600000, 0x601000), heap(0x603000, 0x604000)),
			steps: []step{expect(resizeOp(0x600000, 0x603000), okay)},
			after: vmas(heap(0x600000, 0x604000)),
		}),
		ginkgo.Entry("brk moves only the end of its VMA, to the same end too", rules(1, "resize-moves-end"), story{
			setup: vmas(anon(0x5ff000, 0x600000, rw), heap(0x600000, 0x604000), anon(0x604000, 0x605000, rw)),
			steps: []step{
				expect(resizeOp(0x600000, 0x604000), okay),
				expect(resizeOp(0x600000, 0x601000), okay),
			},
			after: vmas(anon(0x5ff000, 0x600000, rw), heap(0x600000, 0x601000), anon(0x604000, 0x605000, rw)),
		}),
	}
}

// Package pagetable holds the three page tables of the textbooks, each an
// implementation of vm.PageTable:
//
//   - Linear: the single-level table, one entry per virtual page in one flat
//     array. Simple, one memory read per translation, and hopeless for large
//     address spaces: NewLinear refuses any geometry needing more than 1<<24
//     entries (x86-64's 48 bits would need 2^36 entries, 512 GiB).
//   - Radix: the multi-level (hierarchical) table of x86 (2 levels on x86-32,
//     4 or 5 on x86-64), stored as real little-endian entries in frames of
//     simulated physical memory (a vm.PhysMem), with 2 MiB and 1 GiB huge
//     pages, A/D bits set in memory, and table pages freed when they empty.
//   - Inverted: one entry per physical frame for the whole machine, found by
//     hashing (ASID, VPN) into an anchor table with chaining (PowerPC, IA-64,
//     OSTEP's "inverted page tables"); Space gives one address space's view.
//
// All three record what a lookup read (vm.Walk) and report their memory
// overhead (TableBytes), which is the point of comparing them. The usage
// idiom for the radix table:
//
//	mem, _ := phys.NewMemory(1024, vm.Size4K)
//	frames, _ := phys.NewFreeList(mem.Frames())
//	pt, err := pagetable.NewRadix(vm.X86_64, mem, frames)
//	if err != nil { … }
//	err = pt.Map(vm.Mapping{VA: 0x400000, PFN: 0x2a, Size: vm.Size4K, Perm: vm.PermRX | vm.PermUser})
//	w, err := pt.Walk(0x400123) // w.Reads: the four entries the walker read
//	_ = pt.MarkAccessed(0x400123, false)
//	m, err := pt.Unmap(0x400000) // frees the three tables left empty
//
// Levels are numbered as in the Intel manuals: the root is level g.Levels,
// the table of base-page entries is level 1.
//
// Bad input returns errors wrapping the vm sentinels; nothing panics. None
// of the tables is safe for concurrent use.
package pagetable

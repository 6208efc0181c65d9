package main

import (
	"flag"
	"fmt"
	"io"

	"github.com/vmkata/vmkata/reference/addr"
	"github.com/vmkata/vmkata/reference/pagetable"
	"github.com/vmkata/vmkata/reference/phys"
	"github.com/vmkata/vmkata/vm"
)

var walkCmd = command{
	name:    "walk",
	summary: "split an x86-64 virtual address into page-table indices and walk an example table",
	usage: `--va ADDR [--levels 4|5] [--geometry G]

Prints the index each page-table level takes from ADDR, then builds a small
radix page table in simulated physical memory that maps ADDR's page and walks
it the way the MMU does: at each level, the physical address of the entry read
(table base + index × entry size) and the entry found there. A page in the
kernel's half of the address space (the upper half of x86-64, above 3 GiB on
x86-32) is mapped supervisor-only, as a kernel maps it; any other page is a
user page.`,
	setup: setupWalk,
}

func setupWalk(fs *flag.FlagSet) func(io.Writer) error {
	vaFlag := fs.String("va", "", "virtual `address` (0x hex or decimal), e.g. 0x7f1234567abc")
	levels := fs.Int("levels", 4, "x86-64 paging levels: 4 (48-bit) or 5 (57-bit, LA57)")
	geom := fs.String("geometry", "", "another geometry instead: x86-32, textbook, or a split such as 10/10/12")
	return func(stdout io.Writer) error {
		if *vaFlag == "" {
			return usagef("--va: give the virtual address to walk")
		}
		g, err := walkGeometry(*levels, *geom)
		if err != nil {
			return err
		}
		va, err := addr.ParseVAddr(*vaFlag)
		if err != nil {
			return err
		}
		if err := printSplit(stdout, g, va); err != nil {
			return err
		}
		return printExampleWalk(stdout, g, va)
	}
}

func walkGeometry(levels int, geom string) (vm.Geometry, error) {
	if geom != "" {
		return addr.ParseGeometry(geom)
	}
	switch levels {
	case 4:
		return vm.X86_64, nil
	case 5:
		return vm.X86_64_5Level, nil
	}
	return vm.Geometry{}, usagef("--levels %d: x86-64 has 4 or 5 levels", levels)
}

// printSplit prints which bits of va index which level.
func printSplit(w io.Writer, g vm.Geometry, va vm.VAddr) error {
	idx, err := addr.Indices(g, va)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%v, virtual address %v\n", g, va)
	hi := int(g.VABits) - 1
	for i := 0; i < int(g.Levels); i++ {
		bits := int(g.LevelBits[i])
		name := addr.LevelName(g, int(g.Levels)-i)
		fmt.Fprintf(w, "  %-6s bits %2d-%-2d  index %3d  (%#x)\n", name, hi, hi-bits+1, idx[i], idx[i])
		hi -= bits
	}
	fmt.Fprintf(w, "  %-6s bits %2d-%-2d  %#x\n", "offset", hi, 0, addr.PageOffset(va, g.PageSize()))
	s, err := addr.Format(g, va)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "  %s\n", s)
	return nil
}

// printExampleWalk maps va's page in a fresh radix table and prints the walk.
func printExampleWalk(w io.Writer, g vm.Geometry, va vm.VAddr) error {
	const frames = 64
	mem, err := phys.NewMemory(frames, g.PageSize())
	if err != nil {
		return err
	}
	alloc, err := phys.NewFreeList(frames)
	if err != nil {
		return err
	}
	// Take a few frames first, as a running system would have, so that the
	// table frames do not start at physical address 0.
	for range 3 {
		if _, err := alloc.Alloc(); err != nil {
			return err
		}
	}
	table, err := pagetable.NewRadix(g, mem, alloc)
	if err != nil {
		return err
	}
	data, err := alloc.Alloc()
	if err != nil {
		return err
	}
	page := addr.AlignDown(va, g.PageSize())
	perm := vm.PermRW | vm.PermUser
	if kernelHalf(g, va) {
		perm = vm.PermRW
	}
	m := vm.Mapping{VA: page, PFN: data, Size: g.PageSize(), Perm: perm}
	if err := table.Map(m); err != nil {
		return err
	}
	walk, err := table.Walk(va)
	if err != nil {
		return err
	}
	idx, err := addr.Indices(g, va)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\nexample: a radix table in simulated physical memory maps %v\n", m)
	fmt.Fprintf(w, "  CR3 = %v (root table)\n", table.Root())
	for i := 0; i < walk.Steps; i++ {
		name := addr.LevelName(g, int(g.Levels)-i)
		fmt.Fprintf(w, "  %-5s read [%v] = table %#x + %d × %d: %v\n",
			name, walk.Reads[i], uint64(walk.Reads[i])-uint64(idx[i])*uint64(g.EntryBytes), idx[i], g.EntryBytes, walk.Entries[i])
	}
	if !walk.Present() {
		return fmt.Errorf("walk of %v found no page: %v", va, walk)
	}
	pa := vm.PAddr(uint64(walk.Leaf().PFN())<<g.OffsetBits | addr.PageOffset(va, g.PageSize()))
	fmt.Fprintf(w, "  => %v page, %v: physical address %v (%v, offset %#x)\n",
		walk.Size, walk.Perm, pa, walk.Leaf().PFN(), addr.PageOffset(va, g.PageSize()))
	return nil
}

// x86_32KernelBase is where 32-bit Linux's kernel half starts (the 3 GiB /
// 1 GiB split).
const x86_32KernelBase = 0xc000_0000

// kernelHalf reports whether va lies in the part of the address space a
// kernel keeps for itself: on a sign-extended geometry (x86-64) the upper
// half, whose addresses have bit VABits-1 set; on x86-32 the top 1 GiB. The
// small textbook geometries have no kernel half.
func kernelHalf(g vm.Geometry, va vm.VAddr) bool {
	switch {
	case g.SignExtended:
		return uint64(va)>>(g.VABits-1)&1 == 1
	case g == vm.X86_32:
		return va >= x86_32KernelBase
	}
	return false
}

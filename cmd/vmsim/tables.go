package main

import (
	"flag"
	"fmt"
	"io"

	"github.com/vmkata/vmkata/reference/pagetable"
	"github.com/vmkata/vmkata/reference/phys"
	"github.com/vmkata/vmkata/vm"
)

var tablesCmd = command{
	name:    "tables",
	summary: "page-table memory of N processes: one radix table each vs one inverted table",
	usage: `--procs 32 --pages 6 --frames 4096

Builds --procs x86-64 processes, each mapping --pages pages spread over text,
heap and stack, into one radix (4-level) table per process and into one
inverted table of --frames frames shared by all, and prints the table memory
of each and the inverted table's chain lengths: radix tables grow with the
processes, the inverted table with physical memory only, at the price of
hashing and chain walks on every miss.`,
	setup: setupTables,
}

func setupTables(fs *flag.FlagSet) func(io.Writer) error {
	procs := fs.Int("procs", 32, "number of processes")
	pages := fs.Int("pages", 6, "pages mapped by each process")
	frames := fs.Int("frames", 4096, "physical frames (the inverted table has one entry per frame)")
	return func(stdout io.Writer) error {
		if *procs < 1 || *procs > 4096 {
			return usagef("--procs %d: want 1..4096", *procs)
		}
		if *pages < 1 || *pages > 512 {
			return usagef("--pages %d: want 1..512", *pages)
		}
		if *procs**pages > *frames {
			return usagef("--procs %d × --pages %d = %d pages do not fit in --frames %d", *procs, *pages, *procs**pages, *frames)
		}
		inv, err := pagetable.NewInverted(vm.X86_64, *frames)
		if err != nil {
			return err
		}
		// The radix tables' own pages: at most 1 + 3 × (3 + 1) per process.
		tableFrames := *procs * 16
		mem, err := phys.NewMemory(tableFrames, vm.Size4K)
		if err != nil {
			return err
		}
		alloc, err := phys.NewFreeList(tableFrames)
		if err != nil {
			return err
		}
		radixBytes := uint64(0)
		pfn := vm.PFN(0)
		for p := range *procs {
			r, err := pagetable.NewRadix(vm.X86_64, mem, alloc)
			if err != nil {
				return err
			}
			space := inv.Space(vm.ASID(p + 1))
			for _, va := range processPages(*pages) {
				m := vm.Mapping{VA: va, PFN: pfn, Size: vm.Size4K, Perm: vm.PermRW | vm.PermUser}
				pfn++
				if err := r.Map(m); err != nil {
					return err
				}
				if err := space.Map(m); err != nil {
					return err
				}
			}
			radixBytes += r.TableBytes()
		}
		longest, probes := 0, 0
		for p := range *procs {
			for _, va := range processPages(*pages) {
				n := inv.Probes(vm.ASID(p+1), va)
				probes += n
				longest = max(longest, n)
			}
		}
		fmt.Fprintf(stdout, "%d processes × %d pages = %d pages mapped, %d frames of RAM\n", *procs, *pages, pfn, *frames)
		fmt.Fprintf(stdout, "radix (x86-64, 4 levels): %d KiB in %d tables, %.1f KiB per process; a hit reads 4 entries\n",
			radixBytes>>10, *procs, float64(radixBytes)/1024/float64(*procs))
		fmt.Fprintf(stdout, "inverted: %d KiB for all processes together; a hit reads %.2f entries on average, %d at worst\n",
			inv.TableBytes()>>10, float64(probes)/float64(pfn), longest)
		return nil
	}
}

// processPages returns n page addresses of a process: a third in the text
// at 0x400000, a third in the heap at 0x600000, the rest below the stack top.
func processPages(n int) []vm.VAddr {
	vas := make([]vm.VAddr, 0, n)
	for i := range n {
		switch i % 3 {
		case 0:
			vas = append(vas, vm.VAddr(0x40_0000+i/3*0x1000))
		case 1:
			vas = append(vas, vm.VAddr(0x60_0000+i/3*0x1000))
		default:
			vas = append(vas, vm.VAddr(0x7fff_ffff_f000-i/3*0x1000))
		}
	}
	return vas
}

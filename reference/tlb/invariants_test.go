package tlb

import (
	"fmt"
	"testing"

	"pgregory.net/rapid"

	"github.com/vmkata/vmkata/vm"
)

// checkInvariants verifies the bookkeeping the public behaviour relies on:
// every valid entry sits in the set its page selects, the counts per page
// size and the sorted list of present sizes agree with the slots, n counts
// the valid slots, and no two valid entries share a lookup.
func (t *TLB) checkInvariants() error {
	var perShift [64]int
	n := 0
	for i := range t.tags {
		g := &t.tags[i]
		if g.flags&tagValid == 0 {
			if t.entries[i] != (vm.TLBEntry{}) {
				return fmt.Errorf("way %d is invalid but holds %v", i, t.entries[i])
			}
			continue
		}
		e := t.entries[i]
		n++
		perShift[g.shift]++
		if g.va != e.VA || g.asid != e.ASID || vm.PageSize(1)<<g.shift != e.Size || (g.flags&tagGlobal != 0) != e.Global {
			return fmt.Errorf("way %d: tag %+v does not describe %v", i, *g, e)
		}
		if set := i / t.ways; set != t.SetIndex(e.VA, e.Size) {
			return fmt.Errorf("way %d (set %d) holds %v, which belongs in set %d", i, set, e, t.SetIndex(e.VA, e.Size))
		}
		for j := i + 1; j < len(t.tags); j++ {
			o := t.entries[j]
			small, big := e, o
			if small.Size > big.Size {
				small, big = big, small
			}
			if t.tags[j].flags&tagValid != 0 && small.VA&^vm.VAddr(big.Size-1) == big.VA && sharesLookup(e, o) {
				return fmt.Errorf("ways %d and %d share a lookup: %v and %v", i, j, e, o)
			}
		}
	}
	if n != t.n {
		return fmt.Errorf("n = %d, but %d ways are valid", t.n, n)
	}
	if perShift != t.perShift {
		return fmt.Errorf("perShift = %v, tags say %v", t.perShift, perShift)
	}
	var shifts []uint8
	for k, c := range perShift {
		if c > 0 {
			shifts = append(shifts, uint8(k))
		}
	}
	if fmt.Sprint(shifts) != fmt.Sprint(t.shifts[:t.nShifts]) {
		return fmt.Errorf("shifts = %v, tags say %v", t.shifts[:t.nShifts], shifts)
	}
	return nil
}

func TestInvariantsHoldUnderRandomOperations(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		cfg := vm.TLBConfig{Ways: rapid.SampledFrom([]int{1, 2, 4}).Draw(rt, "ways")}
		cfg.Entries = cfg.Ways * rapid.SampledFrom([]int{1, 2, 4, 8}).Draw(rt, "sets")
		tl, err := New(cfg)
		if err != nil {
			rt.Fatalf("New(%v) = %v", cfg, err)
		}
		sizes := []vm.PageSize{64, vm.Size4K, vm.Size2M, vm.Size1G}
		for range rapid.IntRange(1, 60).Draw(rt, "ops") {
			size := rapid.SampledFrom(sizes).Draw(rt, "size")
			va := vm.VAddr(rapid.IntRange(0, 40).Draw(rt, "page")) * vm.VAddr(size)
			asid := vm.ASID(rapid.IntRange(0, 2).Draw(rt, "asid"))
			switch rapid.IntRange(0, 5).Draw(rt, "op") {
			case 0, 1:
				e := vm.TLBEntry{ASID: asid, VA: va, Size: size, Global: rapid.IntRange(0, 3).Draw(rt, "global") == 3}
				if err := tl.Insert(e); err != nil {
					rt.Fatalf("Insert(%v) = %v", e, err)
				}
			case 2:
				tl.Lookup(asid, va+vm.VAddr(size/2))
			case 3:
				tl.FlushPage(asid, va)
			case 4:
				tl.FlushASID(asid)
			case 5:
				tl.FlushNonGlobal()
			}
			if err := tl.checkInvariants(); err != nil {
				rt.Fatal(err)
			}
		}
	})
}

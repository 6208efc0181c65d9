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
	for i := range t.slots {
		sl := &t.slots[i]
		if !sl.valid {
			continue
		}
		n++
		perShift[sl.shift]++
		if vm.PageSize(1)<<sl.shift != sl.e.Size {
			return fmt.Errorf("slot %d: shift %d for %v", i, sl.shift, sl.e)
		}
		if set := i / t.ways; set != t.SetIndex(sl.e.VA, sl.e.Size) {
			return fmt.Errorf("slot %d (set %d) holds %v, which belongs in set %d", i, set, sl.e, t.SetIndex(sl.e.VA, sl.e.Size))
		}
		for j := i + 1; j < len(t.slots); j++ {
			o := &t.slots[j]
			small, big := sl.e, o.e
			if small.Size > big.Size {
				small, big = big, small
			}
			if o.valid && small.VA&^vm.VAddr(big.Size-1) == big.VA && sharesLookup(sl.e, o.e) {
				return fmt.Errorf("slots %d and %d share a lookup: %v and %v", i, j, sl.e, o.e)
			}
		}
	}
	if n != t.n {
		return fmt.Errorf("n = %d, but %d slots are valid", t.n, n)
	}
	if perShift != t.perShift {
		return fmt.Errorf("perShift = %v, slots say %v", t.perShift, perShift)
	}
	var shifts []uint8
	for k, c := range perShift {
		if c > 0 {
			shifts = append(shifts, uint8(k))
		}
	}
	if fmt.Sprint(shifts) != fmt.Sprint(t.shifts[:t.nShifts]) {
		return fmt.Errorf("shifts = %v, slots say %v", t.shifts[:t.nShifts], shifts)
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

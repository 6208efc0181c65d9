package pagetable

import (
	"errors"
	"testing"

	"github.com/vmkata/vmkata/reference/phys"
	"github.com/vmkata/vmkata/vm"
)

// newTestRadix builds a table for g over frames frames of memory.
func newTestRadix(t testing.TB, g vm.Geometry, frames int) (*Radix, *phys.Memory, *phys.FreeList) {
	t.Helper()
	mem, err := phys.NewMemory(frames, g.PageSize())
	if err != nil {
		t.Fatalf("NewMemory(%d, %v): %v", frames, g.PageSize(), err)
	}
	fl, err := phys.NewFreeList(frames)
	if err != nil {
		t.Fatalf("NewFreeList(%d): %v", frames, err)
	}
	pt, err := NewRadix(g, mem, fl)
	if err != nil {
		t.Fatalf("NewRadix(%v): %v", g, err)
	}
	return pt, mem, fl
}

func TestRadixMapWalkUnmap(t *testing.T) {
	pt, _, fl := newTestRadix(t, vm.X86_64, 64)
	free := fl.FreeFrames()
	m := vm.Mapping{VA: 0x7fff_ffff_f000, PFN: 0x2a, Size: vm.Size4K, Perm: vm.PermRW | vm.PermUser}
	if err := pt.Map(m); err != nil {
		t.Fatalf("Map(%v) = %v, want nil", m, err)
	}
	if got, want := pt.TablePages(), 4; got != want {
		t.Errorf("TablePages() = %d, want %d", got, want)
	}
	w, err := pt.Walk(0x7fff_ffff_f123)
	if err != nil || !w.Present() || w.Steps != 4 || w.Leaf().PFN() != 0x2a || w.Perm != m.Perm {
		t.Fatalf("Walk = %v, %v; want a 4-step walk to pfn 0x2a %v", w, err, m.Perm)
	}
	if w.Reads[0] != pt.Root()+255*8 {
		t.Errorf("Walk.Reads[0] = %v, want root %v + 255*8", w.Reads[0], pt.Root())
	}
	got, err := pt.Unmap(0x7fff_ffff_f800)
	if err != nil || got != m {
		t.Fatalf("Unmap = %v, %v; want %v, nil", got, err, m)
	}
	if fl.FreeFrames() != free || pt.TablePages() != 1 {
		t.Errorf("after Unmap: FreeFrames() = %d, TablePages() = %d; want %d, 1", fl.FreeFrames(), pt.TablePages(), free)
	}
	if _, err := pt.Unmap(0x7fff_ffff_f000); !errors.Is(err, vm.ErrNotMapped) {
		t.Errorf("second Unmap = %v, want ErrNotMapped", err)
	}
}

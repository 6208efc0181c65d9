package pagetablespec

import (
	"bytes"
	"fmt"
	"sort"

	"github.com/vmkata/vmkata/vm"
)

// rigFrames is the frame allocator a radix table gets in the specs: a real
// free list whose frames come back dirty, and that can be told to refuse
// one allocation.
//
// Every frame Alloc hands out is first filled with garbage that reads as
// present entries pointing nowhere, as a recycled frame would: a table that
// does not zero its new table pages walks into that garbage. failAt makes
// the failAt-th Alloc call (counting from 1 over the allocator's life) fail
// with vm.ErrOutOfMemory, so that each allocation point of a Map can be made
// to fail in turn.
type rigFrames struct {
	vm.FrameAllocator
	mem    vm.PhysMem
	page   vm.PageSize
	allocs int             // Alloc calls so far, failed ones included
	failAt int             // the Alloc call that fails; 0 for none
	live   map[vm.PFN]bool // frames allocated and not freed
	first  vm.PFN          // the frame of the first successful Alloc (the root table)
	trail  []string        // allocations and frees, for failure messages
}

func newRigFrames(free vm.FrameAllocator, mem vm.PhysMem, page vm.PageSize) *rigFrames {
	return &rigFrames{FrameAllocator: free, mem: mem, page: page, live: map[vm.PFN]bool{}, first: ^vm.PFN(0)}
}

// garbage is the pattern a dirty frame is filled with: as a 4- or an 8-byte
// entry it is present (P, RW, US, A, D) and points at a frame far outside
// the table's memory.
var garbage = []byte{0x67, 0xd0, 0xea, 0x0d}

// Alloc returns a dirty free frame, or fails as failAt says.
func (f *rigFrames) Alloc() (vm.PFN, error) {
	f.allocs++
	if f.allocs == f.failAt {
		f.trail = append(f.trail, fmt.Sprintf("Alloc #%d: out of memory (injected)", f.allocs))
		return 0, fmt.Errorf("spec rig: allocation #%d refused: %w", f.allocs, vm.ErrOutOfMemory)
	}
	pfn, err := f.FrameAllocator.Alloc()
	if err != nil {
		return pfn, err
	}
	dirt := bytes.Repeat(garbage, int(f.page)/len(garbage))
	if err := f.mem.Write(vm.PAddr(uint64(pfn)*uint64(f.page)), dirt); err != nil {
		return 0, fmt.Errorf("spec rig: dirtying %v: %w", pfn, err)
	}
	if f.first == ^vm.PFN(0) {
		f.first = pfn
	}
	f.live[pfn] = true
	f.trail = append(f.trail, fmt.Sprintf("Alloc #%d = %v", f.allocs, pfn))
	return pfn, nil
}

// Free returns pfn to the free list.
func (f *rigFrames) Free(pfn vm.PFN) error {
	err := f.FrameAllocator.Free(pfn)
	if err == nil {
		delete(f.live, pfn)
	}
	f.trail = append(f.trail, fmt.Sprintf("Free(%v) = %v", pfn, err))
	return err
}

// state is what a failed call must leave as it was: the free frame count,
// and the bytes of every frame held (the table pages).
func (f *rigFrames) state() string {
	frames := make([]vm.PFN, 0, len(f.live))
	for pfn := range f.live {
		frames = append(frames, pfn)
	}
	sort.Slice(frames, func(i, j int) bool { return frames[i] < frames[j] })
	var b bytes.Buffer
	fmt.Fprintf(&b, "%d free, held %v;", f.FreeFrames(), frames)
	buf := make([]byte, f.page)
	for _, pfn := range frames {
		if err := f.mem.Read(vm.PAddr(uint64(pfn)*uint64(f.page)), buf); err != nil {
			fmt.Fprintf(&b, " %v unreadable: %v", pfn, err)
			continue
		}
		b.Write(buf)
	}
	return b.String()
}

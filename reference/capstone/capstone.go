// Package capstone wires the reference's parts into the kernel's seams, one
// constructor per part: what exercise 20 asks the learner to write with
// their own parts (exercises 03-13). Each constructor has the signature of
// its kernel.Config field; a part's constructor that returns a typed nil
// would hand the kernel a broken part, so each returns a nil interface with
// its error.
package capstone

import (
	"fmt"

	"github.com/vmkata/vmkata/reference/faulthandler"
	"github.com/vmkata/vmkata/reference/heapstack"
	"github.com/vmkata/vmkata/reference/mmu"
	"github.com/vmkata/vmkata/reference/pagetable"
	"github.com/vmkata/vmkata/reference/phys"
	"github.com/vmkata/vmkata/reference/replace"
	"github.com/vmkata/vmkata/reference/tlb"
	"github.com/vmkata/vmkata/reference/vma"
	"github.com/vmkata/vmkata/vm"
)

// MaxOrder is the largest block order of the buddy allocator
// NewFrameAllocator builds: 2 MiB blocks of 4 KiB frames.
const MaxOrder = 9

// NewPageTable returns a radix page table (exercise 03).
func NewPageTable(g vm.Geometry, mem vm.PhysMem, frames vm.FrameAllocator) (vm.PageTable, error) {
	t, err := pagetable.NewRadix(g, mem, frames)
	if err != nil {
		return nil, err
	}
	return t, nil
}

// NewTLB returns a new TLB for one CPU (exercise 04).
func NewTLB(cfg vm.TLBConfig) (vm.TLB, error) {
	t, err := tlb.New(cfg)
	if err != nil {
		return nil, err
	}
	return t, nil
}

// NewMMU returns a new MMU for one CPU (exercise 05).
func NewMMU(cfg vm.MMUConfig) (vm.MMU, error) {
	m, err := mmu.New(cfg)
	if err != nil {
		return nil, err
	}
	return m, nil
}

// NewPolicy returns the policy called name (exercises 06-08 and 18), with
// the defaults of replace.Options, or an error wrapping
// vm.ErrInvalidConfig for a name it has none for.
func NewPolicy(name string, frames int) (vm.Policy, error) {
	var (
		p   vm.Policy
		err error
	)
	switch name {
	case "fifo":
		p, err = replace.NewFIFO(frames)
	case "lru":
		p, err = replace.NewLRU(frames)
	case "clock":
		p, err = replace.NewClock(frames)
	case "second-chance":
		p, err = replace.NewSecondChance(frames)
	case "enhanced-clock":
		p, err = replace.NewEnhancedClock(frames)
	case "lfu":
		p, err = replace.NewLFU(frames, 0)
	case "mfu":
		p, err = replace.NewMFU(frames, 0)
	case "aging":
		p, err = replace.NewAging(frames, 0)
	case "arc":
		p, err = replace.NewARC(frames)
	case "sieve":
		p, err = replace.NewSIEVE(frames)
	case "s3-fifo":
		p, err = replace.NewS3FIFO(frames, 0, 0)
	default:
		return nil, fmt.Errorf("capstone: no policy called %q: %w", name, vm.ErrInvalidConfig)
	}
	if err != nil {
		return nil, err
	}
	return p, nil
}

// NewFaultHandler returns the page-fault handler (exercises 09 and 10).
func NewFaultHandler() vm.FaultHandler { return faulthandler.New() }

// NewVMASet returns an empty VMA set (exercise 11).
func NewVMASet(pageSize vm.PageSize, limit vm.AddrRange) (vm.VMASet, error) {
	s, err := vma.NewSet(pageSize, limit)
	if err != nil {
		return nil, err
	}
	return s, nil
}

// Brk decides brk(2) (exercise 12).
func Brk(s vm.VMASet, ps vm.PageSize, h vm.Heap, req vm.VAddr) (vm.Heap, vm.AddrRange, error) {
	return heapstack.Brk(s, ps, h, req)
}

// ClassifyFault is step 1 of the page-fault handler (exercise 12).
func ClassifyFault(s vm.VMASet, ps vm.PageSize, va vm.VAddr, a vm.Access, st vm.Stack) vm.Verdict {
	return heapstack.ClassifyFault(s, ps, va, a, st)
}

// NewFrameAllocator returns a buddy allocator of frames frames with
// blocks of up to 2^MaxOrder frames (exercise 13).
func NewFrameAllocator(frames int) (vm.FrameAllocator, error) {
	b, err := phys.NewBuddy(frames, MaxOrder)
	if err != nil {
		return nil, err
	}
	return b, nil
}

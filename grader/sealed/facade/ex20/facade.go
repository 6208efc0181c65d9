// Package capstone (in folder ex20) stands in for exercise 20-capstone's package when
// the judge is built: the same exported names, each forwarding to the
// learner's package in the subject process. The grader's build swaps it in
// for the learner's files (go test -overlay), so the exercise's own test
// file runs its specs against the learner's code without containing it.
package capstone

import (
	"github.com/vmkata/vmkata/grader/sealed/judge"
	"github.com/vmkata/vmkata/vm"
)

// The learner's parts arrive as the proxies of package remote, one per vm
// interface; what the kernel lends them (physical memory, the page-table
// pool, a TLB, a VMA set, a fault context) stays in the judge.
var (
	NewPageTable      = judge.Func[func(vm.Geometry, vm.PhysMem, vm.FrameAllocator) (vm.PageTable, error)]("NewPageTable")
	NewTLB            = judge.Func[func(vm.TLBConfig) (vm.TLB, error)]("NewTLB")
	NewPolicy         = judge.Func[func(string, int) (vm.Policy, error)]("NewPolicy")
	NewFaultHandler   = judge.Func[func() vm.FaultHandler]("NewFaultHandler")
	NewVMASet         = judge.Func[func(vm.PageSize, vm.AddrRange) (vm.VMASet, error)]("NewVMASet")
	Brk               = judge.Func[func(vm.VMASet, vm.PageSize, vm.Heap, vm.VAddr) (vm.Heap, vm.AddrRange, error)]("Brk")
	ClassifyFault     = judge.Func[func(vm.VMASet, vm.PageSize, vm.VAddr, vm.Access, vm.Stack) vm.Verdict]("ClassifyFault")
	NewFrameAllocator = judge.Func[func(int) (vm.FrameAllocator, error)]("NewFrameAllocator")
)

// NewMMU passes the configuration's fields one by one: its TLB, memory and
// refill handler stay where they are and are lent to the learner's MMU
// (a TLB of the learner's goes home to the subject).
func NewMMU(cfg vm.MMUConfig) (m vm.MMU, err error) {
	judge.Call("NewMMU", []any{cfg.Geometry, cfg.TLB, cfg.Mem, cfg.Cost, cfg.SoftwareTLB, cfg.Refill}, &m, &err)
	return m, err
}

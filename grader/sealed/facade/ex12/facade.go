// Package heapstack (in folder ex12) stands in for exercise 12-heap-stack's package when
// the judge is built: the same exported names, each forwarding to the
// learner's package in the subject process. The grader's build swaps it in
// for the learner's files (go test -overlay), so the exercise's own test
// file runs its specs against the learner's code without containing it.
package heapstack

import (
	"github.com/vmkata/vmkata/grader/sealed/judge"
	"github.com/vmkata/vmkata/vm"
)

// The VMA sets the judge passes stay in the judge.
var (
	Brk           = judge.Func[func(vm.VMASet, vm.PageSize, vm.Heap, vm.VAddr) (vm.Heap, vm.AddrRange, error)]("Brk")
	ClassifyFault = judge.Func[func(vm.VMASet, vm.PageSize, vm.VAddr, vm.Access, vm.Stack) vm.Verdict]("ClassifyFault")
)

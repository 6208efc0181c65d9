// Package tlb (in folder ex04) stands in for exercise 04-tlb's package when
// the judge is built: the same exported names, each forwarding to the
// learner's package in the subject process. The grader's build swaps it in
// for the learner's files (go test -overlay), so the exercise's own test
// file runs its specs against the learner's code without containing it.
package tlb

import (
	"github.com/vmkata/vmkata/grader/sealed/judge"
	"github.com/vmkata/vmkata/grader/sealed/remote"
	"github.com/vmkata/vmkata/vm"
)

// TLB is the learner's TLB.
type TLB = remote.TLB

var New = judge.Func[func(vm.TLBConfig) (*TLB, error)]("New")

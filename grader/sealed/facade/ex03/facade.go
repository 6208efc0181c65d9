// Package pagetable (in folder ex03) stands in for exercise 03-multilevel-walk's package when
// the judge is built: the same exported names, each forwarding to the
// learner's package in the subject process. The grader's build swaps it in
// for the learner's files (go test -overlay), so the exercise's own test
// file runs its specs against the learner's code without containing it.
package pagetable

import (
	"github.com/vmkata/vmkata/grader/sealed/judge"
	"github.com/vmkata/vmkata/grader/sealed/remote"
	"github.com/vmkata/vmkata/vm"
)

// Radix is the learner's table; the memory and the frame allocator it is
// given stay in the judge.
type Radix = remote.PageTable

var NewRadix = judge.Func[func(vm.Geometry, vm.PhysMem, vm.FrameAllocator) (*Radix, error)]("NewRadix")

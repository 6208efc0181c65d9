// Package vma (in folder ex11) stands in for exercise 11-mmap-vmas's package when
// the judge is built: the same exported names, each forwarding to the
// learner's package in the subject process. The grader's build swaps it in
// for the learner's files (go test -overlay), so the exercise's own test
// file runs its specs against the learner's code without containing it.
package vma

import (
	"github.com/vmkata/vmkata/grader/sealed/judge"
	"github.com/vmkata/vmkata/grader/sealed/remote"
	"github.com/vmkata/vmkata/vm"
)

// Set is the learner's VMA set.
type Set = remote.VMASet

var NewSet = judge.Func[func(vm.PageSize, vm.AddrRange) (*Set, error)]("NewSet")

// Package workingset (in folder ex15) stands in for exercise 15-working-set-thrashing's package when
// the judge is built: the same exported names, each forwarding to the
// learner's package in the subject process. The grader's build swaps it in
// for the learner's files (go test -overlay), so the exercise's own test
// file runs its specs against the learner's code without containing it.
package workingset

import (
	"github.com/vmkata/vmkata/grader/sealed/judge"
	"github.com/vmkata/vmkata/vm"
)

var (
	Window = judge.Func[func([]vm.PageID, int, int) ([]vm.PageID, error)]("Window")
	Sizes  = judge.Func[func([]vm.PageID, int) ([]int, error)]("Sizes")
	PFF    = judge.Func[func([]vm.PageID, int) (int, []int, error)]("PFF")
	Admit  = judge.Func[func([]int, int) ([]int, error)]("Admit")
)

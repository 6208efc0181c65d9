// Package shootdown (in folder ex17) stands in for exercise 17-tlb-shootdown's package when
// the judge is built: the same exported names, each forwarding to the
// learner's package in the subject process. The grader's build swaps it in
// for the learner's files (go test -overlay), so the exercise's own test
// file runs its specs against the learner's code without containing it.
package shootdown

import (
	"github.com/vmkata/vmkata/grader/sealed/judge"
	"github.com/vmkata/vmkata/vm"
)

// Shootdown crosses by value both ways.
var Shootdown = judge.Func[func(vm.ShootdownRequest) (vm.ShootdownPlan, error)]("Shootdown")

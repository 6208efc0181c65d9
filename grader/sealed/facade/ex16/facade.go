// Package ctxswitch (in folder ex16) stands in for exercise 16-context-switch-pcid's package when
// the judge is built: the same exported names, each forwarding to the
// learner's package in the subject process. The grader's build swaps it in
// for the learner's files (go test -overlay), so the exercise's own test
// file runs its specs against the learner's code without containing it.
package ctxswitch

import (
	"github.com/vmkata/vmkata/grader/sealed/judge"
	"github.com/vmkata/vmkata/vm"
)

// Switch crosses by value both ways.
var Switch = judge.Func[func(vm.SwitchState) (vm.SwitchPlan, error)]("Switch")

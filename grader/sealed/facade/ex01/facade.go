// Package addr (in folder ex01) stands in for exercise 01-address-split's package when
// the judge is built: the same exported names, each forwarding to the
// learner's package in the subject process. The grader's build swaps it in
// for the learner's files (go test -overlay), so the exercise's own test
// file runs its specs against the learner's code without containing it.
package addr

import (
	"github.com/vmkata/vmkata/grader/sealed/judge"
	"github.com/vmkata/vmkata/vm"
)

var (
	Split       = judge.Func[func(vm.Geometry, vm.VAddr) (vm.VPN, uint64, error)]("Split")
	Join        = judge.Func[func(vm.Geometry, vm.VPN, uint64) (vm.VAddr, error)]("Join")
	Index       = judge.Func[func(vm.Geometry, vm.VAddr, int) (int, error)]("Index")
	IsCanonical = judge.Func[func(vm.Geometry, vm.VAddr) bool]("IsCanonical")
	Canonical   = judge.Func[func(vm.Geometry, vm.VAddr) vm.VAddr]("Canonical")
	LevelSpan   = judge.Func[func(vm.Geometry, int) (vm.PageSize, error)]("LevelSpan")
)

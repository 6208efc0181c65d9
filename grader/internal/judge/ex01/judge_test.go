// Package ex01 is the judge suite of exercise 01-address-split: the exercise's specs,
// run on the learner's package in a subject process (see package judge).
package ex01

import (
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/vmkata/vmkata/grader/internal/judge"
	"github.com/vmkata/vmkata/specs/addrspec"
	"github.com/vmkata/vmkata/vm"
)

func TestJudge(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "Exercise 01: address split")
}

var _ = AfterSuite(judge.Stop)

var _ = addrspec.Describe("exercise 01", addrspec.Funcs{
	Split:       judge.Func[func(vm.Geometry, vm.VAddr) (vm.VPN, uint64, error)]("Split"),
	Join:        judge.Func[func(vm.Geometry, vm.VPN, uint64) (vm.VAddr, error)]("Join"),
	Index:       judge.Func[func(vm.Geometry, vm.VAddr, int) (int, error)]("Index"),
	IsCanonical: judge.Func[func(vm.Geometry, vm.VAddr) bool]("IsCanonical"),
	Canonical:   judge.Func[func(vm.Geometry, vm.VAddr) vm.VAddr]("Canonical"),
	LevelSpan:   judge.Func[func(vm.Geometry, int) (vm.PageSize, error)]("LevelSpan"),
})

// Package ex03 is the judge suite of exercise 03-multilevel-walk: the exercise's specs,
// run on the learner's package in a subject process (see package judge).
package ex03

import (
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/vmkata/vmkata/grader/internal/judge"
	"github.com/vmkata/vmkata/grader/internal/remote"
	"github.com/vmkata/vmkata/specs/pagetablespec"
	"github.com/vmkata/vmkata/vm"
)

func TestJudge(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "Exercise 03: multi-level page table and walk")
}

var _ = AfterSuite(judge.Stop)

var _ = pagetablespec.DescribeRadix("exercise 03",
	judge.Func[func(vm.Geometry, vm.PhysMem, vm.FrameAllocator) (*remote.PageTable, error)]("NewRadix"))

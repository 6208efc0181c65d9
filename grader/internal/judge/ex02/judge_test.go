// Package ex02 is the judge suite of exercise 02-linear-page-table: the exercise's specs,
// run on the learner's package in a subject process (see package judge).
package ex02

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
	RunSpecs(t, "Exercise 02: linear page table")
}

var _ = AfterSuite(judge.Stop)

var _ = pagetablespec.DescribeLinear("exercise 02", judge.Func[func(vm.Geometry) (*remote.PageTable, error)]("NewLinear"))

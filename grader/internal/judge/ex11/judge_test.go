// Package ex11 is the judge suite of exercise 11-mmap-vmas: the exercise's specs,
// run on the learner's package in a subject process (see package judge).
package ex11

import (
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/vmkata/vmkata/grader/internal/judge"
	"github.com/vmkata/vmkata/grader/internal/remote"
	"github.com/vmkata/vmkata/specs/vmaspec"
	"github.com/vmkata/vmkata/vm"
)

func TestJudge(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "Exercise 11: mmap, munmap and mprotect on the VMA set")
}

var _ = AfterSuite(judge.Stop)

var newSet = judge.Func[func(vm.PageSize, vm.AddrRange) (*remote.VMASet, error)]("NewSet")

var (
	_ = vmaspec.Describe("exercise 11", newSet)
	_ = vmaspec.DescribeInKernel("exercise 11", newSet)
)

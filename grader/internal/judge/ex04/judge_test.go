// Package ex04 is the judge suite of exercise 04-tlb: the exercise's specs,
// run on the learner's package in a subject process (see package judge).
package ex04

import (
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/vmkata/vmkata/grader/internal/judge"
	"github.com/vmkata/vmkata/grader/internal/remote"
	"github.com/vmkata/vmkata/specs/tlbspec"
	"github.com/vmkata/vmkata/vm"
)

func TestJudge(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "Exercise 04: TLB")
}

var _ = AfterSuite(judge.Stop)

var _ = tlbspec.Describe("exercise 04", judge.Func[func(vm.TLBConfig) (*remote.TLB, error)]("New"))

// Package ex12 is the judge suite of exercise 12-heap-stack: the exercise's specs,
// run on the learner's package in a subject process (see package judge).
package ex12

import (
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/vmkata/vmkata/grader/internal/judge"
	"github.com/vmkata/vmkata/specs/heapstackspec"
)

func TestJudge(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "Exercise 12: heap (brk) and stack growth")
}

var _ = AfterSuite(judge.Stop)

var (
	brk      = judge.Func[heapstackspec.BrkFunc]("Brk")
	classify = judge.Func[heapstackspec.ClassifyFunc]("ClassifyFault")
)

var (
	_ = heapstackspec.Describe("exercise 12", brk, classify)
	_ = heapstackspec.DescribeInKernel("exercise 12", brk, classify)
)

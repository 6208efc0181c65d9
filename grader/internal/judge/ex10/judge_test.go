// Package ex10 is the judge suite of exercise 10-cow-fork: the exercise's specs,
// run on the learner's package in a subject process (see package judge).
package ex10

import (
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/vmkata/vmkata/grader/internal/judge"
	"github.com/vmkata/vmkata/grader/internal/remote"
	"github.com/vmkata/vmkata/specs/faultspec"
)

func TestJudge(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "Exercise 10: copy-on-write fork")
}

var _ = AfterSuite(judge.Stop)

var _ = faultspec.DescribeCOW("exercise 10", judge.Func[func() *remote.FaultHandler]("New"))

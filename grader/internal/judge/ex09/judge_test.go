// Package ex09 is the judge suite of exercise 09-demand-paging: the exercise's specs,
// run on the learner's package in a subject process (see package judge).
package ex09

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
	RunSpecs(t, "Exercise 09: demand paging")
}

var _ = AfterSuite(judge.Stop)

var _ = faultspec.DescribeDemandPaging("exercise 09", judge.Func[func() *remote.FaultHandler]("New"))

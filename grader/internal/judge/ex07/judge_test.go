// Package ex07 is the judge suite of exercise 07-clock: the exercise's specs,
// run on the learner's package in a subject process (see package judge).
package ex07

import (
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/vmkata/vmkata/grader/internal/judge"
	"github.com/vmkata/vmkata/grader/internal/remote"
	ref "github.com/vmkata/vmkata/reference/replace"
	"github.com/vmkata/vmkata/specs/replacespec"
	"github.com/vmkata/vmkata/vm"
)

func TestJudge(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "Exercise 07: clock, second chance, enhanced clock")
}

var _ = AfterSuite(judge.Stop)

var (
	newClock         = judge.Func[func(int) (*remote.Policy, error)]("NewClock")
	newSecondChance  = judge.Func[func(int) (*remote.Policy, error)]("NewSecondChance")
	newEnhancedClock = judge.Func[func(int) (*remote.Policy, error)]("NewEnhancedClock")
)

var (
	_ = replacespec.Describe("exercise 07", "clock", func(frames int, _ ref.Options) (vm.Policy, error) {
		return replacespec.Adapt(newClock(frames))
	})
	_ = replacespec.Describe("exercise 07", "second-chance", func(frames int, _ ref.Options) (vm.Policy, error) {
		return replacespec.Adapt(newSecondChance(frames))
	})
	_ = replacespec.Describe("exercise 07", "enhanced-clock", func(frames int, _ ref.Options) (vm.Policy, error) {
		return replacespec.Adapt(newEnhancedClock(frames))
	})
)

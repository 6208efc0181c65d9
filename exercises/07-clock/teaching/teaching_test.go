package teaching_test

import (
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/vmkata/vmkata/exercises/07-clock/teaching"
	ref "github.com/vmkata/vmkata/reference/replace"
	"github.com/vmkata/vmkata/specs/replacespec"
	"github.com/vmkata/vmkata/vm"
)

func TestTeachingClock(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "Exercise 07: clock, second chance, enhanced clock, teaching solution")
}

var (
	_ = replacespec.Describe("exercise 07, teaching solution", "clock", func(frames int, _ ref.Options) (vm.Policy, error) {
		return replacespec.Adapt(teaching.NewClock(frames))
	})
	_ = replacespec.Describe("exercise 07, teaching solution", "second-chance", func(frames int, _ ref.Options) (vm.Policy, error) {
		return replacespec.Adapt(teaching.NewSecondChance(frames))
	})
	_ = replacespec.Describe("exercise 07, teaching solution", "enhanced-clock", func(frames int, _ ref.Options) (vm.Policy, error) {
		return replacespec.Adapt(teaching.NewEnhancedClock(frames))
	})
)

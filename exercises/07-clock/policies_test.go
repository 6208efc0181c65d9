package replace_test

import (
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/vmkata/vmkata/exercises/07-clock"
	ref "github.com/vmkata/vmkata/reference/replace"
	"github.com/vmkata/vmkata/specs/replacespec"
	"github.com/vmkata/vmkata/vm"
)

func TestClock(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "Exercise 07: clock, second chance, enhanced clock")
}

var (
	_ = replacespec.Describe("exercise 07", "clock", func(frames int, _ ref.Options) (vm.Policy, error) {
		return replacespec.Adapt(replace.NewClock(frames))
	})
	_ = replacespec.Describe("exercise 07", "second-chance", func(frames int, _ ref.Options) (vm.Policy, error) {
		return replacespec.Adapt(replace.NewSecondChance(frames))
	})
	_ = replacespec.Describe("exercise 07", "enhanced-clock", func(frames int, _ ref.Options) (vm.Policy, error) {
		return replacespec.Adapt(replace.NewEnhancedClock(frames))
	})
)

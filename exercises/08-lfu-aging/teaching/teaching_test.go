package teaching_test

import (
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/vmkata/vmkata/exercises/08-lfu-aging/teaching"
	ref "github.com/vmkata/vmkata/reference/replace"
	"github.com/vmkata/vmkata/specs/replacespec"
	"github.com/vmkata/vmkata/vm"
)

func TestTeachingLFUAging(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "Exercise 08: LFU, MFU and aging, teaching solution")
}

var (
	_ = replacespec.Describe("exercise 08, teaching solution", "lfu", func(frames int, opts ref.Options) (vm.Policy, error) {
		return replacespec.Adapt(teaching.NewLFU(frames, opts.DecayEvery))
	})
	_ = replacespec.Describe("exercise 08, teaching solution", "mfu", func(frames int, opts ref.Options) (vm.Policy, error) {
		return replacespec.Adapt(teaching.NewMFU(frames, opts.DecayEvery))
	})
	_ = replacespec.Describe("exercise 08, teaching solution", "aging", func(frames int, opts ref.Options) (vm.Policy, error) {
		return replacespec.Adapt(teaching.NewAging(frames, opts.AgingTick))
	})
)

package replace_test

import (
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/vmkata/vmkata/exercises/08-lfu-aging"
	ref "github.com/vmkata/vmkata/reference/replace"
	"github.com/vmkata/vmkata/specs/replacespec"
	"github.com/vmkata/vmkata/vm"
)

func TestLFUAging(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "Exercise 08: LFU, MFU and aging")
}

var (
	_ = replacespec.Describe("exercise 08", "lfu", func(frames int, opts ref.Options) (vm.Policy, error) {
		return replacespec.Adapt(replace.NewLFU(frames, opts.DecayEvery))
	})
	_ = replacespec.Describe("exercise 08", "mfu", func(frames int, opts ref.Options) (vm.Policy, error) {
		return replacespec.Adapt(replace.NewMFU(frames, opts.DecayEvery))
	})
	_ = replacespec.Describe("exercise 08", "aging", func(frames int, opts ref.Options) (vm.Policy, error) {
		return replacespec.Adapt(replace.NewAging(frames, opts.AgingTick))
	})
)

package replace_test

import (
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/vmkata/vmkata/exercises/06-fifo-lru-opt"
	ref "github.com/vmkata/vmkata/reference/replace"
	"github.com/vmkata/vmkata/specs/replacespec"
	"github.com/vmkata/vmkata/vm"
)

func TestFIFOLRUOPT(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "Exercise 06: FIFO, LRU, OPT and Belady's anomaly")
}

var (
	_ = replacespec.Describe("exercise 06", "fifo", func(frames int, _ ref.Options) (vm.Policy, error) {
		return replacespec.Adapt(replace.NewFIFO(frames))
	})
	_ = replacespec.Describe("exercise 06", "lru", func(frames int, _ ref.Options) (vm.Policy, error) {
		return replacespec.Adapt(replace.NewLRU(frames))
	})
	_ = replacespec.Describe("exercise 06", "opt", func(frames int, opts ref.Options) (vm.Policy, error) {
		return replacespec.Adapt(replace.NewOPT(frames, opts.Future))
	})
	_ = replacespec.DescribeBelady("exercise 06", replace.BeladyAnomaly)
)

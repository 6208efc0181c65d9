package teaching_test

import (
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/vmkata/vmkata/exercises/06-fifo-lru-opt/teaching"
	ref "github.com/vmkata/vmkata/reference/replace"
	"github.com/vmkata/vmkata/specs/replacespec"
	"github.com/vmkata/vmkata/vm"
)

func TestTeachingFIFOLRUOPT(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "Exercise 06: FIFO, LRU, OPT, teaching solution")
}

var (
	_ = replacespec.Describe("exercise 06, teaching solution", "fifo", func(frames int, _ ref.Options) (vm.Policy, error) {
		return replacespec.Adapt(teaching.NewFIFO(frames))
	})
	_ = replacespec.Describe("exercise 06, teaching solution", "lru", func(frames int, _ ref.Options) (vm.Policy, error) {
		return replacespec.Adapt(teaching.NewLRU(frames))
	})
	_ = replacespec.Describe("exercise 06, teaching solution", "opt", func(frames int, opts ref.Options) (vm.Policy, error) {
		return replacespec.Adapt(teaching.NewOPT(frames, opts.Future))
	})
	_ = replacespec.DescribeBelady("exercise 06, teaching solution", teaching.BeladyAnomaly)
)

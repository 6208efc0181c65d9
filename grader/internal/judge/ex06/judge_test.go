// Package ex06 is the judge suite of exercise 06-fifo-lru-opt: the exercise's specs,
// run on the learner's package in a subject process (see package judge).
package ex06

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
	RunSpecs(t, "Exercise 06: FIFO, LRU, OPT and Belady's anomaly")
}

var _ = AfterSuite(judge.Stop)

var (
	newFIFO = judge.Func[func(int) (*remote.Policy, error)]("NewFIFO")
	newLRU  = judge.Func[func(int) (*remote.Policy, error)]("NewLRU")
	newOPT  = judge.Func[func(int, []vm.PageID) (*remote.Policy, error)]("NewOPT")
)

var (
	_ = replacespec.Describe("exercise 06", "fifo", func(frames int, _ ref.Options) (vm.Policy, error) {
		return replacespec.Adapt(newFIFO(frames))
	})
	_ = replacespec.Describe("exercise 06", "lru", func(frames int, _ ref.Options) (vm.Policy, error) {
		return replacespec.Adapt(newLRU(frames))
	})
	_ = replacespec.Describe("exercise 06", "opt", func(frames int, opts ref.Options) (vm.Policy, error) {
		return replacespec.Adapt(newOPT(frames, opts.Future))
	})
	_ = replacespec.DescribeBelady("exercise 06", judge.Func[func([]vm.PageID, int) (int, bool)]("BeladyAnomaly"))
)

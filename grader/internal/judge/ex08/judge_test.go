// Package ex08 is the judge suite of exercise 08-lfu-aging: the exercise's specs,
// run on the learner's package in a subject process (see package judge).
package ex08

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
	RunSpecs(t, "Exercise 08: LFU, MFU and aging")
}

var _ = AfterSuite(judge.Stop)

var (
	newLFU   = judge.Func[func(int, int) (*remote.Policy, error)]("NewLFU")
	newMFU   = judge.Func[func(int, int) (*remote.Policy, error)]("NewMFU")
	newAging = judge.Func[func(int, int) (*remote.Policy, error)]("NewAging")
)

var (
	_ = replacespec.Describe("exercise 08", "lfu", func(frames int, opts ref.Options) (vm.Policy, error) {
		return replacespec.Adapt(newLFU(frames, opts.DecayEvery))
	})
	_ = replacespec.Describe("exercise 08", "mfu", func(frames int, opts ref.Options) (vm.Policy, error) {
		return replacespec.Adapt(newMFU(frames, opts.DecayEvery))
	})
	_ = replacespec.Describe("exercise 08", "aging", func(frames int, opts ref.Options) (vm.Policy, error) {
		return replacespec.Adapt(newAging(frames, opts.AgingTick))
	})
)

package replace_test

import (
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/vmkata/vmkata/exercises/18-modern-replacement"
	ref "github.com/vmkata/vmkata/reference/replace"
	"github.com/vmkata/vmkata/specs/replacespec"
	"github.com/vmkata/vmkata/vm"
)

func TestModernReplacement(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "Exercise 18: ARC, SIEVE and S3-FIFO")
}

var (
	_ = replacespec.Describe("exercise 18", "arc", func(frames int, _ ref.Options) (vm.Policy, error) {
		return replacespec.Adapt(replace.NewARC(frames))
	})
	_ = replacespec.Describe("exercise 18", "sieve", func(frames int, _ ref.Options) (vm.Policy, error) {
		return replacespec.Adapt(replace.NewSIEVE(frames))
	})
	_ = replacespec.Describe("exercise 18", "s3-fifo", func(frames int, opts ref.Options) (vm.Policy, error) {
		return replacespec.Adapt(replace.NewS3FIFO(frames, opts.Small, opts.Ghost))
	})
)

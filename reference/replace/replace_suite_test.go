package replace_test

import (
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/vmkata/vmkata/reference/replace"
	"github.com/vmkata/vmkata/specs/replacespec"
	"github.com/vmkata/vmkata/vm"
)

// reference builds the reference policy called name, for the specs.
func reference(name string) replacespec.Factory {
	return func(frames int, opts replace.Options) (vm.Policy, error) {
		return replace.New(name, frames, opts)
	}
}

var _ = func() bool {
	for _, name := range []string{
		"fifo", "lru", "opt", // exercise 06
		"clock", "second-chance", "enhanced-clock", // exercise 07
		"lfu", "mfu", "aging", // exercise 08
		"arc", "sieve", "s3-fifo", // exercise 18
		"random", "ws", "wsclock",
	} {
		replacespec.Describe("reference", name, reference(name))
	}
	return replacespec.DescribeBelady("reference", replace.BeladyAnomaly)
}()

func TestReplace(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "reference/replace")
}

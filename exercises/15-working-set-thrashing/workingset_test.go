package workingset_test

import (
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/vmkata/vmkata/exercises/15-working-set-thrashing"
	"github.com/vmkata/vmkata/specs/workingsetspec"
)

func TestWorkingSet(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "Exercise 15: working sets and load control")
}

var _ = workingsetspec.Describe("exercise 15", workingsetspec.Impl{
	Window: workingset.Window, Sizes: workingset.Sizes, PFF: workingset.PFF, Admit: workingset.Admit,
})

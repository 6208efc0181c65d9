package workingset_test

import (
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/vmkata/vmkata/reference/workingset"
	"github.com/vmkata/vmkata/specs/workingsetspec"
)

func TestWorkingSet(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "reference/workingset")
}

var _ = workingsetspec.Describe("reference", workingsetspec.Impl{
	Window: workingset.Window, Sizes: workingset.Sizes, PFF: workingset.PFF, Admit: workingset.Admit,
})

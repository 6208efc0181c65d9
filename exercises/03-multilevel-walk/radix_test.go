package pagetable_test

import (
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/vmkata/vmkata/exercises/03-multilevel-walk"
	"github.com/vmkata/vmkata/specs/pagetablespec"
)

func TestMultilevelWalk(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "Exercise 03: multi-level page table and walk")
}

var _ = pagetablespec.DescribeRadix("exercise 03", pagetable.NewRadix)

package pagetable_test

import (
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/vmkata/vmkata/reference/pagetable"
	"github.com/vmkata/vmkata/specs/pagetablespec"
)

var (
	_ = pagetablespec.DescribeLinear("reference", pagetable.NewLinear)
	_ = pagetablespec.DescribeRadix("reference", pagetable.NewRadix)
	_ = pagetablespec.DescribeInverted("reference", pagetable.NewInverted)
)

func TestPageTable(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "reference/pagetable")
}

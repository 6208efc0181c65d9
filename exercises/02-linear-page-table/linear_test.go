package pagetable_test

import (
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/vmkata/vmkata/exercises/02-linear-page-table"
	"github.com/vmkata/vmkata/specs/pagetablespec"
)

func TestLinearPageTable(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "Exercise 02: linear page table")
}

var _ = pagetablespec.DescribeLinear("exercise 02", pagetable.NewLinear)

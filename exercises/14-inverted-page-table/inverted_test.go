package pagetable_test

import (
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/vmkata/vmkata/exercises/14-inverted-page-table"
	"github.com/vmkata/vmkata/specs/pagetablespec"
)

func TestInverted(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "Exercise 14: the inverted page table")
}

var _ = pagetablespec.DescribeInverted("exercise 14", pagetable.NewInverted)

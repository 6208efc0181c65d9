package mmu_test

import (
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/vmkata/vmkata/exercises/05-mmu"
	"github.com/vmkata/vmkata/specs/mmuspec"
)

func TestMMU(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "Exercise 05: MMU")
}

var (
	_ = mmuspec.Describe("exercise 05", mmu.New)
	_ = mmuspec.DescribeEAT("exercise 05", mmu.EAT, mmu.EATWithTLB)
)

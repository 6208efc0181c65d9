package mmu_test

import (
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/vmkata/vmkata/reference/mmu"
	"github.com/vmkata/vmkata/specs/mmuspec"
)

var (
	_ = mmuspec.Describe("reference", mmu.New)
	_ = mmuspec.DescribeEAT("reference", mmu.EAT, mmu.EATWithTLB)
)

func TestMMU(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "reference/mmu")
}

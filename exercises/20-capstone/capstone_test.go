package capstone_test

import (
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/vmkata/vmkata/exercises/20-capstone"
	"github.com/vmkata/vmkata/specs/capstonespec"
)

func TestCapstone(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "Exercise 20: the capstone")
}

var _ = capstonespec.Describe("exercise 20", capstonespec.Parts{
	NewPageTable:      capstone.NewPageTable,
	NewTLB:            capstone.NewTLB,
	NewMMU:            capstone.NewMMU,
	NewPolicy:         capstone.NewPolicy,
	NewFaultHandler:   capstone.NewFaultHandler,
	NewVMASet:         capstone.NewVMASet,
	Brk:               capstone.Brk,
	ClassifyFault:     capstone.ClassifyFault,
	NewFrameAllocator: capstone.NewFrameAllocator,
})

package vma_test

import (
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/vmkata/vmkata/exercises/11-mmap-vmas"
	"github.com/vmkata/vmkata/specs/vmaspec"
)

func TestVMA(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "Exercise 11: mmap, munmap and mprotect on the VMA set")
}

var _ = vmaspec.Describe("exercise 11", vma.NewSet)
var _ = vmaspec.DescribeInKernel("exercise 11", vma.NewSet)

package vma_test

import (
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/vmkata/vmkata/reference/vma"
	"github.com/vmkata/vmkata/specs/vmaspec"
)

func TestVMA(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "VMA set")
}

var _ = vmaspec.Describe("reference", vma.NewSet)
var _ = vmaspec.DescribeInKernel("reference", vma.NewSet)

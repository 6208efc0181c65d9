package heapstack_test

import (
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/vmkata/vmkata/reference/heapstack"
	"github.com/vmkata/vmkata/specs/heapstackspec"
)

func TestHeapStack(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "Heap and stack")
}

var _ = heapstackspec.Describe("reference", heapstack.Brk, heapstack.ClassifyFault)
var _ = heapstackspec.DescribeInKernel("reference", heapstack.Brk, heapstack.ClassifyFault)

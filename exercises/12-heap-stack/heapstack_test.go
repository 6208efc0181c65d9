package heapstack_test

import (
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/vmkata/vmkata/exercises/12-heap-stack"
	"github.com/vmkata/vmkata/specs/heapstackspec"
)

func TestHeapStack(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "Exercise 12: heap (brk) and stack growth")
}

var _ = heapstackspec.Describe("exercise 12", heapstack.Brk, heapstack.ClassifyFault)
var _ = heapstackspec.DescribeInKernel("exercise 12", heapstack.Brk, heapstack.ClassifyFault)

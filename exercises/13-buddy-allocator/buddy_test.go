package phys_test

import (
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/vmkata/vmkata/exercises/13-buddy-allocator"
	"github.com/vmkata/vmkata/specs/buddyspec"
)

func TestBuddy(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "Exercise 13: the buddy allocator")
}

var _ = buddyspec.Describe("exercise 13", phys.NewBuddy)
var _ = buddyspec.DescribeInKernel("exercise 13", phys.NewBuddy)

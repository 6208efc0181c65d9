package phys_test

import (
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/vmkata/vmkata/reference/phys"
	"github.com/vmkata/vmkata/specs/buddyspec"
)

func TestBuddySpecs(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "buddy allocator")
}

var _ = buddyspec.Describe("reference", phys.NewBuddy)
var _ = buddyspec.DescribeInKernel("reference", phys.NewBuddy)

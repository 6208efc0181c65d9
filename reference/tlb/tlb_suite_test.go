package tlb_test

import (
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/vmkata/vmkata/reference/tlb"
	"github.com/vmkata/vmkata/specs/tlbspec"
)

var _ = tlbspec.Describe("reference", tlb.New)

func TestTLB(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "reference/tlb")
}

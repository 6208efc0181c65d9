package tlb_test

import (
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/vmkata/vmkata/exercises/04-tlb"
	"github.com/vmkata/vmkata/specs/tlbspec"
)

func TestTLB(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "Exercise 04: TLB")
}

var _ = tlbspec.Describe("exercise 04", tlb.New)

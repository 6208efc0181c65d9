package teaching_test

import (
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/vmkata/vmkata/exercises/04-tlb/teaching"
	"github.com/vmkata/vmkata/specs/tlbspec"
)

func TestTeachingTLB(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "Exercise 04: TLB, teaching solution")
}

var _ = tlbspec.Describe("exercise 04, teaching solution", teaching.New)

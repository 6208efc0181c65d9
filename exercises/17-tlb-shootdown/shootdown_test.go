package shootdown_test

import (
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/vmkata/vmkata/exercises/17-tlb-shootdown"
	"github.com/vmkata/vmkata/specs/shootdownspec"
)

func TestShootdown(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "Exercise 17: TLB shootdown")
}

var _ = shootdownspec.Describe("exercise 17", shootdown.Shootdown)

package shootdown_test

import (
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/vmkata/vmkata/reference/shootdown"
	"github.com/vmkata/vmkata/specs/shootdownspec"
)

func TestShootdown(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "TLB shootdown")
}

var _ = shootdownspec.Describe("reference", shootdown.Shootdown)

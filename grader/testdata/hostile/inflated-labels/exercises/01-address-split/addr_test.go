package addr_test

import (
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

// The kit's test file, with the shared specs left out.
func TestAddressSplit(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "Exercise 01: address split")
}

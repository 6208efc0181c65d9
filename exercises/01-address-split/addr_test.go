package addr_test

import (
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/vmkata/vmkata/exercises/01-address-split"
	"github.com/vmkata/vmkata/specs/addrspec"
)

func TestAddressSplit(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "Exercise 01: address split")
}

var _ = addrspec.Describe("exercise 01", addrspec.Funcs{
	Split:       addr.Split,
	Join:        addr.Join,
	Index:       addr.Index,
	IsCanonical: addr.IsCanonical,
	Canonical:   addr.Canonical,
	LevelSpan:   addr.LevelSpan,
})

package addr_test

import (
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/vmkata/vmkata/reference/addr"
	"github.com/vmkata/vmkata/specs/addrspec"
)

var _ = addrspec.Describe("reference", addrspec.Funcs{
	Split:       addr.Split,
	Join:        addr.Join,
	Index:       addr.Index,
	IsCanonical: addr.IsCanonical,
	Canonical:   addr.Canonical,
	LevelSpan:   addr.LevelSpan,
})

func TestAddr(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "reference/addr")
}

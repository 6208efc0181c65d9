package faulthandler_test

import (
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/vmkata/vmkata/reference/faulthandler"
	"github.com/vmkata/vmkata/specs/faultspec"
)

func TestFaultHandler(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "Page-fault handler")
}

var _ = faultspec.DescribeDemandPaging("reference", faulthandler.New)
var _ = faultspec.DescribeCOW("reference", faulthandler.New)

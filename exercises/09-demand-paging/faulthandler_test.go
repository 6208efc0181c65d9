package faulthandler_test

import (
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/vmkata/vmkata/exercises/09-demand-paging"
	"github.com/vmkata/vmkata/specs/faultspec"
)

func TestFaultHandler(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "Exercise 09: demand paging")
}

var _ = faultspec.DescribeDemandPaging("exercise 09", faulthandler.New)

package faulthandler_test

import (
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/vmkata/vmkata/exercises/10-cow-fork"
	"github.com/vmkata/vmkata/specs/faultspec"
)

func TestFaultHandler(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "Exercise 10: copy-on-write fork")
}

var _ = faultspec.DescribeCOW("exercise 10", faulthandler.New)

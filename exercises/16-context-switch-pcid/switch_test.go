package ctxswitch_test

import (
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/vmkata/vmkata/exercises/16-context-switch-pcid"
	"github.com/vmkata/vmkata/specs/switchspec"
)

func TestContextSwitch(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "Exercise 16: context switch and PCID")
}

var _ = switchspec.Describe("exercise 16", ctxswitch.Switch)

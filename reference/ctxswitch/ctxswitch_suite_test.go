package ctxswitch_test

import (
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/vmkata/vmkata/reference/ctxswitch"
	"github.com/vmkata/vmkata/specs/switchspec"
)

func TestSwitch(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "Context switch")
}

var _ = switchspec.Describe("reference", ctxswitch.Switch)

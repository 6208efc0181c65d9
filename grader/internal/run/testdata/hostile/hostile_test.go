package hostile_test

import (
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	_ "pgregory.net/rapid" // the grader passes rapid's flags to every suite

	"github.com/vmkata/vmkata/grader/internal/run/testdata/hostile"
)

func TestHostile(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "hostile")
}

var _ = Describe("hostile", func() {
	It("works", Label("points:2"), func() { Expect(hostile.Works()).To(Equal(42)) })
	It("panics", Label("points:1"), func() { Expect(hostile.Panics()).To(Equal(1)) })
	It("hangs", Label("points:1"), func() { Expect(hostile.Hangs()).To(Equal(1)) })
	It("exits", Label("points:1"), func() { Expect(hostile.Exits()).To(Equal(1)) })
	It("hoards", Label("points:1"), func() { Expect(hostile.Hoards()).To(Equal(1)) })
	It("works too", Label("points:3"), func() { Expect(hostile.Works()).To(Equal(42)) })
})

package judge_test

import (
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	_ "pgregory.net/rapid" // the grader passes rapid's flags to every suite

	"github.com/vmkata/vmkata/grader/internal/judge"
)

func TestHostile(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "hostile")
}

var _ = AfterSuite(judge.Stop)

var (
	works  = judge.Func[func() int]("Works")
	panics = judge.Func[func() int]("Panics")
	hangs  = judge.Func[func() int]("Hangs")
	exits  = judge.Func[func() int]("Exits")
	hoards = judge.Func[func() int]("Hoards")
)

var _ = Describe("hostile", func() {
	It("works", Label("points:2"), func() { Expect(works()).To(Equal(42)) })
	It("panics", Label("points:1"), func() { Expect(panics()).To(Equal(1)) })
	It("hangs", Label("points:1"), func() { Expect(hangs()).To(Equal(1)) })
	It("exits", Label("points:1"), func() { Expect(exits()).To(Equal(1)) })
	It("hoards", Label("points:1"), func() { Expect(hoards()).To(Equal(1)) })
	It("works too", Label("points:3"), func() { Expect(works()).To(Equal(42)) })
})

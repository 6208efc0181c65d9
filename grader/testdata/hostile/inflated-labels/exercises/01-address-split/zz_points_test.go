package addr_test

import (
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

var _ = Describe("Address split [exercise 01]", Label("topic:address"), func() {
	for i := 0; i < 10; i++ {
		It("is worth a great deal", Label("points:1000"), func() { Expect(true).To(BeTrue()) })
	}
})

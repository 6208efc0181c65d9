// Package ex05 is the judge suite of exercise 05-mmu: the exercise's specs,
// run on the learner's package in a subject process (see package judge).
package ex05

import (
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"time"

	"github.com/vmkata/vmkata/grader/internal/judge"
	"github.com/vmkata/vmkata/grader/internal/remote"
	"github.com/vmkata/vmkata/specs/mmuspec"
	"github.com/vmkata/vmkata/vm"
)

func TestJudge(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "Exercise 05: MMU")
}

var _ = AfterSuite(judge.Stop)

// newMMU passes the configuration's fields one by one: its TLB, memory and
// refill handler stay in this process and are lent to the learner's MMU.
func newMMU(cfg vm.MMUConfig) (m *remote.MMU, err error) {
	judge.Call("New", []any{cfg.Geometry, cfg.TLB, cfg.Mem, cfg.Cost, cfg.SoftwareTLB, cfg.Refill}, &m, &err)
	return m, err
}

var (
	_ = mmuspec.Describe("exercise 05", newMMU)
	_ = mmuspec.DescribeEAT("exercise 05",
		judge.Func[func(float64, time.Duration, time.Duration) (time.Duration, error)]("EAT"),
		judge.Func[func(float64, time.Duration, time.Duration, int) (time.Duration, error)]("EATWithTLB"))
)

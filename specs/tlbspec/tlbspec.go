// Package tlbspec is the behaviour of a vm.TLB, written once and run against
// any implementation: the reference (reference/tlb) and a learner's TLB
// (exercise 04).
//
// Register it at package level in a _test.go file of the package under test,
// next to the usual Ginkgo bootstrap:
//
//	var _ = tlbspec.Describe("reference", tlb.New)
//
//	func TestTLB(t *testing.T) {
//		RegisterFailHandler(Fail)
//		RunSpecs(t, "TLB")
//	}
//
// The contract is the rules of exercise 04, written in exercises/04-tlb/tlb.go:
// each has deterministic specs labelled "rule:04.name" (the textbook cases);
// the model-based random property (labelled "property") is a second net.
//
// Every spec carries the label "topic:tlb" and "points:N".
package tlbspec

import (
	"errors"
	"fmt"
	"strings"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/gomega"
	"pgregory.net/rapid"

	_ "github.com/vmkata/vmkata/specs/internal/color" // Ginkgo without colour where it is not wanted
	"github.com/vmkata/vmkata/specs/internal/feedback"
	"github.com/vmkata/vmkata/vm"
)

// step is one call of a textbook case and what it must return.
type step struct {
	op   op
	want result
}

// expect pairs a call with the result it must give.
func expect(o op, want result) step { return step{op: o, want: want} }

// do is a call whose result is not checked (a flush).
func do(o op) step { return step{op: o, want: noWant} }

// insert is an Insert that must succeed.
func insert(e vm.TLBEntry) step { return expect(insertOp(e), okay) }

// runSteps plays steps on t, built with cfg, and fails at the first result
// that differs, printing the sequence so far.
func runSteps(cfg vm.TLBConfig, t vm.TLB, steps []step) {
	trail := []string{fmt.Sprintf("New(%v)", cfg)}
	for _, s := range steps {
		got := s.op.apply(t)
		trail = append(trail, traced(s.op, got))
		ginkgo.GinkgoWriter.Printf("%v = %s\n", s.op, got.describe(false))
		if !s.want.matches(got) {
			ginkgo.Fail(fmt.Sprintf("%v = %s, want %s\nsequence: %s",
				s.op, got.describe(false), s.want.describe(true), strings.Join(trail, " · ")))
		}
	}
}

// Describe declares the TLB behaviour for the implementation newTLB builds.
// Call it at package level in a _test.go file:
//
//	var _ = tlbspec.Describe("reference", tlb.New)
func Describe[T vm.TLB](name string, newTLB func(vm.TLBConfig) (T, error)) bool {
	build := func(cfg vm.TLBConfig) (vm.TLB, error) {
		t, err := newTLB(cfg)
		return t, err
	}
	mustNew := func(cfg vm.TLBConfig) vm.TLB {
		t, err := build(cfg)
		gomega.Expect(err).NotTo(gomega.HaveOccurred(), "New(%v)", cfg)
		return t
	}

	return ginkgo.Describe("TLB ["+name+"]", ginkgo.Label("topic:tlb"), func() {
		// Each entry pairs an impossible configuration with a close valid
		// one, so that only a New that tells them apart scores.
		ginkgo.DescribeTable("New validates its configuration",
			func(bad, good vm.TLBConfig) {
				_, err := build(bad)
				gomega.Expect(errors.Is(err, vm.ErrInvalidConfig)).To(gomega.BeTrue(),
					"New(%v) returned error %v, want an error wrapping %q", bad, err, vm.ErrInvalidConfig)
				t, err := build(good)
				gomega.Expect(err).NotTo(gomega.HaveOccurred(), "New(%v) returned an error, want a TLB", good)
				gomega.Expect(t.Len()).To(gomega.Equal(0), "New(%v).Len() on a fresh TLB", good)
				gomega.Expect(t.Stats()).To(gomega.Equal(vm.TLBStats{}), "New(%v).Stats() on a fresh TLB", good)
			},
			func(bad, good vm.TLBConfig) string {
				return fmt.Sprintf("rejects %v, accepts %v", bad, good)
			},
			ginkgo.Entry(nil, ginkgo.Label("rule:04.new-invalid", "rule:04.new", "points:1"), vm.TLBConfig{Entries: 0, Ways: 1}, vm.TLBConfig{Entries: 1, Ways: 1}),
			ginkgo.Entry(nil, ginkgo.Label("rule:04.new-invalid", "rule:04.new", "points:1"), vm.TLBConfig{Entries: -8, Ways: 2}, vm.TLBConfig{Entries: 8, Ways: 2}),
			ginkgo.Entry(nil, ginkgo.Label("rule:04.new-invalid", "rule:04.new", "points:1"), vm.TLBConfig{Entries: 4, Ways: 0}, vm.TLBConfig{Entries: 4, Ways: 1}),
			ginkgo.Entry(nil, ginkgo.Label("rule:04.new-invalid", "rule:04.new", "points:1"), vm.TLBConfig{Entries: 4, Ways: -1}, vm.TLBConfig{Entries: 4, Ways: 4}),
			ginkgo.Entry(nil, ginkgo.Label("rule:04.new-invalid", "rule:04.new", "points:1"), vm.TLBConfig{Entries: 64, Ways: 5}, vm.TLBConfig{Entries: 64, Ways: 4}),
			ginkgo.Entry(nil, ginkgo.Label("rule:04.new-invalid", "rule:04.new", "points:1"), vm.TLBConfig{Entries: 1536, Ways: 7}, vm.TLBConfig{Entries: 1536, Ways: 12}),
			ginkgo.Entry(nil, ginkgo.Label("rule:04.new-invalid", "rule:04.new", "points:1"), vm.TLBConfig{Entries: 4, Ways: 8}, vm.TLBConfig{Entries: 8, Ways: 8}),
			ginkgo.Entry(nil, ginkgo.Label("rule:04.new-invalid", "rule:04.new", "points:1"), vm.TLBConfig{Entries: 12, Ways: 4}, vm.TLBConfig{Entries: 16, Ways: 4}),
			ginkgo.Entry(nil, ginkgo.Label("rule:04.new-invalid", "rule:04.new", "points:1"), vm.TLBConfig{Entries: 24, Ways: 2}, vm.TLBConfig{Entries: 32, Ways: 2}),
		)

		textbook := []any{func(cfg vm.TLBConfig, steps ...step) { runSteps(cfg, mustNew(cfg), steps) }}
		for _, e := range textbookEntries() {
			textbook = append(textbook, e)
		}
		ginkgo.DescribeTable("textbook cases", textbook...)

		ginkgo.It("agrees with a model TLB on random operation sequences", ginkgo.Label("property"), func() {
			feedback.Check(func(t *rapid.T) {
				runMachine(t, build)
			})
		})
	})
}

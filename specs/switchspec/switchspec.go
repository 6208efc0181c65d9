// Package switchspec is the behaviour of a context switch's decision (what
// it writes into CR3, and so which TLB entries survive), written once and
// run against any implementation: the reference (reference/ctxswitch) and
// a learner's package (exercise 16).
//
// Register it at package level in a _test.go file of the package under
// test, next to the usual Ginkgo bootstrap:
//
//	var _ = switchspec.Describe("reference", ctxswitch.Switch)
//
//	func TestSwitch(t *testing.T) {
//		RegisterFailHandler(Fail)
//		RunSpecs(t, "Context switch")
//	}
//
// The specs hold the function to the contract of exercise 16, stated rule
// by rule in the doc comments of exercises/16-context-switch-pcid/switch.go,
// three ways: on single states (the plan must be the reference's); inside
// the reference kernel (kernel.Config.Switcher), where processes write,
// read, switch and exit while the kernel's Check looks for stale TLB
// entries after every step; and on a small machine of the reference MMU and
// TLB with global kernel pages and, under KPTI, a kernel and a user page
// table per process. The last two replay the same script with the
// reference's Switch and require the same TLB hits, misses and flushes.
//
// Every spec carries "points:N" and the topic label "topic:context-switch";
// every deterministic spec carries one "rule:16.name" label per rule it
// checks; the random properties carry "property" instead: they are a second
// net, never the only spec of a rule.
package switchspec

import (
	"errors"
	"fmt"

	"github.com/onsi/ginkgo/v2"
	"pgregory.net/rapid"

	"github.com/vmkata/vmkata/reference/ctxswitch"
	_ "github.com/vmkata/vmkata/specs/internal/color" // Ginkgo without colour where it is not wanted
	"github.com/vmkata/vmkata/specs/internal/feedback"
	"github.com/vmkata/vmkata/specs/internal/speclabel"
	"github.com/vmkata/vmkata/vm"
)

// SwitchFunc decides the CR3 load of a context switch (see
// reference/ctxswitch.Switch).
type SwitchFunc func(s vm.SwitchState) (vm.SwitchPlan, error)

// Describe declares the context-switch behaviour for sw. Call it at
// package level in a _test.go file:
//
//	var _ = switchspec.Describe("reference", ctxswitch.Switch)
func Describe(name string, sw SwitchFunc) bool {
	return ginkgo.Describe("Context switch ["+name+"]", ginkgo.Label("topic:context-switch"), func() {
		describeStates(sw)
		describeMachine(sw)
		describeKernel(sw)
	})
}

// rules returns the labels of a deterministic spec worth pts points that
// checks the named rules of exercise 16.
func rules(pts int, names ...string) ginkgo.Labels {
	return speclabel.Rules(pts, "rule:16.", names...)
}

func describeStates(sw SwitchFunc) {
	ginkgo.DescribeTable("Switch decides the plan of one switch",
		func(s vm.SwitchState, want vm.SwitchPlan) {
			got, err := sw(s)
			if err != nil {
				ginkgo.Fail(fmt.Sprintf("Switch(%v) returned error %v, want %v", s, err, want))
			}
			if got != want {
				ginkgo.Fail(fmt.Sprintf("Switch(%v) = %v (%+v), want %v (%+v)", s, got, got, want, want))
			}
		},
		ginkgo.Entry("the same process again, PCIDs off", rules(1, "same-process"),
			vm.SwitchState{Prev: 3, Next: 3, ASID: 3}, vm.SwitchPlan{}),
		ginkgo.Entry("the same process again, PCIDs and KPTI on", rules(1, "same-process"),
			vm.SwitchState{PCID: true, KPTI: true, Prev: 3, Next: 3, ASID: 3}, vm.SwitchPlan{}),
		ginkgo.Entry("from an idle CPU, PCIDs off", rules(1, "no-pcid"),
			vm.SwitchState{Prev: 0, Next: 1, ASID: 1}, vm.SwitchPlan{Load: true}),
		ginkgo.Entry("to another process, PCIDs off", rules(1, "no-pcid"),
			vm.SwitchState{Prev: 1, Next: 2, ASID: 2}, vm.SwitchPlan{Load: true}),
		ginkgo.Entry("PCIDs off, KPTI on, a PCID marked stale: still one plain flushing load", rules(1, "no-pcid"),
			vm.SwitchState{KPTI: true, Prev: 1, Next: 2, ASID: 7, Stale: true}, vm.SwitchPlan{Load: true}),
		ginkgo.Entry("PCIDs off: the ASID means nothing, even out of range", rules(1, "no-pcid", "bad-state"),
			vm.SwitchState{Prev: 1, Next: 2, ASID: 5000}, vm.SwitchPlan{Load: true}),
		ginkgo.Entry("PCIDs on: the next process's PCID, kept", rules(1, "pcid-tag", "pcid-keep"),
			vm.SwitchState{PCID: true, Prev: 1, Next: 2, ASID: 2}, vm.SwitchPlan{Load: true, PCID: 2, UserPCID: 2, NoFlush: true}),
		ginkgo.Entry("PCIDs on, from an idle CPU, a PCID that is not the pid", rules(1, "pcid-tag", "pcid-keep"),
			vm.SwitchState{PCID: true, Prev: 0, Next: 5, ASID: 9}, vm.SwitchPlan{Load: true, PCID: 9, UserPCID: 9, NoFlush: true}),
		ginkgo.Entry("PCIDs on, the largest PCID", rules(1, "pcid-tag", "bad-state"),
			vm.SwitchState{PCID: true, Prev: 4, Next: 5, ASID: vm.MaxPCID}, vm.SwitchPlan{Load: true, PCID: vm.MaxPCID, UserPCID: vm.MaxPCID, NoFlush: true}),
		ginkgo.Entry("PCIDs on, a stale PCID: flushed", rules(1, "pcid-stale"),
			vm.SwitchState{PCID: true, Prev: 1, Next: 2, ASID: 2, Stale: true}, vm.SwitchPlan{Load: true, PCID: 2, UserPCID: 2}),
		ginkgo.Entry("PCIDs and KPTI on, a stale PCID: flushed, both halves", rules(1, "pcid-stale", "kpti-user-pcid"),
			vm.SwitchState{PCID: true, KPTI: true, Prev: 1, Next: 2, ASID: 2, Stale: true}, vm.SwitchPlan{Load: true, PCID: 2, UserPCID: 2 | vm.UserPCIDBit}),
		ginkgo.Entry("PCIDs and KPTI on: the user half has bit 11 set", rules(1, "kpti-user-pcid", "pcid-keep"),
			vm.SwitchState{PCID: true, KPTI: true, Prev: 1, Next: 2, ASID: 2}, vm.SwitchPlan{Load: true, PCID: 2, UserPCID: 2050, NoFlush: true}),
		ginkgo.Entry("PCIDs and KPTI on, the largest PCID", rules(1, "kpti-user-pcid"),
			vm.SwitchState{PCID: true, KPTI: true, Prev: 0, Next: 3, ASID: vm.MaxPCID}, vm.SwitchPlan{Load: true, PCID: vm.MaxPCID, UserPCID: 4095, NoFlush: true}),
	)

	ginkgo.DescribeTable("Switch refuses a state that cannot be",
		func(s vm.SwitchState) {
			got, err := sw(s)
			if !errors.Is(err, vm.ErrInvalidConfig) {
				ginkgo.Fail(fmt.Sprintf("Switch(%v) returned error %v, want one wrapping %q", s, err, vm.ErrInvalidConfig))
			}
			if got != (vm.SwitchPlan{}) {
				ginkgo.Fail(fmt.Sprintf("Switch(%v) = %v with its error, want the zero plan", s, got))
			}
		},
		ginkgo.Entry("no next process", rules(1, "bad-state"), vm.SwitchState{Prev: 1, Next: 0}),
		ginkgo.Entry("a negative next pid, PCIDs on", rules(1, "bad-state"), vm.SwitchState{PCID: true, Prev: 0, Next: -2, ASID: 1}),
		ginkgo.Entry("a negative previous pid", rules(1, "bad-state"), vm.SwitchState{Prev: -1, Next: 1}),
		ginkgo.Entry("PCIDs on and PCID 0 (the kernel's own)", rules(1, "bad-state"), vm.SwitchState{PCID: true, Prev: 1, Next: 2}),
		ginkgo.Entry("PCIDs on and a PCID past 11 bits", rules(1, "bad-state"), vm.SwitchState{PCID: true, Prev: 1, Next: 2, ASID: vm.MaxPCID + 1}),
		ginkgo.Entry("PCIDs and KPTI on and a PCID with the user bit set", rules(1, "bad-state"), vm.SwitchState{PCID: true, KPTI: true, Prev: 1, Next: 2, ASID: 2 | vm.UserPCIDBit}),
		ginkgo.Entry("the same process but no pid", rules(1, "bad-state"), vm.SwitchState{Prev: 0, Next: 0}),
	)

	ginkgo.It("agrees with the reference on random states", ginkgo.Label("property"), func() {
		feedback.Check(func(t *rapid.T) {
			s := vm.SwitchState{
				PCID:  rapid.Bool().Draw(t, "pcid"),
				KPTI:  rapid.Bool().Draw(t, "kpti"),
				Prev:  rapid.IntRange(-1, 4).Draw(t, "prev"),
				Next:  rapid.IntRange(-1, 4).Draw(t, "next"),
				ASID:  vm.ASID(rapid.SampledFrom([]int{0, 1, 2, 3, 1000, int(vm.MaxPCID), int(vm.MaxPCID) + 1, 4095}).Draw(t, "asid")),
				Stale: rapid.Bool().Draw(t, "stale"),
			}
			want, wantErr := ctxswitch.Switch(s)
			got, err := sw(s)
			if (err != nil) != (wantErr != nil) || got != want {
				t.Fatalf("Switch(%v) = %v, %v; want %v, %v", s, got, err, want, wantErr)
			}
		})
	})
}

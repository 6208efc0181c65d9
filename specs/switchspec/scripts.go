package switchspec

import (
	"fmt"

	"github.com/onsi/ginkgo/v2"
	"pgregory.net/rapid"

	"github.com/vmkata/vmkata/reference/ctxswitch"
	"github.com/vmkata/vmkata/specs/internal/feedback"
	"github.com/vmkata/vmkata/vm"
)

// roundRobin is three processes taking turns, the scheduler picking the
// same one twice in a row now and then.
var roundRobin = func() []op {
	s := []op{{"spawn", 1, 1}, {"spawn", 2, 2}, {"spawn", 3, 3}}
	for round := range 4 {
		s = append(s, op{kind: "run", pid: 1}, op{kind: "run", pid: 2}, op{kind: "run", pid: 3})
		if round%2 == 1 {
			s = append(s, op{kind: "run", pid: 3})
		}
	}
	return s
}()

// reuse is a process exiting while switched out and its PCID going to a
// new process, whose user pages sit at the same addresses in other frames.
var reuse = []op{
	{"spawn", 1, 1}, {"spawn", 2, 2},
	{kind: "run", pid: 1}, {kind: "run", pid: 2}, {kind: "run", pid: 1}, {kind: "run", pid: 2},
	{kind: "exit", pid: 1}, {"spawn", 3, 1},
	{kind: "run", pid: 3}, {kind: "run", pid: 2}, {kind: "run", pid: 3},
}

// playBoth plays script on a machine with sw and on one with the
// reference's Switch, and fails unless sw's run keeps every TLB entry
// right and counts the same hits, misses, flushes and CR3 writes.
func playBoth(sw SwitchFunc, pcid, kpti bool, script []op) {
	ref, err := newMachine(ctxswitch.Switch, pcid, kpti)
	if err == nil {
		err = ref.play(script)
	}
	if err != nil {
		ginkgo.Fail(fmt.Sprintf("the reference machine: %v", err))
	}
	m, err := newMachine(sw, pcid, kpti)
	if err != nil {
		ginkgo.Fail(fmt.Sprintf("a machine: %v", err))
	}
	if err := m.play(script); err != nil {
		m.Fail("%v", err)
	}
	if got, want := m.counts(), ref.counts(); got != want {
		m.Fail("after the script the TLB counts %v; with the reference's Switch %v", got, want)
	}
	ginkgo.GinkgoWriter.Printf("TLB: %v\n", m.counts())
}

func describeMachine(sw SwitchFunc) {
	ginkgo.DescribeTable("on a machine with global kernel pages, TLB hits as the reference's and no stale entry",
		func(pcid, kpti bool, script []op) { playBoth(sw, pcid, kpti, script) },
		ginkgo.Entry("three processes round robin, PCIDs off: every switch empties the TLB but for the kernel's global pages",
			rules(3, "no-pcid", "same-process"), false, false, roundRobin),
		ginkgo.Entry("three processes round robin, PCIDs off, KPTI on: every kernel entry and exit flushes too",
			rules(2, "no-pcid"), false, true, roundRobin),
		ginkgo.Entry("three processes round robin, PCIDs on: each keeps its entries warm under its own PCID",
			rules(3, "pcid-tag", "pcid-keep", "same-process"), true, false, roundRobin),
		ginkgo.Entry("three processes round robin, PCIDs and KPTI on: two PCIDs per process, none flushed",
			rules(3, "pcid-tag", "pcid-keep", "kpti-user-pcid", "same-process"), true, true, roundRobin),
		ginkgo.Entry("a PCID reused after an exit, PCIDs off", rules(1, "no-pcid"), false, false, reuse),
		ginkgo.Entry("a PCID reused after an exit, PCIDs on: the new owner's first switch flushes it",
			rules(3, "pcid-stale", "pcid-keep"), true, false, reuse),
		ginkgo.Entry("a PCID reused after an exit, PCIDs and KPTI on: both halves flushed",
			rules(3, "pcid-stale", "kpti-user-pcid"), true, true, reuse),
	)

	ginkgo.It("keeps every TLB entry right and counts as the reference on random schedules", ginkgo.Label("property"), func() {
		feedback.Check(func(t *rapid.T) {
			pcid, kpti := rapid.Bool().Draw(t, "pcid"), rapid.Bool().Draw(t, "kpti")
			script := []op{{"spawn", 1, 1}, {"spawn", 2, 2}, {"spawn", 3, 3}}
			live, next := []int{1, 2, 3}, 4
			for range rapid.IntRange(1, 20).Draw(t, "steps") {
				i := rapid.IntRange(0, len(live)-1).Draw(t, "process")
				if len(live) > 1 && rapid.IntRange(0, 5).Draw(t, "exit?") == 0 {
					// the process exits while another runs; a new one takes its PCID
					pid := live[i]
					other := live[(i+1)%len(live)]
					asid := vm.ASID(0)
					for _, o := range script {
						if o.kind == "spawn" && o.pid == pid {
							asid = o.asid
						}
					}
					script = append(script, op{kind: "run", pid: other}, op{kind: "exit", pid: pid}, op{"spawn", next, asid})
					live[i], next = next, next+1
					continue
				}
				script = append(script, op{kind: "run", pid: live[i]})
			}
			ref, err := newMachine(ctxswitch.Switch, pcid, kpti)
			if err == nil {
				err = ref.play(script)
			}
			if err != nil {
				t.Fatalf("the reference machine on %v: %v", script, err)
			}
			m, err := newMachine(sw, pcid, kpti)
			if err == nil {
				err = m.play(script)
			}
			if err != nil {
				t.Fatalf("PCIDs %v, KPTI %v, script %v: %v", onOff(pcid), onOff(kpti), script, err)
			}
			if got, want := m.counts(), ref.counts(); got != want {
				t.Fatalf("PCIDs %v, KPTI %v, script %v: TLB counts %v; with the reference's Switch %v", onOff(pcid), onOff(kpti), script, got, want)
			}
		})
	})
}

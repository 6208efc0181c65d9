package workingsetspec

import (
	"fmt"
	"slices"
	"time"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/gomega"

	"github.com/vmkata/vmkata/reference/mmu"
	"github.com/vmkata/vmkata/reference/workingset"
)

// The times the effective access time is figured with: a memory access and
// a page fault served from disk.
const (
	memTime   = 200 * time.Nanosecond
	faultTime = 8 * time.Millisecond
)

// scenario is a workload the kernel runs twice, without load control and
// with the Admit under test, and what the controlled run must show.
type scenario struct {
	name       string
	labels     ginkgo.Labels
	w          workingset.Workload
	running    []int   // the processes Admit must let run, every epoch
	beforeLast float64 // the fault rate the uncontrolled run shows in its last epoch, at least
	after      float64 // the fault rate the controlled run must show in its last epoch
}

func scenarios() []scenario {
	base := func(frames int, loops ...int) workingset.Workload {
		return workingset.Workload{Frames: frames, Loops: loops, Quantum: 10, Epoch: 600, Epochs: 4, Tau: 100}
	}
	return []scenario{
		{name: "three loops of 40 pages in 100 frames: two run, the thrashing stops",
			labels: rules(4, "admit-fit", "admit-result"), w: base(100, 40, 40, 40),
			running: []int{0, 1}, beforeLast: 0.9, after: 0},
		{name: "loops of 30, 80 and 20 pages in 64 frames: the 80 waits, the 20 runs beside the 30",
			labels: rules(3, "admit-fit", "admit-result"), w: base(64, 30, 80, 20),
			running: []int{0, 2}, beforeLast: 0.6, after: 0},
		{name: "a loop of 80 pages in 64 frames runs first and thrashes alone: load control cannot save a process bigger than memory",
			labels: rules(2, "admit-first"), w: base(64, 80, 10),
			running: []int{0}, beforeLast: 0.5, after: 1},
	}
}

// describeKernel declares the load-control scenarios on the reference
// kernel.
func describeKernel(impl Impl) {
	ginkgo.Describe("as the kernel's load controller", ginkgo.Label("topic:kernel"), func() {
		for _, sc := range scenarios() {
			ginkgo.It(sc.name, sc.labels, func() {
				before, err := workingset.Run(sc.w, nil)
				gomega.Expect(err).NotTo(gomega.HaveOccurred(), "workingset.Run(%+v) without load control", sc.w)
				after, err := workingset.Run(sc.w, impl.Admit)
				if err != nil {
					ginkgo.Fail(fmt.Sprintf("workingset.Run(%+v) with Admit as load control = %v", sc.w, err))
				}
				last := len(after.FaultRate) - 1
				eatBefore, err := mmu.EAT(before.FaultRate[last], memTime, faultTime)
				gomega.Expect(err).NotTo(gomega.HaveOccurred(), "mmu.EAT")
				eatAfter, err := mmu.EAT(after.FaultRate[last], memTime, faultTime)
				gomega.Expect(err).NotTo(gomega.HaveOccurred(), "mmu.EAT")
				report := fmt.Sprintf("fault rate per epoch without load control %.2f, with Admit %.2f; effective access time (200 ns memory, 8 ms fault) %v before, %v after",
					before.FaultRate, after.FaultRate, eatBefore, eatAfter)
				ginkgo.GinkgoWriter.Println(report)
				gomega.Expect(before.FaultRate[last]).To(gomega.BeNumerically(">=", sc.beforeLast), "the workload without load control: %s", report)
				for e, run := range after.Running {
					if !slices.Equal(run, sc.running) {
						ginkgo.Fail(fmt.Sprintf("epoch %d: Admit let processes %v run, want %v (loops %v, %d frames)\n%s",
							e+1, run, sc.running, sc.w.Loops, sc.w.Frames, report))
					}
				}
				if after.FaultRate[last] != sc.after {
					ginkgo.Fail(fmt.Sprintf("last epoch with Admit as load control: fault rate %.2f, want %.2f\n%s", after.FaultRate[last], sc.after, report))
				}
				wantEAT, err := mmu.EAT(sc.after, memTime, faultTime)
				gomega.Expect(err).NotTo(gomega.HaveOccurred(), "mmu.EAT")
				gomega.Expect(eatAfter).To(gomega.Equal(wantEAT), "effective access time with Admit: %s", report)
			})
		}
	})
}

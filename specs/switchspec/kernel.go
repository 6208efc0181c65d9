package switchspec

import (
	"bytes"
	"fmt"

	"github.com/onsi/ginkgo/v2"

	"github.com/vmkata/vmkata/reference/ctxswitch"
	"github.com/vmkata/vmkata/reference/kernel"
	"github.com/vmkata/vmkata/specs/internal/kernelrig"
	"github.com/vmkata/vmkata/vm"
)

// kstep is one step of a kernel story: a call on the kernel, logged on the
// rig's trail, returning what the story compares between two kernels.
type kstep func(r *kernelrig.Rig, pids map[string]int) error

// bssPages is the size of each process's bss, the pages the stories touch.
const bssPages = 4

// spawnAs starts a process and names it.
func spawnAs(name string) kstep {
	return func(r *kernelrig.Rig, pids map[string]int) error {
		pids[name] = r.Spawn(kernel.Image{Name: name, BSS: bssPages * 0x1000})
		return nil
	}
}

// switchTo switches CPU c to the named process.
func switchTo(c int, name string) kstep {
	return func(r *kernelrig.Rig, pids map[string]int) error {
		err := r.K.Switch(c, pids[name])
		r.Log("Switch(%d, %d) = %v", c, pids[name], err)
		return err
	}
}

// bss returns the address of page i of a process's bss.
func bss(r *kernelrig.Rig, pid int, i int) (vm.VAddr, error) {
	vs, err := r.K.VMAs(pid)
	if err != nil {
		return 0, err
	}
	for _, v := range vs {
		if v.Role == vm.RoleBSS {
			return v.Range.Start + vm.VAddr(i)*0x1000, nil
		}
	}
	return 0, fmt.Errorf("pid %d has no bss in %v", pid, vs)
}

// fill writes the process's name on every page of its bss.
func fill(name string) kstep {
	return func(r *kernelrig.Rig, pids map[string]int) error {
		for i := range bssPages {
			va, err := bss(r, pids[name], i)
			if err != nil {
				return err
			}
			r.Write(pids[name], va, []byte(name))
		}
		return nil
	}
}

// expect reads every page of the process's bss and requires want at its
// start: its own name, or zeroes for pages it never wrote.
func expect(name string, want []byte) kstep {
	return func(r *kernelrig.Rig, pids map[string]int) error {
		for i := range bssPages {
			va, err := bss(r, pids[name], i)
			if err != nil {
				return err
			}
			got, err := r.K.Read(pids[name], va, len(want))
			r.Log("Read(%d, %v, %d) = %q, %v", pids[name], va, len(want), got, err)
			if err != nil {
				return err
			}
			if !bytes.Equal(got, want) {
				return fmt.Errorf("Read(%d, %v, %d) = %q, want %q: a TLB entry of another address space translated it", pids[name], va, len(want), got, want)
			}
		}
		return nil
	}
}

func exit(name string) kstep {
	return func(r *kernelrig.Rig, pids map[string]int) error {
		err := r.K.Exit(pids[name])
		r.Log("Exit(%d) = %v", pids[name], err)
		return err
	}
}

// kcounts are what two kernels running the same story are compared on.
type kcounts struct {
	TLB      []vm.TLBStats
	CR3Loads uint64
}

// playKernel runs story on a reference kernel with sw as its Switcher,
// checking the kernel's invariants (Check looks at every TLB entry) after
// every step, and returns the counts.
func playKernel(sw SwitchFunc, cfg kernel.Config, story []kstep) (kcounts, *kernelrig.Rig) {
	ginkgo.GinkgoHelper()
	cfg.Frames, cfg.Switcher = 64, sw
	k, err := kernel.New(cfg)
	what := fmt.Sprintf("kernel.New(Frames: 64, CPUs: %d, PCID: %v, the Switch under test)", max(1, cfg.CPUs), cfg.PCID)
	if err != nil {
		ginkgo.Fail(fmt.Sprintf("%s = %v, want a kernel", what, err))
	}
	r := kernelrig.New(k, what)
	pids := map[string]int{}
	for i, step := range story {
		if err := step(r, pids); err != nil {
			r.Fail("step %d: %v", i+1, err)
		}
		r.Check(fmt.Sprintf("step %d", i+1))
	}
	var c kcounts
	for cpu := range k.CPUs() {
		s, err := k.TLBStats(cpu)
		r.Must("TLBStats", err)
		c.TLB = append(c.TLB, s)
	}
	c.CR3Loads = k.Stats().CR3Loads
	return c, r
}

// compareKernels plays story with sw and with the reference's Switch.
func compareKernels(sw SwitchFunc, cfg kernel.Config, story []kstep) {
	ginkgo.GinkgoHelper()
	want, _ := playKernel(ctxswitch.Switch, cfg, story)
	got, r := playKernel(sw, cfg, story)
	for c := range got.TLB {
		g, w := got.TLB[c], want.TLB[c]
		if g.Hits != w.Hits || g.Misses != w.Misses || g.Flushes != w.Flushes {
			r.Fail("cpu%d's TLB: %d hits, %d misses (hit ratio %.3f), %d flushes; with the reference's Switch %d hits, %d misses (%.3f), %d flushes",
				c, g.Hits, g.Misses, g.HitRatio(), g.Flushes, w.Hits, w.Misses, w.HitRatio(), w.Flushes)
		}
	}
	if got.CR3Loads != want.CR3Loads {
		r.Fail("%d CR3 writes; with the reference's Switch %d", got.CR3Loads, want.CR3Loads)
	}
	ginkgo.GinkgoWriter.Printf("TLBs: %+v, %d CR3 writes\n", got.TLB, got.CR3Loads)
}

// alternate is two processes taking turns on CPU 0, each switched to
// twice in a row now and then, reading back what it wrote.
var alternate = func() []kstep {
	s := []kstep{spawnAs("a"), spawnAs("b"), fill("a"), fill("b")}
	for range 3 {
		s = append(s, switchTo(0, "a"), expect("a", []byte("a")), switchTo(0, "b"), expect("b", []byte("b")),
			switchTo(0, "b"), expect("b", []byte("b")))
	}
	return s
}()

// reuseStory is a process exiting while switched out on two CPUs, and a
// new one getting its PCID and reading its fresh bss, where the dead one's
// frames were.
var reuseStory = []kstep{
	spawnAs("a"), spawnAs("b"), fill("a"), switchTo(1, "a"), expect("a", []byte("a")),
	switchTo(0, "b"), switchTo(1, "b"), fill("b"), exit("a"),
	spawnAs("c"), switchTo(0, "c"), expect("c", make([]byte, 1)), switchTo(1, "c"), expect("c", make([]byte, 1)),
	switchTo(0, "b"), expect("b", []byte("b")), switchTo(0, "c"), expect("c", make([]byte, 1)),
}

func describeKernel(sw SwitchFunc) {
	ginkgo.DescribeTable("inside the reference kernel, TLB hits as the reference's and Check clean after every step",
		func(cfg kernel.Config, story []kstep) { compareKernels(sw, cfg, story) },
		ginkgo.Entry("two processes alternating, PCIDs off: each switch empties the TLB",
			rules(2, "no-pcid", "same-process"), kernel.Config{}, alternate),
		ginkgo.Entry("two processes alternating, PCIDs on: each finds its entries warm",
			rules(3, "pcid-tag", "pcid-keep", "same-process"), kernel.Config{PCID: true}, alternate),
		ginkgo.Entry("a PCID reused after an exit on two CPUs, PCIDs on: never a dead process's translation",
			rules(3, "pcid-stale", "pcid-tag"), kernel.Config{PCID: true, CPUs: 2}, reuseStory),
		ginkgo.Entry("a PCID reused after an exit on two CPUs, PCIDs off",
			rules(1, "no-pcid"), kernel.Config{CPUs: 2}, reuseStory),
	)
}

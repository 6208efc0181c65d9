package shootdownspec

import (
	"errors"
	"fmt"
	"strings"

	"github.com/onsi/ginkgo/v2"
	"pgregory.net/rapid"

	"github.com/vmkata/vmkata/reference/kernel"
	"github.com/vmkata/vmkata/reference/shootdown"
	"github.com/vmkata/vmkata/specs/internal/feedback"
	"github.com/vmkata/vmkata/specs/internal/kernelrig"
	"github.com/vmkata/vmkata/vm"
)

// world is a kernel story in progress: the rig, the processes and buffers
// by name, and the IPI count at the last ipis step.
type world struct {
	r    *kernelrig.Rig
	pids map[string]int
	bufs map[string]vm.VAddr
	mark uint64
}

// kstep is one step of a kernel story.
type kstep func(w *world) error

func spawn(names ...string) kstep {
	return func(w *world) error {
		for _, n := range names {
			w.pids[n] = w.r.Spawn(kernel.Image{Name: n, BSS: 0x1000})
		}
		return nil
	}
}

// mmap maps n private anonymous read-write pages into proc, named buf.
func mmap(proc, buf string, n int) kstep {
	return func(w *world) error {
		w.bufs[buf] = w.r.Mmap(w.pids[proc], kernel.MmapArgs{Length: uint64(n) * 0x1000, Perm: vm.PermRW})
		return nil
	}
}

// on switches CPU c to proc. A process's accesses and system calls run
// on the lowest CPU it is current on: which CPU does the work is chosen
// by switching the others away.
func on(c int, proc string) kstep {
	return func(w *world) error {
		err := w.r.K.Switch(c, w.pids[proc])
		w.r.Log("Switch(%d, %d) = %v", c, w.pids[proc], err)
		return err
	}
}

func (w *world) page(buf string, i int) vm.VAddr { return w.bufs[buf] + vm.VAddr(i)*0x1000 }

// write stores v at the start of pages [from, to) of buf in proc.
func write(proc, buf string, from, to int, v byte) kstep {
	return func(w *world) error {
		for i := from; i < to; i++ {
			w.r.Write(w.pids[proc], w.page(buf, i), []byte{v})
		}
		return nil
	}
}

// expect reads pages [from, to) of buf in proc and requires v at their start.
func expect(proc, buf string, from, to int, v byte) kstep {
	return func(w *world) error {
		for i := from; i < to; i++ {
			w.r.ExpectRead(w.pids[proc], w.page(buf, i), []byte{v})
		}
		return nil
	}
}

func munmap(proc, buf string, from, to int) kstep {
	return func(w *world) error {
		err := w.r.K.Munmap(w.pids[proc], w.page(buf, from), uint64(to-from)*0x1000)
		w.r.Log("Munmap(%d, %v, %#x) = %v", w.pids[proc], w.page(buf, from), (to-from)*0x1000, err)
		return err
	}
}

func mprotect(proc, buf string, from, to int, perm vm.Perm) kstep {
	return func(w *world) error {
		err := w.r.K.Mprotect(w.pids[proc], w.page(buf, from), uint64(to-from)*0x1000, perm)
		w.r.Log("Mprotect(%d, %v, %#x, %v) = %v", w.pids[proc], w.page(buf, from), (to-from)*0x1000, perm, err)
		return err
	}
}

func fork(proc, child string) kstep {
	return func(w *world) error {
		pid, err := w.r.K.Fork(w.pids[proc])
		w.r.Log("Fork(%d) = %d, %v", w.pids[proc], pid, err)
		w.pids[child] = pid
		return err
	}
}

// segv writes to page i of buf in proc and requires SIGSEGV: the page is
// gone or read-only, and a CPU writing through an old entry would not
// fault. The process dies of it, so it ends a story.
func segv(proc, buf string, i int) kstep {
	return func(w *world) error {
		err := w.r.K.Write(w.pids[proc], w.page(buf, i), []byte{0xee})
		w.r.Log("Write(%d, %v, 0xee) = %v", w.pids[proc], w.page(buf, i), err)
		var se *kernel.SignalError
		if !errors.As(err, &se) || se.Signal != kernel.SIGSEGV {
			return fmt.Errorf("Write(%d, %v) = %v, want SIGSEGV: a CPU wrote through a TLB entry the change should have flushed", w.pids[proc], w.page(buf, i), err)
		}
		return nil
	}
}

// ipis requires n IPIs since the last ipis step (or the start): the
// minimum, one per CPU running the address space other than the one
// making the change, per operation.
func ipis(n uint64) kstep {
	return func(w *world) error {
		got := w.r.K.Stats().Shootdowns - w.mark
		w.mark += got
		if got != n {
			return fmt.Errorf("%d IPIs since the last count, want %d: one per operation to each other CPU running the address space, none to the others", got, n)
		}
		return nil
	}
}

// kcounts are what two kernels running the same story are compared on.
type kcounts struct {
	TLB  []vm.TLBStats
	IPIs uint64
}

// play runs story on a reference kernel with fn as its Shootdown,
// checking the kernel's invariants (Check looks for a TLB entry some CPU
// could use stale) after every step, and returns the counts.
func play(fn ShootdownFunc, cfg kernel.Config, story []kstep) (kcounts, *kernelrig.Rig) {
	ginkgo.GinkgoHelper()
	if cfg.Frames == 0 {
		cfg.Frames = 64
	}
	cfg.Shootdown = fn
	k, err := kernel.New(cfg)
	what := fmt.Sprintf("kernel.New(Frames: %d, SwapSlots: %d, CPUs: %d, PCID: %v, TLB: %+v, the Shootdown under test)", cfg.Frames, cfg.SwapSlots, cfg.CPUs, cfg.PCID, cfg.TLB)
	if err != nil {
		ginkgo.Fail(fmt.Sprintf("%s = %v, want a kernel", what, err))
	}
	w := &world{r: kernelrig.New(k, what), pids: map[string]int{}, bufs: map[string]vm.VAddr{}}
	for i, step := range story {
		if err := step(w); err != nil {
			w.r.Fail("step %d: %v", i+1, err)
		}
		w.r.Check(fmt.Sprintf("step %d", i+1))
	}
	var c kcounts
	for cpu := range k.CPUs() {
		s, err := k.TLBStats(cpu)
		w.r.Must("TLBStats", err)
		c.TLB = append(c.TLB, s)
	}
	c.IPIs = k.Stats().Shootdowns
	return c, w.r
}

// compare plays story with fn and with the reference's Shootdown, and
// requires the same IPIs and, CPU by CPU, the same TLB hits and misses:
// the entries a correct shootdown leaves warm must be left warm.
func compare(fn ShootdownFunc, cfg kernel.Config, story []kstep) {
	ginkgo.GinkgoHelper()
	want, _ := play(shootdown.Shootdown, cfg, story)
	got, r := play(fn, cfg, story)
	if got.IPIs != want.IPIs {
		r.Fail("%d IPIs; with the reference's Shootdown %d", got.IPIs, want.IPIs)
	}
	for c := range got.TLB {
		g, w := got.TLB[c], want.TLB[c]
		if g.Hits != w.Hits || g.Misses != w.Misses {
			r.Fail("cpu%d's TLB: %d hits, %d misses (hit ratio %.3f); with the reference's Shootdown %d hits, %d misses (%.3f)",
				c, g.Hits, g.Misses, g.HitRatio(), w.Hits, w.Misses, w.HitRatio())
		}
	}
	ginkgo.GinkgoWriter.Printf("%d IPIs, TLBs: %+v\n", got.IPIs, got.TLB)
}

// threads is one process on two CPUs (two threads), unmapping and
// write-protecting pages both CPUs cache.
var threads = []kstep{
	spawn("app", "other"), mmap("app", "buf", 8),
	on(0, "other"), on(1, "app"), write("app", "buf", 0, 8, 1), // cpu1 caches buf
	on(0, "app"), expect("app", "buf", 0, 8, 1), ipis(0), // cpu0 too; app now works on cpu0
	munmap("app", "buf", 2, 4), ipis(1), // two pages, one IPI to cpu1
	mprotect("app", "buf", 4, 6, vm.PermRead), ipis(1),
	on(0, "other"), expect("app", "buf", 0, 2, 1), expect("app", "buf", 6, 8, 1), ipis(0), // app on cpu1 alone
	segv("app", "buf", 4),
}

// switchedAway is a process changed while the CPU that cached it runs
// another: with PCIDs that CPU defers and flushes at its switch-in,
// without them its switch already flushed.
var switchedAway = []kstep{
	spawn("app", "other"), mmap("app", "buf", 8),
	on(1, "app"), write("app", "buf", 0, 8, 1), on(1, "other"), // cpu1 caches buf, runs other
	on(0, "app"), ipis(0),
	mprotect("app", "buf", 0, 4, vm.PermRead), ipis(0),
	munmap("app", "buf", 4, 6), ipis(0),
	on(0, "other"), on(1, "app"), // app back on cpu1
	expect("app", "buf", 0, 4, 1), expect("app", "buf", 6, 8, 1), ipis(0),
	segv("app", "buf", 0),
}

// forkStory forks a process that runs on cpu0 and cpu1, cached on cpu2,
// never on cpu3: the parent's pages become copy-on-write everywhere.
var forkStory = []kstep{
	spawn("app", "other"), mmap("app", "buf", 4),
	on(0, "other"), on(1, "other"), on(2, "app"), write("app", "buf", 0, 4, 1), on(2, "other"), // cached on cpu2
	on(1, "app"), write("app", "buf", 0, 4, 2), // cpu1 caches buf writable
	on(0, "app"), expect("app", "buf", 0, 4, 2), ipis(0),
	fork("app", "child"), ipis(1), // cpu0 locally, cpu1 by IPI, cpu2 later (with PCIDs)
	on(0, "other"), write("app", "buf", 0, 4, 3), // on cpu1: copy-on-write, not a write through the old entry
	expect("child", "buf", 0, 4, 2), on(2, "app"), expect("app", "buf", 0, 4, 3), ipis(0),
}

// ceiling unmaps 33 pages, then 34, while cpu1 runs the process: the
// first is page by page and leaves cpu1's other entries warm, the second
// flushes all of them.
var ceiling = []kstep{
	spawn("app", "other"), mmap("app", "a", vm.FlushCeiling), mmap("app", "b", vm.FlushCeiling+1), mmap("app", "keep", 4),
	on(0, "other"), on(1, "app"), write("app", "a", 0, vm.FlushCeiling, 1), write("app", "b", 0, vm.FlushCeiling+1, 1),
	write("app", "keep", 0, 4, 1), on(0, "app"), ipis(0),
	munmap("app", "a", 0, vm.FlushCeiling), ipis(1),
	on(0, "other"), expect("app", "keep", 0, 4, 1), on(0, "app"), // cpu1's entries of keep: still warm
	munmap("app", "b", 0, vm.FlushCeiling+1), ipis(1),
	on(0, "other"), expect("app", "keep", 0, 4, 1), ipis(0), // cold now
}

// eviction is a process whose pages another process's faults evict,
// first while it runs on cpu1, then while cpu1 only caches it.
var eviction = []kstep{
	spawn("app", "hog", "idle"), mmap("app", "buf", 6), mmap("hog", "mem", 12),
	on(0, "hog"), on(1, "app"), write("app", "buf", 0, 6, 1), // cpu1 runs app
	write("hog", "mem", 0, 6, 2),                 // on cpu0: evicts app's pages under cpu1
	expect("app", "buf", 0, 6, 1), on(1, "idle"), // app swapped back in; cpu1 caches it
	write("hog", "mem", 6, 12, 2), on(0, "idle"), on(1, "app"), expect("app", "buf", 0, 6, 1),
	on(0, "hog"), expect("hog", "mem", 0, 12, 2),
}

func describeKernel(fn ShootdownFunc) {
	ginkgo.DescribeTable("inside the reference kernel: Check clean after every step, the minimum of IPIs, the TLB hits of the reference",
		func(cfg kernel.Config, story []kstep) { compare(fn, cfg, story) },
		ginkgo.Entry("two threads on two CPUs, munmap and mprotect, PCIDs off",
			rules(3, "flush-running", "local-flush", "one-per-cpu", "minimal-ipis"), kernel.Config{CPUs: 2}, threads),
		ginkgo.Entry("two threads on two CPUs, munmap and mprotect, PCIDs on",
			rules(3, "flush-running", "local-flush", "one-per-cpu", "minimal-ipis"), kernel.Config{CPUs: 2, PCID: true}, threads),
		ginkgo.Entry("changed while the other CPU runs something else, PCIDs off: nothing to flush there",
			rules(2, "no-pcid", "minimal-ipis"), kernel.Config{CPUs: 2}, switchedAway),
		ginkgo.Entry("changed while the other CPU runs something else, PCIDs on: deferred to its switch-in",
			rules(3, "defer-cached", "minimal-ipis"), kernel.Config{CPUs: 2, PCID: true}, switchedAway),
		ginkgo.Entry("fork on four CPUs, PCIDs off", rules(3, "ceiling", "flush-running", "untouched", "minimal-ipis"),
			kernel.Config{CPUs: 4}, forkStory),
		ginkgo.Entry("fork on four CPUs, PCIDs on", rules(3, "ceiling", "defer-cached", "untouched", "minimal-ipis"),
			kernel.Config{CPUs: 4, PCID: true}, forkStory),
		ginkgo.Entry("unmapping 33 pages, then 34, PCIDs on", rules(3, "ceiling", "flush-running", "minimal-ipis"),
			kernel.Config{CPUs: 2, PCID: true, Frames: 128, TLB: vm.TLBConfig{Entries: 256, Ways: 4}}, ceiling),
		ginkgo.Entry("eviction under a CPU running or caching the process, PCIDs off", rules(2, "flush-running", "local-flush"),
			kernel.Config{CPUs: 2, Frames: 16, SwapSlots: 32, Policy: "fifo"}, eviction),
		ginkgo.Entry("eviction under a CPU running or caching the process, PCIDs on", rules(3, "flush-running", "defer-cached"),
			kernel.Config{CPUs: 2, PCID: true, Frames: 16, SwapSlots: 32, Policy: "fifo"}, eviction),
	)
}

// op is one step of a random workload on two processes, a and b, each
// with an 8-page buffer, on the CPUs of the machine.
type op struct {
	kind     string // switch, read, write, protect, dontneed
	cpu, pid int    // pid 1 or 2 (a or b)
	from, n  int    // pages of the buffer
	ro       bool   // protect: read-only, else read-write
}

// script prints a workload as its steps, separated by semicolons.
func script(ops []op) string {
	parts := make([]string, len(ops))
	for i, o := range ops {
		parts[i] = o.String()
	}
	return strings.Join(parts, "; ")
}

func (o op) String() string {
	switch o.kind {
	case "switch":
		return fmt.Sprintf("switch cpu%d to pid %d", o.cpu, o.pid)
	case "protect":
		perm := vm.PermRW
		if o.ro {
			perm = vm.PermRead
		}
		return fmt.Sprintf("mprotect pid %d pages %d..%d %v", o.pid, o.from, o.from+o.n-1, perm)
	}
	return fmt.Sprintf("%s pid %d pages %d..%d", o.kind, o.pid, o.from, o.from+o.n-1)
}

// randomKernel is one kernel of the random workload and its buffers.
type randomKernel struct {
	k    *kernel.Kernel
	bufs map[int]vm.VAddr
}

func newRandomKernel(fn ShootdownFunc, cpus int, pcid bool) (*randomKernel, error) {
	k, err := kernel.New(kernel.Config{Frames: 64, CPUs: cpus, PCID: pcid, Shootdown: fn})
	if err != nil {
		return nil, err
	}
	rk := &randomKernel{k: k, bufs: map[int]vm.VAddr{}}
	for range 2 {
		pid, err := k.Spawn(kernel.Image{Name: "p", BSS: 0x1000})
		if err != nil {
			return nil, err
		}
		if rk.bufs[pid], err = k.Mmap(pid, kernel.MmapArgs{Length: 8 * 0x1000, Perm: vm.PermRW}); err != nil {
			return nil, err
		}
	}
	return rk, nil
}

// do applies o and returns what a program would see: the bytes read, or
// the error (a write to a read-only page is SIGSEGV, and ends the process).
func (rk *randomKernel) do(o op) string {
	va := rk.bufs[o.pid] + vm.VAddr(o.from)*0x1000
	var err error
	switch o.kind {
	case "switch":
		err = rk.k.Switch(o.cpu, o.pid)
	case "read":
		var b []byte
		b, err = rk.k.Read(o.pid, va, 1)
		if err == nil {
			return fmt.Sprintf("read %x", b)
		}
	case "write":
		err = rk.k.Write(o.pid, va, []byte{byte(o.from + 1)})
	case "protect":
		perm := vm.PermRW
		if o.ro {
			perm = vm.PermRead
		}
		err = rk.k.Mprotect(o.pid, va, uint64(o.n)*0x1000, perm)
	case "dontneed":
		err = rk.k.Madvise(o.pid, va, uint64(o.n)*0x1000, kernel.MadvDontNeed)
	}
	if err != nil {
		return err.Error()
	}
	return "ok"
}

// describeRandom declares the property: random workloads on the kernel
// with fn and with the reference's Shootdown see the same bytes and
// errors, send the same IPIs and hit the TLBs as often, and fn's kernel
// passes Check after every step.
func describeRandom(fn ShootdownFunc) {
	ginkgo.It("keeps every TLB right and matches the reference's IPIs and hits on random workloads", ginkgo.Label("property"), func() {
		feedback.Check(func(t *rapid.T) {
			cpus, pcid := rapid.IntRange(2, 4).Draw(t, "cpus"), rapid.Bool().Draw(t, "pcid")
			got, err := newRandomKernel(fn, cpus, pcid)
			if err != nil {
				t.Fatalf("a kernel: %v", err)
			}
			want, err := newRandomKernel(shootdown.Shootdown, cpus, pcid)
			if err != nil {
				t.Fatalf("the reference kernel: %v", err)
			}
			var done []op
			for range rapid.IntRange(1, 16).Draw(t, "steps") {
				o := op{
					kind: rapid.SampledFrom([]string{"switch", "switch", "read", "write", "write", "protect", "dontneed"}).Draw(t, "op"),
					cpu:  rapid.IntRange(0, cpus-1).Draw(t, "cpu"),
					pid:  rapid.IntRange(1, 2).Draw(t, "pid"),
					from: rapid.IntRange(0, 7).Draw(t, "from"),
					ro:   rapid.Bool().Draw(t, "read-only"),
				}
				o.n = rapid.IntRange(1, 8-o.from).Draw(t, "pages")
				done = append(done, o)
				g, w := got.do(o), want.do(o)
				if g != w {
					t.Fatalf("CPUs %d, PCIDs %v, after %s: %s; with the reference's Shootdown %s", cpus, pcid, script(done), g, w)
				}
				if err := got.k.Check(); err != nil {
					t.Fatalf("CPUs %d, PCIDs %v, after %s: Check() = %v", cpus, pcid, script(done), err)
				}
			}
			if g, w := got.k.Stats().Shootdowns, want.k.Stats().Shootdowns; g != w {
				t.Fatalf("CPUs %d, PCIDs %v, after %s: %d IPIs; with the reference's Shootdown %d", cpus, pcid, script(done), g, w)
			}
			for c := range cpus {
				g, _ := got.k.TLBStats(c)
				w, _ := want.k.TLBStats(c)
				if g.Hits != w.Hits || g.Misses != w.Misses {
					t.Fatalf("CPUs %d, PCIDs %v, after %s: cpu%d's TLB %d hits, %d misses; with the reference's Shootdown %d hits, %d misses", cpus, pcid, script(done), c, g.Hits, g.Misses, w.Hits, w.Misses)
				}
			}
		})
	})
}

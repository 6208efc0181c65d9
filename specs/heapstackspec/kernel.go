package heapstackspec

import (
	"errors"
	"fmt"
	"github.com/vmkata/vmkata/specs/internal/kernelrig"

	"github.com/onsi/ginkgo/v2"

	"github.com/vmkata/vmkata/reference/kernel"
	"github.com/vmkata/vmkata/vm"
)

// DescribeInKernel declares the heap and stack behaviour inside the
// reference kernel (reference/kernel): brk and classify take the place of
// Config.Brk and Config.ClassifyFault, and the specs look only at what the
// kernel shows: the break brk(2) returns, the bytes processes read and
// write, the signals that kill them, the VMA listings, the counters and
// Check, the kernel's invariant checker. A panic in brk or classify fails
// the spec that provoked it. Call it at package level in a _test.go file:
//
//	var _ = heapstackspec.DescribeInKernel("reference", heapstack.Brk, heapstack.ClassifyFault)
//
// Every spec carries "points:N", "topic:kernel", "topic:heap" or
// "topic:stack", and the "rule:12.name" labels of the rules it checks.
func DescribeInKernel(name string, brk BrkFunc, classify ClassifyFunc) bool {
	return ginkgo.Describe("Heap and stack in the kernel ["+name+"]", ginkgo.Label("topic:kernel"), func() {
		ginkgo.It("brk grows the heap with zeroed writable bytes and shrinking drops them (a read above the break is SIGSEGV)",
			kernelLabels(2, "topic:heap", "brk-grow", "brk-shrink"), func() {
				r := newKRig(brk, classify, kernel.Config{})
				pid := r.spawn()
				start := r.heapStart(pid)
				r.brk(pid, start+3*kpage+10, start+3*kpage+10)
				r.expectHeap(pid, start, start+4*kpage)
				r.ExpectRead(pid, start+3*kpage, make([]byte, 10))
				r.Write(pid, start, []byte("bottom"))
				r.Write(pid, start+3*kpage, []byte("top"))
				r.brk(pid, start+kpage, start+kpage)
				r.expectHeap(pid, start, start+kpage)
				r.ExpectRead(pid, start, []byte("bottom"))
				r.Check("the heap shrank")
				_, err := r.K.Read(pid, start+3*kpage, 1)
				r.ExpectSegv(err, kernel.SegvMapErr, fmt.Sprintf("Read(%d, %v, 1) above the break", pid, start+3*kpage))
				r.Check("the SIGSEGV")
			})

		ginkgo.It("brk refuses to grow into a mapping and leaves the break where it was",
			kernelLabels(1, "topic:heap", "brk-no-overlap", "brk-failure-unchanged", "brk-query"), func() {
				r := newKRig(brk, classify, kernel.Config{})
				pid := r.spawn()
				start := r.heapStart(pid)
				r.brk(pid, start+kpage, start+kpage)
				r.Write(pid, start, []byte("heap"))
				a := kernel.MmapArgs{Addr: start + 2*kpage, Length: kpage, Perm: vm.PermRW, Fixed: true}
				va, err := r.K.Mmap(pid, a)
				r.Log("Mmap(%d, %v) = %v, %v", pid, a, va, err)
				r.Must(fmt.Sprintf("Mmap(%d, %v)", pid, a), err)
				r.Write(pid, va, []byte("mapped"))
				got, err := r.K.Brk(pid, start+4*kpage)
				r.Log("Brk(%d, %v) = %v, %v", pid, start+4*kpage, got, err)
				if !errors.Is(err, kernel.ErrNoMemory) || got != start+kpage {
					r.Fail("Brk(%d, %v) over a mapping = %v, %v, want %v and an error wrapping %q", pid, start+4*kpage, got, err, start+kpage, kernel.ErrNoMemory)
				}
				r.brk(pid, 0, start+kpage)
				r.expectHeap(pid, start, start+kpage)
				r.ExpectRead(pid, start, []byte("heap"))
				r.ExpectRead(pid, va, []byte("mapped"))
				r.Check("the refused brk")
			})

		ginkgo.It("the stack grows down on a fault below it, to the faulting page",
			kernelLabels(2, "topic:stack", "classify-grow"), func() {
				r := newKRig(brk, classify, kernel.Config{})
				pid := r.spawn()
				top := r.K.StackTop()
				va := top - 5*kpage + 8
				before := r.K.Stats().StackGrowths
				r.Write(pid, va, []byte("deep"))
				r.ExpectRead(pid, va, []byte("deep"))
				if got := r.K.Stats().StackGrowths; got != before+1 {
					r.Fail("Stats().StackGrowths = %d after a write 5 pages below the stack top, want %d", got, before+1)
				}
				vs := r.VMAs(pid)
				found := false
				for _, v := range vs {
					if v.GrowsDown && v.Range.Start == top-5*kpage && v.Range.End == top {
						found = true
					}
				}
				if !found {
					r.Fail("VMAs(%d) =%s\nwant the stack grown to [%v, %v)", pid, listing(vs), top-5*kpage, top)
				}
				r.Check("the stack grew")
			})

		ginkgo.DescribeTable("a fault the stack may not grow to is SIGSEGV (SEGV_MAPERR); one exactly at the guard gap grows it",
			func(cfg kernel.Config, below uint64, blocker, grows bool) {
				r := newKRig(brk, classify, cfg)
				pid := r.spawn()
				top := r.K.StackTop()
				if blocker {
					a := kernel.MmapArgs{Addr: top - 12*kpage, Length: kpage, Perm: vm.PermRW, Fixed: true}
					_, err := r.K.Mmap(pid, a)
					r.Log("Mmap(%d, %v) = %v", pid, a, err)
					r.Must(fmt.Sprintf("Mmap(%d, %v)", pid, a), err)
				}
				va := top - vm.VAddr(below)
				err := r.K.Write(pid, va, []byte{1})
				if grows {
					r.Log("Write(%d, %v, [1]) = %v", pid, va, err)
					r.Must(fmt.Sprintf("Write(%d, %v) %#x bytes below the stack top", pid, va, below), err)
					r.ExpectRead(pid, va, []byte{1})
					r.Check("the stack grew")
					return
				}
				r.ExpectSegv(err, kernel.SegvMapErr, fmt.Sprintf("Write(%d, %v) %#x bytes below the stack top", pid, va, below))
				r.Check("the SIGSEGV")
			},
			ginkgo.Entry("beyond the stack limit (overflow)", kernelLabels(1, "topic:stack", "classify-stack-limit"),
				kernel.Config{StackLimit: 8 * kpage}, uint64(9*kpage), false, false),
			ginkgo.Entry("inside the guard gap above another mapping", kernelLabels(1, "topic:stack", "classify-guard-gap"),
				kernel.Config{GuardGap: 4 * kpage}, uint64(9*kpage), true, false),
			ginkgo.Entry("exactly the guard gap above another mapping: the stack grows", kernelLabels(1, "topic:stack", "classify-guard-gap", "classify-grow"),
				kernel.Config{GuardGap: 4 * kpage}, uint64(7*kpage), true, true),
			ginkgo.Entry("exactly the stack limit: the stack grows", kernelLabels(1, "topic:stack", "classify-stack-limit", "classify-grow"),
				kernel.Config{StackLimit: 8 * kpage}, uint64(8*kpage), false, true),
		)
	})
}

const kpage = 4096

// kernelLabels returns the labels of a kernel story worth pts points about
// topic that checks the rules of exercise 12 named.
func kernelLabels(pts int, topic string, names ...string) ginkgo.Labels {
	return append(rules(pts, names...), topic)
}

// krig is one reference kernel running brk and classify, and the calls
// made on it so far, printed in every failure message.
type krig struct {
	*kernelrig.Rig
}

func newKRig(brk BrkFunc, classify ClassifyFunc, cfg kernel.Config) *krig {
	cfg.Frames = 32
	cfg.Brk, cfg.ClassifyFault = brk, classify
	cfg.Files = map[string][]byte{"/bin/app": []byte("\x55\x48\x89\xe5 code \xc3"), "/data": []byte("initialized data")}
	k, err := kernel.New(cfg)
	what := fmt.Sprintf("kernel.New(Frames: 32, StackLimit: %#x, GuardGap: %#x, Brk and ClassifyFault under test)", cfg.StackLimit, cfg.GuardGap)
	if err != nil {
		ginkgo.Fail(fmt.Sprintf("%s = %v, want a kernel", what, err))
	}
	return &krig{kernelrig.New(k, what)}
}

func (r *krig) spawn() int {
	ginkgo.GinkgoHelper()
	return r.Spawn(kernel.Image{Text: "/bin/app", Data: "/data", BSS: kpage})
}

func (r *krig) heapStart(pid int) vm.VAddr {
	ginkgo.GinkgoHelper()
	start, err := r.K.HeapStart(pid)
	r.Log("HeapStart(%d) = %v, %v", pid, start, err)
	r.Must(fmt.Sprintf("HeapStart(%d)", pid), err)
	return start
}

// brk calls Brk(pid, addr) and requires the break want back.
func (r *krig) brk(pid int, addr, want vm.VAddr) {
	ginkgo.GinkgoHelper()
	got, err := r.K.Brk(pid, addr)
	r.Log("Brk(%d, %v) = %v, %v", pid, addr, got, err)
	if err != nil || got != want {
		r.Fail("Brk(%d, %v) = %v, %v, want %v, nil", pid, addr, got, err, want)
	}
}

// expectHeap requires the heap VMA of pid to be exactly [start, end).
func (r *krig) expectHeap(pid int, start, end vm.VAddr) {
	ginkgo.GinkgoHelper()
	vs := r.VMAs(pid)
	var heaps []vm.VMA
	for _, v := range vs {
		if v.Role == vm.RoleHeap {
			heaps = append(heaps, v)
		}
	}
	want := heapVMA(start, end)
	if len(heaps) != 1 || heaps[0] != want {
		r.Fail("VMAs(%d) =%s\nwant one heap VMA %v", pid, listing(vs), want)
	}
}

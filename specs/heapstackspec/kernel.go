package heapstackspec

import (
	"errors"
	"fmt"
	"github.com/vmkata/vmkata/specs/internal/trail"

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
// Every spec carries "points:N", "topic:kernel" and "topic:heap" or
// "topic:stack".
func DescribeInKernel(name string, brk BrkFunc, classify ClassifyFunc) bool {
	return ginkgo.Describe("Heap and stack in the kernel ["+name+"]", ginkgo.Label("topic:kernel"), func() {
		ginkgo.It("brk grows the heap with zeroed writable bytes and shrinking drops them (a read above the break is SIGSEGV)",
			ginkgo.Label("points:2", "topic:heap"), func() {
				r := newKRig(brk, classify, kernel.Config{})
				pid := r.spawn()
				start := r.heapStart(pid)
				r.brk(pid, start+3*kpage+10, start+3*kpage+10)
				r.expectHeap(pid, start, start+4*kpage)
				r.expectRead(pid, start+3*kpage, make([]byte, 10))
				r.write(pid, start, []byte("bottom"))
				r.write(pid, start+3*kpage, []byte("top"))
				r.brk(pid, start+kpage, start+kpage)
				r.expectHeap(pid, start, start+kpage)
				r.expectRead(pid, start, []byte("bottom"))
				r.check("the heap shrank")
				_, err := r.k.Read(pid, start+3*kpage, 1)
				r.expectSegv(err, kernel.SegvMapErr, fmt.Sprintf("Read(%d, %v, 1) above the break", pid, start+3*kpage))
				r.check("the SIGSEGV")
			})

		ginkgo.It("brk refuses to grow into a mapping and leaves the break where it was",
			ginkgo.Label("points:1", "topic:heap"), func() {
				r := newKRig(brk, classify, kernel.Config{})
				pid := r.spawn()
				start := r.heapStart(pid)
				r.brk(pid, start+kpage, start+kpage)
				r.write(pid, start, []byte("heap"))
				a := kernel.MmapArgs{Addr: start + 2*kpage, Length: kpage, Perm: vm.PermRW, Fixed: true}
				va, err := r.k.Mmap(pid, a)
				r.Log("Mmap(%d, %v) = %v, %v", pid, a, va, err)
				r.Must(fmt.Sprintf("Mmap(%d, %v)", pid, a), err)
				r.write(pid, va, []byte("mapped"))
				got, err := r.k.Brk(pid, start+4*kpage)
				r.Log("Brk(%d, %v) = %v, %v", pid, start+4*kpage, got, err)
				if !errors.Is(err, kernel.ErrNoMemory) || got != start+kpage {
					r.Fail("Brk(%d, %v) over a mapping = %v, %v, want %v and an error wrapping %q", pid, start+4*kpage, got, err, start+kpage, kernel.ErrNoMemory)
				}
				r.brk(pid, 0, start+kpage)
				r.expectHeap(pid, start, start+kpage)
				r.expectRead(pid, start, []byte("heap"))
				r.expectRead(pid, va, []byte("mapped"))
				r.check("the refused brk")
			})

		ginkgo.It("the stack grows down on a fault below it, to the faulting page",
			ginkgo.Label("points:2", "topic:stack"), func() {
				r := newKRig(brk, classify, kernel.Config{})
				pid := r.spawn()
				top := r.k.StackTop()
				va := top - 5*kpage + 8
				before := r.k.Stats().StackGrowths
				r.write(pid, va, []byte("deep"))
				r.expectRead(pid, va, []byte("deep"))
				if got := r.k.Stats().StackGrowths; got != before+1 {
					r.Fail("Stats().StackGrowths = %d after a write 5 pages below the stack top, want %d", got, before+1)
				}
				vs := r.vmas(pid)
				found := false
				for _, v := range vs {
					if v.GrowsDown && v.Range.Start == top-5*kpage && v.Range.End == top {
						found = true
					}
				}
				if !found {
					r.Fail("VMAs(%d) =%s\nwant the stack grown to [%v, %v)", pid, listing(vs), top-5*kpage, top)
				}
				r.check("the stack grew")
			})

		ginkgo.DescribeTable("a fault the stack may not grow to is SIGSEGV (SEGV_MAPERR)",
			func(cfg kernel.Config, below uint64, blocker bool) {
				r := newKRig(brk, classify, cfg)
				pid := r.spawn()
				top := r.k.StackTop()
				if blocker {
					a := kernel.MmapArgs{Addr: top - 12*kpage, Length: kpage, Perm: vm.PermRW, Fixed: true}
					_, err := r.k.Mmap(pid, a)
					r.Log("Mmap(%d, %v) = %v", pid, a, err)
					r.Must(fmt.Sprintf("Mmap(%d, %v)", pid, a), err)
				}
				va := top - vm.VAddr(below)
				err := r.k.Write(pid, va, []byte{1})
				r.expectSegv(err, kernel.SegvMapErr, fmt.Sprintf("Write(%d, %v) %#x bytes below the stack top", pid, va, below))
				r.check("the SIGSEGV")
			},
			ginkgo.Entry("beyond the stack limit (overflow)", ginkgo.Label("points:1", "topic:stack"),
				kernel.Config{StackLimit: 8 * kpage}, uint64(9*kpage), false),
			ginkgo.Entry("inside the guard gap above another mapping", ginkgo.Label("points:1", "topic:stack"),
				kernel.Config{GuardGap: 4 * kpage}, uint64(9*kpage), true),
		)
	})
}

const kpage = 4096

// krig is one reference kernel running brk and classify, and the calls
// made on it so far, printed in every failure message.
type krig struct {
	k *kernel.Kernel
	trail.Trail
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
	return &krig{k: k, Trail: trail.Start(what)}
}

func (r *krig) spawn() int {
	ginkgo.GinkgoHelper()
	img := kernel.Image{Text: "/bin/app", Data: "/data", BSS: kpage}
	pid, err := r.k.Spawn(img)
	r.Log("Spawn(%+v) = %d, %v", img, pid, err)
	r.Must("Spawn", err)
	return pid
}

func (r *krig) heapStart(pid int) vm.VAddr {
	ginkgo.GinkgoHelper()
	start, err := r.k.HeapStart(pid)
	r.Log("HeapStart(%d) = %v, %v", pid, start, err)
	r.Must(fmt.Sprintf("HeapStart(%d)", pid), err)
	return start
}

// brk calls Brk(pid, addr) and requires the break want back.
func (r *krig) brk(pid int, addr, want vm.VAddr) {
	ginkgo.GinkgoHelper()
	got, err := r.k.Brk(pid, addr)
	r.Log("Brk(%d, %v) = %v, %v", pid, addr, got, err)
	if err != nil || got != want {
		r.Fail("Brk(%d, %v) = %v, %v, want %v, nil", pid, addr, got, err, want)
	}
}

func (r *krig) write(pid int, va vm.VAddr, data []byte) {
	ginkgo.GinkgoHelper()
	err := r.k.Write(pid, va, data)
	r.Log("Write(%d, %v, %q) = %v", pid, va, data, err)
	r.Must(fmt.Sprintf("Write(%d, %v, %q)", pid, va, data), err)
}

func (r *krig) expectRead(pid int, va vm.VAddr, want []byte) {
	ginkgo.GinkgoHelper()
	got, err := r.k.Read(pid, va, len(want))
	r.Log("Read(%d, %v, %d) = %q, %v", pid, va, len(want), got, err)
	r.Must(fmt.Sprintf("Read(%d, %v, %d)", pid, va, len(want)), err)
	if string(got) != string(want) {
		r.Fail("Read(%d, %v, %d) = %q, want %q", pid, va, len(want), got, want)
	}
}

func (r *krig) vmas(pid int) []vm.VMA {
	ginkgo.GinkgoHelper()
	vs, err := r.k.VMAs(pid)
	r.Must(fmt.Sprintf("VMAs(%d)", pid), err)
	return vs
}

// expectHeap requires the heap VMA of pid to be exactly [start, end).
func (r *krig) expectHeap(pid int, start, end vm.VAddr) {
	ginkgo.GinkgoHelper()
	vs := r.vmas(pid)
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

// expectSegv requires err to be SIGSEGV with code.
func (r *krig) expectSegv(err error, code kernel.SignalCode, what string) {
	ginkgo.GinkgoHelper()
	r.Log("%s = %v", what, err)
	var se *kernel.SignalError
	if !errors.As(err, &se) || se.Signal != kernel.SIGSEGV || se.Code != code {
		r.Fail("%s = %v, want SIGSEGV (%v)", what, err, code)
	}
}

func (r *krig) check(after string) {
	ginkgo.GinkgoHelper()
	if err := r.k.Check(); err != nil {
		r.Fail("Check() after %s = %v, want nil", after, err)
	}
}

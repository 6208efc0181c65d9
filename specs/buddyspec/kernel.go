package buddyspec

import (
	"errors"
	"fmt"

	"github.com/onsi/ginkgo/v2"

	"github.com/vmkata/vmkata/reference/kernel"
	"github.com/vmkata/vmkata/specs/internal/kernelrig"
	"github.com/vmkata/vmkata/vm"
)

// kpage is the kernel's page size (x86-64, 4 KiB).
const kpage = 4096

// hugeOrder is the order of the block behind one 2 MiB huge page: 512
// frames of 4 KiB.
const hugeOrder = 9

// DescribeInKernel declares the allocator's behaviour inside the reference
// kernel (reference/kernel): every user page the kernel loads lives in a
// frame the allocator handed out (Config.FrameAllocator, one frame at a
// time), and every frame comes back when its page goes. The specs look at
// the frames the processes' pages land in, at the kernel's Check, and at
// what is left for a 2 MiB huge page, a block of 512 frames. Call it at
// package level in a _test.go file:
//
//	var _ = buddyspec.DescribeInKernel("reference", phys.NewBuddy)
//
// Every spec carries the labels "topic:buddy", "topic:kernel", "points:N"
// and the "rule:13.name" labels of the rules it checks.
func DescribeInKernel[T Allocator](name string, newBuddy func(frames, maxOrder int) (T, error)) bool {
	return ginkgo.Describe("buddy allocator in the kernel ["+name+"]", ginkgo.Label("topic:buddy", "topic:kernel"), func() {
		ginkgo.It("two processes faulting in turn take alternate frames: freeing one leaves no 2 MiB block behind", rules(4, "single-frame", "alloc-lowest", "free-merge", "alloc-oom"), func() {
			a := newRig(newBuddy, 1024, hugeOrder)
			kr := bootKernel(a, kernel.Config{Frames: 1024})
			base := userBase(kr)
			pa, pb := kr.Spawn(kernel.Image{Name: "a"}), kr.Spawn(kernel.Image{Name: "b"})
			va := kr.Mmap(pa, kernel.MmapArgs{Length: 256 * kpage, Perm: vm.PermRW})
			vb := kr.Mmap(pb, kernel.MmapArgs{Length: 256 * kpage, Perm: vm.PermRW})
			for i := range 256 {
				kr.Write(pa, va+vm.VAddr(i*kpage), []byte(fmt.Sprintf("a%d", i)))
				kr.Write(pb, vb+vm.VAddr(i*kpage), []byte(fmt.Sprintf("b%d", i)))
			}
			kr.Check("256 faults in each process, in turn")
			for i := range 256 {
				expectFrame(kr, pa, va+vm.VAddr(i*kpage), base+vm.PFN(2*i))
				expectFrame(kr, pb, vb+vm.VAddr(i*kpage), base+vm.PFN(2*i+1))
			}
			expectFree(kr, a, "the faults", 512, []int{0, 0, 0, 0, 0, 0, 0, 0, 0, 1})
			kr.Must(fmt.Sprintf("Exit(%d)", pa), kr.K.Exit(pa))
			kr.Check("process a exits")
			expectFree(kr, a, "process a exits", 768, []int{256, 0, 0, 0, 0, 0, 0, 0, 0, 1})
			huge := allocHuge(kr, a)
			if huge != 512 {
				kr.Fail("AllocOrder(%d) = %v, want pfn 512, the one whole block of 512 frames", hugeOrder, huge)
			}
			_, err := a.a.AllocOrder(hugeOrder)
			kr.Log("AllocOrder(%d) = %v", hugeOrder, err)
			if !errors.Is(err, vm.ErrOutOfMemory) {
				kr.Fail("a second AllocOrder(%d) = %v, want an error wrapping %q: the 256 free frames are scattered", hugeOrder, err, vm.ErrOutOfMemory)
			}
			freeHuge(kr, a, huge)
			kr.Must(fmt.Sprintf("Exit(%d)", pb), kr.K.Exit(pb))
			kr.Check("process b exits")
			expectFree(kr, a, "process b exits", 1024, []int{0, 0, 0, 0, 0, 0, 0, 0, 0, 2})
		})

		ginkgo.It("a 2 MiB block kept before boot is never handed to the kernel, which pages in the rest", rules(4, "aligned", "single-frame", "free-merge"), func() {
			a := newRig(newBuddy, 1024, hugeOrder)
			huge := a.alloc(hugeOrder)
			if huge != 0 {
				a.Fail("AllocOrder(%d) on a new allocator = %v, want pfn 0", hugeOrder, huge)
			}
			kr := bootKernel(a, kernel.Config{Frames: 1024, SwapSlots: 512})
			base := userBase(kr)
			pid := kr.Spawn(kernel.Image{Name: "big"})
			const pages = 600 // more than the 512 frames the kernel may use
			va := kr.Mmap(pid, kernel.MmapArgs{Length: pages * kpage, Perm: vm.PermRW})
			for i := range pages {
				kr.Write(pid, va+vm.VAddr(i*kpage), []byte(fmt.Sprintf("page %d", i)))
			}
			kr.Check(fmt.Sprintf("writing %d pages", pages))
			resident := 0
			for i := range pages {
				p := va + vm.VAddr(i*kpage)
				info, err := kr.K.PageInfo(pid, p)
				kr.Must(fmt.Sprintf("PageInfo(%d, %v)", pid, p), err)
				if info.State != vm.PagePresent {
					continue
				}
				resident++
				if n := info.PTE.PFN() - base; n < 1<<hugeOrder {
					kr.Fail("page %v lives in frame %d of the allocator, inside the block [0, 512) kept for a huge page", p, n)
				}
			}
			if resident != 512 {
				kr.Fail("%d pages resident, want 512: every frame outside the kept block", resident)
			}
			for _, i := range []int{0, 1, 299, pages - 1} {
				kr.ExpectRead(pid, va+vm.VAddr(i*kpage), []byte(fmt.Sprintf("page %d", i)))
			}
			kr.Check("reading pages back from swap")
			kr.Must(fmt.Sprintf("Exit(%d)", pid), kr.K.Exit(pid))
			kr.Check("the process exits")
			expectFree(kr, a, "the process exits", 512, []int{0, 0, 0, 0, 0, 0, 0, 0, 0, 1})
			freeHuge(kr, a, huge)
			expectFree(kr, a, "freeing the kept block", 1024, []int{0, 0, 0, 0, 0, 0, 0, 0, 0, 2})
		})
	})
}

// bootKernel builds a reference kernel from cfg with the allocator under
// test as its FrameAllocator.
func bootKernel(a *rig, cfg kernel.Config) *kernelrig.Rig {
	ginkgo.GinkgoHelper()
	cfg.FrameAllocator = a.a
	what := fmt.Sprintf("kernel.New(Frames: %d, SwapSlots: %d, FrameAllocator: the allocator)", cfg.Frames, cfg.SwapSlots)
	k, err := kernel.New(cfg)
	if err != nil {
		a.Fail("%s = %v, want a kernel", what, err)
	}
	a.Log("%s", what)
	return &kernelrig.Rig{K: k, Trail: a.Trail}
}

// userBase is the physical frame the allocator's frame 0 stands for.
func userBase(kr *kernelrig.Rig) vm.PFN { return vm.PFN(1 + kr.K.Config().TableFrames) }

// expectFrame requires the page at va of pid to be present in frame want.
func expectFrame(kr *kernelrig.Rig, pid int, va vm.VAddr, want vm.PFN) {
	ginkgo.GinkgoHelper()
	info, err := kr.K.PageInfo(pid, va)
	kr.Must(fmt.Sprintf("PageInfo(%d, %v)", pid, va), err)
	if info.State != vm.PagePresent || info.PTE.PFN() != want {
		kr.Fail("PageInfo(%d, %v) = %v in frame %v, want present in frame %v (frame %d of the allocator)",
			pid, va, info.State, info.PTE.PFN(), want, want-userBase(kr))
	}
}

// expectFree requires the allocator to have free frames and the free
// blocks per order want.
func expectFree(kr *kernelrig.Rig, a *rig, after string, free int, want []int) {
	ginkgo.GinkgoHelper()
	if got := a.a.FreeFrames(); got != free {
		kr.Fail("after %s: FreeFrames() = %d, want %d", after, got, free)
	}
	got := a.freeBlocks()
	for k := range want {
		if got[k] != want[k] {
			kr.Fail("after %s: free blocks per order 0..%d = %v, want %v", after, hugeOrder, got, want)
		}
	}
}

// allocHuge takes a block of 512 frames, which must succeed.
func allocHuge(kr *kernelrig.Rig, a *rig) vm.PFN {
	ginkgo.GinkgoHelper()
	pfn, err := a.a.AllocOrder(hugeOrder)
	kr.Log("AllocOrder(%d) = %v, %v", hugeOrder, pfn, err)
	kr.Must(fmt.Sprintf("AllocOrder(%d)", hugeOrder), err)
	return pfn
}

// freeHuge gives back the block of 512 frames at pfn, which must succeed.
func freeHuge(kr *kernelrig.Rig, a *rig, pfn vm.PFN) {
	ginkgo.GinkgoHelper()
	err := a.a.FreeOrder(pfn, hugeOrder)
	kr.Log("FreeOrder(%v, %d) = %v", pfn, hugeOrder, err)
	kr.Must(fmt.Sprintf("FreeOrder(%v, %d)", pfn, hugeOrder), err)
}

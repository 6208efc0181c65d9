// Package buddyspec is the behaviour of a binary buddy allocator, written
// once and run against any implementation: the reference (reference/phys)
// and a learner's allocator (exercise 13).
//
// Register it at package level in a _test.go file of the package under
// test, next to the usual Ginkgo bootstrap:
//
//	var _ = buddyspec.Describe("reference", phys.NewBuddy)
//	var _ = buddyspec.DescribeInKernel("reference", phys.NewBuddy)
//
//	func TestBuddy(t *testing.T) {
//		RegisterFailHandler(Fail)
//		RunSpecs(t, "buddy allocator")
//	}
//
// The contract is the rules of exercise 13, written in
// exercises/13-buddy-allocator/buddy.go. Describe plays scripted stories:
// every call with the result it must give and, after it, the free blocks of
// every order; after every call the specs also check that each block handed
// out is aligned, inside memory and disjoint from the others, that
// FreeFrames agrees with the free blocks and with what is handed out, and
// that a refused call changed nothing. A random property compares the
// allocator with the reference call by call. DescribeInKernel runs the
// reference kernel with the allocator as the source of every user frame.
//
// Every spec carries the label "topic:buddy" and "points:N"; every
// deterministic spec one "rule:13.name" label per rule it checks; the
// random property "property" instead.
package buddyspec

import (
	"errors"
	"fmt"
	"slices"

	"github.com/onsi/ginkgo/v2"

	_ "github.com/vmkata/vmkata/specs/internal/color" // Ginkgo without colour where it is not wanted
	"github.com/vmkata/vmkata/specs/internal/speclabel"
	"github.com/vmkata/vmkata/specs/internal/trail"
	"github.com/vmkata/vmkata/vm"
)

// Allocator is what the specs need of an implementation: the exported
// methods of exercise 13's Buddy.
type Allocator interface {
	vm.FrameAllocator
	Frames() int
	MaxOrder() int
	FreeBlocks(order int) int
	AllocOrder(order int) (vm.PFN, error)
	FreeOrder(pfn vm.PFN, order int) error
}

// rules returns the labels of a spec worth pts points that checks the
// rules of exercise 13 named.
func rules(pts int, names ...string) ginkgo.Labels {
	return speclabel.Rules(pts, "rule:13.", names...)
}

// block is an allocated block: 2^order frames from pfn.
type block struct {
	pfn   vm.PFN
	order int
}

func (b block) end() vm.PFN { return b.pfn + 1<<b.order }

func (b block) String() string { return fmt.Sprintf("[%v, %v) order %d", b.pfn, b.end(), b.order) }

// rig is one allocator under test, the blocks it has handed out and the
// calls made so far.
type rig struct {
	a                Allocator
	frames, maxOrder int
	held             []block
	trail.Trail
}

// newRig builds an allocator of frames frames and largest order maxOrder
// with newBuddy, failing the spec if it cannot.
func newRig[T Allocator](newBuddy func(int, int) (T, error), frames, maxOrder int) *rig {
	ginkgo.GinkgoHelper()
	what := fmt.Sprintf("NewBuddy(%d, %d)", frames, maxOrder)
	a, err := newBuddy(frames, maxOrder)
	if err != nil {
		ginkgo.Fail(fmt.Sprintf("%s = %v, want an allocator", what, err))
	}
	return &rig{a: a, frames: frames, maxOrder: maxOrder, Trail: trail.Start(what)}
}

// freeBlocks returns FreeBlocks(k) for k = 0 … maxOrder.
func (r *rig) freeBlocks() []int {
	out := make([]int, r.maxOrder+1)
	for k := range out {
		out[k] = r.a.FreeBlocks(k)
	}
	return out
}

// heldFrames is the number of frames in the blocks handed out.
func (r *rig) heldFrames() int {
	n := 0
	for _, b := range r.held {
		n += 1 << b.order
	}
	return n
}

// state is what a refused call must leave as it was.
type state struct {
	blocks []int
	free   int
}

func (r *rig) state() state { return state{r.freeBlocks(), r.a.FreeFrames()} }

// checkCounts requires FreeFrames to be the frames of the free blocks and
// the frames not handed out.
func (r *rig) checkCounts(after string) {
	ginkgo.GinkgoHelper()
	fb := r.freeBlocks()
	sum := 0
	for k, n := range fb {
		sum += n << k
	}
	free := r.a.FreeFrames()
	if free != sum {
		r.Fail("after %s: FreeFrames() = %d, but the free blocks per order %v hold %d frames", after, free, fb, sum)
	}
	if want := r.frames - r.heldFrames(); free != want {
		r.Fail("after %s: FreeFrames() = %d, want %d (%d frames, %d handed out)", after, free, want, r.frames, r.heldFrames())
	}
}

// alloc calls AllocOrder(order), which must succeed, and checks the block
// it returns against every block still handed out.
func (r *rig) alloc(order int) vm.PFN {
	ginkgo.GinkgoHelper()
	pfn, err := r.a.AllocOrder(order)
	call := fmt.Sprintf("AllocOrder(%d)", order)
	r.Log("%s = %v, %v", call, pfn, err)
	r.Must(call, err)
	r.take(call, block{pfn, order})
	return pfn
}

// take records b, which call handed out, after checking it is aligned,
// inside memory and disjoint from the blocks handed out.
func (r *rig) take(call string, b block) {
	ginkgo.GinkgoHelper()
	if b.pfn%(1<<b.order) != 0 {
		r.Fail("%s = %v: a block of %d frames must start at a multiple of %d", call, b.pfn, 1<<b.order, 1<<b.order)
	}
	if b.end() > vm.PFN(r.frames) {
		r.Fail("%s = %v: the block %v runs past the last frame %v", call, b.pfn, b, vm.PFN(r.frames-1))
	}
	for _, h := range r.held {
		if b.pfn < h.end() && h.pfn < b.end() {
			r.Fail("%s = %v: the block %v overlaps the block %v, still allocated", call, b.pfn, b, h)
		}
	}
	r.held = append(r.held, b)
	r.checkCounts(call)
}

// free calls FreeOrder(pfn, order), which must succeed.
func (r *rig) free(pfn vm.PFN, order int) {
	ginkgo.GinkgoHelper()
	err := r.a.FreeOrder(pfn, order)
	call := fmt.Sprintf("FreeOrder(%v, %d)", pfn, order)
	r.Log("%s = %v", call, err)
	r.Must(call, err)
	r.drop(call, block{pfn, order})
}

// drop forgets b, which call gave back.
func (r *rig) drop(call string, b block) {
	ginkgo.GinkgoHelper()
	i := slices.Index(r.held, b)
	if i < 0 {
		r.Fail("%s succeeded, but %v was not handed out", call, b)
	}
	r.held = slices.Delete(r.held, i, i+1)
	r.checkCounts(call)
}

// refused requires err, what call returned, to wrap sentinel, and the
// allocator to be as it was before (was).
func (r *rig) refused(call string, err, sentinel error, was state) {
	ginkgo.GinkgoHelper()
	r.Log("%s = %v", call, err)
	if !errors.Is(err, sentinel) {
		r.Fail("%s = %v, want an error wrapping %q", call, err, sentinel)
	}
	if now := r.state(); !slices.Equal(now.blocks, was.blocks) || now.free != was.free {
		r.Fail("after the refused %s: free blocks per order %v, FreeFrames() = %d; want them unchanged: %v, %d",
			call, now.blocks, now.free, was.blocks, was.free)
	}
}

// expectBlocks requires the free blocks per order to be want.
func (r *rig) expectBlocks(after string, want []int) {
	ginkgo.GinkgoHelper()
	if got := r.freeBlocks(); !slices.Equal(got, want) {
		r.Fail("after %s: free blocks per order 0..%d = %v, want %v", after, r.maxOrder, got, want)
	}
}

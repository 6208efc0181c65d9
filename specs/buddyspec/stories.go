package buddyspec

import (
	"fmt"

	"github.com/onsi/ginkgo/v2"

	"github.com/vmkata/vmkata/vm"
)

// call names which method a step calls.
type call uint8

const (
	callAllocOrder call = iota // AllocOrder(order)
	callFreeOrder              // FreeOrder(pfn, order)
	callAlloc                  // Alloc()
	callFree                   // Free(pfn)
)

// step is one call of a story and what it must give.
type step struct {
	call  call
	order int
	pfn   vm.PFN // AllocOrder, Alloc: the frame it must return; FreeOrder, Free: the argument
	err   error  // the sentinel the error must wrap; nil for success
	after []int  // free blocks per order after a successful call; nil for not checked
}

func allocOK(order int, pfn vm.PFN, after ...int) step {
	return step{call: callAllocOrder, order: order, pfn: pfn, after: after}
}
func allocErr(order int, sentinel error) step {
	return step{call: callAllocOrder, order: order, err: sentinel}
}
func freeOK(pfn vm.PFN, order int, after ...int) step {
	return step{call: callFreeOrder, pfn: pfn, order: order, after: after}
}
func freeErr(pfn vm.PFN, order int, sentinel error) step {
	return step{call: callFreeOrder, pfn: pfn, order: order, err: sentinel}
}
func alloc1(pfn vm.PFN, after ...int) step { return step{call: callAlloc, pfn: pfn, after: after} }
func alloc1Err(sentinel error) step        { return step{call: callAlloc, err: sentinel} }
func free1(pfn vm.PFN, after ...int) step  { return step{call: callFree, pfn: pfn, after: after} }
func free1Err(pfn vm.PFN, sentinel error) step {
	return step{call: callFree, pfn: pfn, err: sentinel}
}

func (s step) String() string {
	switch s.call {
	case callAllocOrder:
		return fmt.Sprintf("AllocOrder(%d)", s.order)
	case callFreeOrder:
		return fmt.Sprintf("FreeOrder(%v, %d)", s.pfn, s.order)
	case callAlloc:
		return "Alloc()"
	}
	return fmt.Sprintf("Free(%v)", s.pfn)
}

// play makes the call of s on r and checks its result.
func (s step) play(r *rig) {
	ginkgo.GinkgoHelper()
	was := r.state()
	var (
		pfn vm.PFN
		err error
	)
	switch s.call {
	case callAllocOrder:
		pfn, err = r.a.AllocOrder(s.order)
	case callAlloc:
		pfn, err = r.a.Alloc()
	case callFreeOrder:
		err = r.a.FreeOrder(s.pfn, s.order)
	case callFree:
		err = r.a.Free(s.pfn)
	}
	if s.err != nil {
		r.refused(s.String(), err, s.err, was)
		return
	}
	switch s.call {
	case callAllocOrder, callAlloc:
		r.Log("%v = %v, %v", s, pfn, err)
		r.Must(s.String(), err)
		if pfn != s.pfn {
			r.Fail("%v = %v, want %v", s, pfn, s.pfn)
		}
		r.take(s.String(), block{pfn, s.order})
	default:
		r.Log("%v = %v", s, err)
		r.Must(s.String(), err)
		r.drop(s.String(), block{s.pfn, s.order})
	}
	if s.after != nil {
		r.expectBlocks(s.String(), s.after)
	}
}

// story is a scripted sequence of calls on a new allocator.
type story struct {
	name             string
	frames, maxOrder int
	labels           ginkgo.Labels
	steps            []step
}

// entry makes st a table entry.
func (st story) entry() ginkgo.TableEntry {
	return ginkgo.Entry(fmt.Sprintf("%s (NewBuddy(%d, %d))", st.name, st.frames, st.maxOrder), st.labels, st)
}

// stories are the textbook cases: each names the rules it checks.
func stories() []story {
	return []story{
		{
			name: "splits 16 frames down to one, then coalesces all the way back", frames: 16, maxOrder: 4,
			labels: rules(4, "alloc-split", "alloc-smallest", "free-merge"),
			steps: []step{
				allocOK(0, 0, 1, 1, 1, 1, 0), // 16 -> 8+4+2+1 free, frame 0 taken
				allocOK(0, 1, 0, 1, 1, 1, 0), // the buddy of frame 0, no split
				allocOK(1, 2, 0, 0, 1, 1, 0), // exact fit at order 1
				allocOK(1, 4, 0, 1, 0, 1, 0), // splits the order-2 block at 4
				allocOK(3, 8, 0, 1, 0, 0, 0), // the order-3 block at 8
				allocOK(1, 6, 0, 0, 0, 0, 0), // the last two frames
				freeOK(0, 0, 1, 0, 0, 0, 0),
				freeOK(1, 0, 0, 1, 0, 0, 0), // 0 and 1 merge
				freeOK(4, 1, 0, 2, 0, 0, 0), // its buddy 6 is still allocated
				freeOK(2, 1, 0, 1, 1, 0, 0), // 0-1 and 2-3 merge into order 2
				freeOK(8, 3, 0, 1, 1, 1, 0),
				freeOK(6, 1, 0, 0, 0, 0, 1), // 6 -> 4 -> 0 -> 0: cascades up to order 4
			},
		},
		{
			name: "takes the smallest order that fits, not the lowest address", frames: 32, maxOrder: 4,
			labels: rules(3, "alloc-smallest", "alloc-split"),
			steps: []step{
				allocOK(4, 0, 0, 0, 0, 0, 1),  // the first of the two order-4 blocks
				allocOK(0, 16, 1, 1, 1, 1, 0), // splits the second one
				freeOK(0, 4, 1, 1, 1, 1, 1),
				allocOK(3, 24, 1, 1, 1, 0, 1), // the order-3 block at 24 fits exactly; the order-4 block at 0 stays whole
				allocOK(1, 18, 1, 0, 1, 0, 1),
				allocOK(1, 20, 1, 1, 0, 0, 1), // splits the order-2 block at 20
			},
		},
		{
			name: "takes the lowest address among free blocks of one order", frames: 16, maxOrder: 2,
			labels: rules(3, "alloc-lowest", "new-cover"),
			steps: []step{
				allocOK(2, 0, 0, 0, 3),
				allocOK(2, 4, 0, 0, 2),
				allocOK(2, 8, 0, 0, 1),
				freeOK(0, 2, 0, 0, 2),
				freeOK(4, 2, 0, 0, 3), // 0 and 4 stay apart: order 2 is the largest
				allocOK(2, 0, 0, 0, 2),
				freeOK(8, 2, 0, 0, 3),
				allocOK(0, 4, 1, 1, 2), // the lowest order-2 block is split, not the one freed last
				allocOK(2, 8, 1, 1, 1),
				allocOK(2, 12, 1, 1, 0),
				allocErr(2, vm.ErrOutOfMemory),
			},
		},
		{
			name: "merging stops at the largest order", frames: 16, maxOrder: 1,
			labels: rules(2, "free-merge", "new-cover"),
			steps: []step{
				allocOK(0, 0, 1, 7),
				allocOK(0, 1, 0, 7),
				freeOK(1, 0, 1, 7),
				freeOK(0, 0, 0, 8),
				allocOK(1, 0, 0, 7),
				allocOK(1, 2, 0, 6),
				freeOK(0, 1, 0, 7),
				freeOK(2, 1, 0, 8),
			},
		},
		{
			name: "a block at the end of memory never merges past it", frames: 14, maxOrder: 3,
			labels: rules(3, "free-edge", "new-cover", "alloc-smallest"),
			steps: []step{
				allocOK(2, 8, 0, 1, 0, 1),  // the order-2 block at 8 (12 and 13 are an order-1 block)
				freeOK(8, 2, 0, 1, 1, 1),   // its buddy at 12 would end at 16 > 14: no merge
				allocOK(1, 12, 0, 0, 1, 1), // its buddy 14 does not exist
				freeOK(12, 1, 0, 1, 1, 1),
				allocOK(0, 12, 1, 0, 1, 1),
				allocOK(0, 13, 0, 0, 1, 1),
				freeOK(12, 0, 1, 0, 1, 1),
				freeOK(13, 0, 0, 1, 1, 1), // 12 and 13 merge, but the pair stays at order 1
			},
		},
		{
			name: "seven frames: every block at the end", frames: 7, maxOrder: 5,
			labels: rules(2, "free-edge", "new-cover", "alloc-smallest"),
			steps: []step{
				allocOK(0, 6, 0, 1, 1, 0, 0, 0), // the lone frame 6; its buddy 7 does not exist
				freeOK(6, 0, 1, 1, 1, 0, 0, 0),
				allocOK(1, 4, 1, 0, 1, 0, 0, 0),
				freeOK(4, 1, 1, 1, 1, 0, 0, 0), // its buddy, the order-1 block at 6, would run past frame 6
				allocOK(2, 0, 1, 1, 0, 0, 0, 0),
				allocOK(1, 4, 1, 0, 0, 0, 0, 0),
				allocOK(0, 6, 0, 0, 0, 0, 0, 0),
				allocErr(0, vm.ErrOutOfMemory),
			},
		},
		{
			name: "free frames scattered in single pages cannot make a block of two", frames: 8, maxOrder: 3,
			labels: rules(3, "alloc-oom", "counts"),
			steps: []step{
				allocOK(0, 0), allocOK(0, 1), allocOK(0, 2), allocOK(0, 3),
				allocOK(0, 4), allocOK(0, 5), allocOK(0, 6), allocOK(0, 7, 0, 0, 0, 0),
				allocErr(0, vm.ErrOutOfMemory),
				freeOK(0, 0, 1, 0, 0, 0),
				freeOK(2, 0, 2, 0, 0, 0),
				freeOK(4, 0, 3, 0, 0, 0),
				freeOK(6, 0, 4, 0, 0, 0), // four frames free, no two of them buddies
				allocErr(1, vm.ErrOutOfMemory),
				allocErr(3, vm.ErrOutOfMemory),
				freeOK(7, 0, 3, 1, 0, 0),
				allocOK(1, 6, 3, 0, 0, 0),
				allocOK(0, 0, 2, 0, 0, 0),
			},
		},
		{
			name: "orders outside 0..MaxOrder are out of range", frames: 16, maxOrder: 3,
			labels: rules(2, "alloc-order", "free-range"),
			steps: []step{
				allocErr(-1, vm.ErrOutOfRange),
				allocErr(4, vm.ErrOutOfRange),
				allocErr(30, vm.ErrOutOfRange),
				allocOK(3, 0, 0, 0, 0, 1),
				freeErr(0, 4, vm.ErrOutOfRange),
				freeErr(0, -1, vm.ErrOutOfRange),
				freeErr(16, 0, vm.ErrOutOfRange),
				freeErr(1<<40, 0, vm.ErrOutOfRange),
				freeOK(0, 3, 0, 0, 0, 2),
			},
		},
		{
			name: "bad frees are refused and change nothing", frames: 16, maxOrder: 4,
			labels: rules(4, "free-invalid"),
			steps: []step{
				allocOK(1, 0, 0, 1, 1, 1, 0),
				allocOK(0, 2, 1, 0, 1, 1, 0),
				freeErr(1, 0, vm.ErrInvalidFrame), // inside the block at 0
				freeErr(1, 1, vm.ErrInvalidFrame),
				freeErr(0, 0, vm.ErrInvalidFrame), // allocated with order 1
				freeErr(0, 2, vm.ErrInvalidFrame),
				freeErr(2, 1, vm.ErrInvalidFrame), // allocated with order 0
				freeErr(3, 0, vm.ErrInvalidFrame), // free, never handed out
				freeErr(8, 3, vm.ErrInvalidFrame), // a free block
				freeOK(0, 1, 1, 1, 1, 1, 0),
				freeErr(0, 1, vm.ErrInvalidFrame), // double free
				freeOK(2, 0, 0, 0, 0, 0, 1),
				freeErr(2, 0, vm.ErrInvalidFrame),
				allocOK(0, 0, 1, 1, 1, 1, 0),
			},
		},
		{
			name: "Alloc and Free are AllocOrder(0) and FreeOrder(pfn, 0)", frames: 8, maxOrder: 3,
			labels: rules(3, "single-frame", "free-merge"),
			steps: []step{
				alloc1(0, 1, 1, 1, 0),
				alloc1(1, 0, 1, 1, 0),
				alloc1(2, 1, 0, 1, 0),
				free1(1, 2, 0, 1, 0),
				free1(0, 1, 1, 1, 0), // 0 and 1 merge
				free1Err(0, vm.ErrInvalidFrame),
				allocOK(1, 0, 1, 0, 1, 0),
				free1Err(0, vm.ErrInvalidFrame), // an order-1 block
				freeOK(0, 1, 1, 1, 1, 0),
				free1(2, 0, 0, 0, 1),
				free1Err(8, vm.ErrOutOfRange),
				alloc1(0), alloc1(1), alloc1(2), alloc1(3), alloc1(4), alloc1(5), alloc1(6), alloc1(7, 0, 0, 0, 0),
				alloc1Err(vm.ErrOutOfMemory),
			},
		},
	}
}

// playStory builds the story's allocator with newBuddy and plays its steps.
func playStory[T Allocator](newBuddy func(int, int) (T, error), st story) {
	ginkgo.GinkgoHelper()
	r := newRig(newBuddy, st.frames, st.maxOrder)
	r.checkCounts("NewBuddy")
	for _, s := range st.steps {
		s.play(r)
	}
}

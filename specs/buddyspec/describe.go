package buddyspec

import (
	"errors"
	"fmt"
	"slices"

	"github.com/onsi/ginkgo/v2"

	"github.com/vmkata/vmkata/vm"
)

// maxFrames and maxOrder are the limits of NewBuddy's arguments.
const (
	maxFrames = 1 << 30
	maxOrder  = 30
)

// Describe declares the buddy allocator's behaviour for the implementation
// newBuddy builds. Call it at package level in a _test.go file:
//
//	var _ = buddyspec.Describe("reference", phys.NewBuddy)
func Describe[T Allocator](name string, newBuddy func(frames, maxOrder int) (T, error)) bool {
	return ginkgo.Describe("buddy allocator ["+name+"]", ginkgo.Label("topic:buddy"), func() {
		ginkgo.DescribeTable("NewBuddy refuses a bad size or order",
			func(frames, order int) {
				_, err := newBuddy(frames, order)
				if !errors.Is(err, vm.ErrInvalidConfig) {
					ginkgo.Fail(fmt.Sprintf("NewBuddy(%d, %d) = %v, want an error wrapping %q", frames, order, err, vm.ErrInvalidConfig))
				}
			},
			func(frames, order int) string { return fmt.Sprintf("NewBuddy(%d, %d)", frames, order) },
			ginkgo.Entry(nil, rules(1, "new-invalid"), 0, 0),
			ginkgo.Entry(nil, rules(1, "new-invalid"), -1, 3),
			ginkgo.Entry(nil, rules(1, "new-invalid"), maxFrames+1, 10),
			ginkgo.Entry(nil, rules(1, "new-invalid"), 16, -1),
			ginkgo.Entry(nil, rules(1, "new-invalid"), 16, maxOrder+1),
		)

		ginkgo.DescribeTable("NewBuddy covers memory with the largest aligned blocks that fit",
			func(frames, order int, want []int) {
				r := newRig(newBuddy, frames, order)
				if got := r.a.Frames(); got != frames {
					r.Fail("Frames() = %d, want %d", got, frames)
				}
				if got := r.a.MaxOrder(); got != order {
					r.Fail("MaxOrder() = %d, want %d", got, order)
				}
				r.expectBlocks("NewBuddy", want)
				r.checkCounts("NewBuddy")
				for _, k := range []int{-1, order + 1} {
					if got := r.a.FreeBlocks(k); got != 0 {
						r.Fail("FreeBlocks(%d) = %d, want 0 (an order outside 0..%d)", k, got, order)
					}
				}
			},
			func(frames, order int, want []int) string {
				return fmt.Sprintf("NewBuddy(%d, %d) starts with free blocks per order %v", frames, order, want)
			},
			ginkgo.Entry(nil, rules(1, "new-cover", "geometry", "counts"), 16, 4, []int{0, 0, 0, 0, 1}),
			ginkgo.Entry(nil, rules(1, "new-cover", "geometry", "counts"), 16, 2, []int{0, 0, 4}),
			ginkgo.Entry(nil, rules(1, "new-cover", "geometry", "counts"), 1, 3, []int{1, 0, 0, 0}),
			ginkgo.Entry(nil, rules(1, "new-cover", "geometry", "counts"), 1000, 10, []int{0, 0, 0, 1, 0, 1, 1, 1, 1, 1, 0}),
			ginkgo.Entry(nil, rules(1, "new-cover", "geometry", "counts"), 1000, 8, []int{0, 0, 0, 1, 0, 1, 1, 1, 3}),
			ginkgo.Entry(nil, rules(1, "new-cover", "geometry", "counts"), 7, 5, []int{1, 1, 1, 0, 0, 0}),
			ginkgo.Entry(nil, rules(1, "new-cover", "geometry", "counts"), 1536, 9, []int{0, 0, 0, 0, 0, 0, 0, 0, 0, 3}),
			ginkgo.Entry(nil, rules(1, "new-invalid", "new-cover", "geometry"), 4, 0, []int{4}),
			ginkgo.Entry(nil, rules(1, "new-invalid", "new-cover", "geometry"), 6, maxOrder, func() []int {
				want := make([]int, maxOrder+1) // the largest order allowed: 6 frames are still 4 + 2
				want[1], want[2] = 1, 1
				return want
			}()),
		)

		play := func(st story) { playStory(newBuddy, st) }
		entries := []any{play}
		for _, st := range stories() {
			entries = append(entries, st.entry())
		}
		ginkgo.DescribeTable("textbook cases", entries...)

		ginkgo.It("hands out aligned, disjoint blocks until memory is full, and takes them all back", rules(3, "aligned", "free-merge", "counts"), func() {
			r := newRig(newBuddy, 64, 4)
			// Orders 2, 0, 3, 1, 0, 4, … fill the 64 frames with blocks of
			// every size; the rig checks each against those handed out.
			pattern := []int{2, 0, 3, 1, 0, 4, 1, 2, 0}
			for i := 0; r.heldFrames() < 64; i++ {
				k := pattern[i%len(pattern)]
				if 64-r.heldFrames() < 1<<k || r.a.FreeBlocks(k) == 0 && !r.hasLarger(k) {
					k = 0
				}
				r.alloc(k)
			}
			r.expectBlocks("filling memory", []int{0, 0, 0, 0, 0})
			// Give them back in an order unlike the one they came in.
			held := slices.Clone(r.held)
			for _, parity := range []int{1, 0} {
				for i, b := range held {
					if i%2 == parity {
						r.free(b.pfn, b.order)
					}
				}
			}
			r.expectBlocks("freeing every block", []int{0, 0, 0, 0, 4})
		})

		describeProperty(newBuddy)
	})
}

// hasLarger reports whether a free block of an order above k exists.
func (r *rig) hasLarger(k int) bool {
	for j := k + 1; j <= r.maxOrder; j++ {
		if r.a.FreeBlocks(j) > 0 {
			return true
		}
	}
	return false
}

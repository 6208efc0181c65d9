package buddyspec

import (
	"errors"
	"fmt"
	"slices"

	"github.com/onsi/ginkgo/v2"
	"pgregory.net/rapid"

	"github.com/vmkata/vmkata/reference/phys"
	"github.com/vmkata/vmkata/specs/internal/feedback"
	"github.com/vmkata/vmkata/vm"
)

// sentinels are the errors the contract names, in the order they are
// reported.
var sentinels = []error{vm.ErrInvalidConfig, vm.ErrOutOfMemory, vm.ErrOutOfRange, vm.ErrInvalidFrame}

// kind names the sentinel err wraps: "ok" for nil, "other" for none.
func kind(err error) string {
	if err == nil {
		return "ok"
	}
	for _, s := range sentinels {
		if errors.Is(err, s) {
			return s.Error()
		}
	}
	return "other: " + err.Error()
}

// describeProperty declares the random differential check: the same
// calls on the allocator under test and on the reference give the same
// results and leave the same free blocks.
func describeProperty[T Allocator](newBuddy func(int, int) (T, error)) {
	ginkgo.It("agrees with the reference on random calls", ginkgo.Label("property"), func() {
		feedback.Check(func(t *rapid.T) {
			frames := rapid.IntRange(1, 200).Draw(t, "frames")
			maxOrder := rapid.IntRange(0, 8).Draw(t, "maxOrder")
			got, err := newBuddy(frames, maxOrder)
			if err != nil {
				t.Fatalf("NewBuddy(%d, %d) = %v, want an allocator", frames, maxOrder, err)
			}
			want, err := phys.NewBuddy(frames, maxOrder)
			if err != nil {
				t.Fatalf("reference NewBuddy(%d, %d) = %v", frames, maxOrder, err)
			}
			var held []block
			compare := func(call string) {
				for k := -1; k <= maxOrder+1; k++ {
					if g, w := got.FreeBlocks(k), want.FreeBlocks(k); g != w {
						t.Fatalf("after %s: FreeBlocks(%d) = %d, want %d", call, k, g, w)
					}
				}
				if g, w := got.FreeFrames(), want.FreeFrames(); g != w {
					t.Fatalf("after %s: FreeFrames() = %d, want %d", call, g, w)
				}
			}
			t.Repeat(map[string]func(*rapid.T){
				"alloc": func(t *rapid.T) {
					k := rapid.IntRange(-1, maxOrder+1).Draw(t, "order")
					gp, gerr := got.AllocOrder(k)
					wp, werr := want.AllocOrder(k)
					call := fmt.Sprintf("AllocOrder(%d)", k)
					if kind(gerr) != kind(werr) || werr == nil && gp != wp {
						t.Fatalf("%s = %v, %v; want %v, %v", call, gp, gerr, wp, werr)
					}
					if werr == nil {
						held = append(held, block{wp, k})
					}
					compare(call)
				},
				"free": func(t *rapid.T) {
					var b block
					if len(held) > 0 && rapid.Bool().Draw(t, "held") {
						i := rapid.IntRange(0, len(held)-1).Draw(t, "block")
						b = held[i]
					} else {
						// One wrong argument at a time: with two, either error will do.
						b = block{vm.PFN(rapid.IntRange(0, frames).Draw(t, "pfn")), rapid.IntRange(0, maxOrder).Draw(t, "order")}
					}
					gerr, werr := got.FreeOrder(b.pfn, b.order), want.FreeOrder(b.pfn, b.order)
					call := fmt.Sprintf("FreeOrder(%v, %d)", b.pfn, b.order)
					if kind(gerr) != kind(werr) {
						t.Fatalf("%s = %v, want %v", call, gerr, werr)
					}
					if werr == nil {
						held = slices.DeleteFunc(held, func(h block) bool { return h == b })
					}
					compare(call)
				},
			})
		})
	})
}

package quiz

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/vmkata/vmkata/reference/phys"
	"github.com/vmkata/vmkata/vm"
)

var buddyGen = Generator{Kind: "buddy", Topics: []string{"buddy"}, New: newBuddy}

func newBuddy(r *rand.Rand) (Item, error) {
	maxOrder := 3 + r.IntN(2)
	frames := 1 << maxOrder
	b, err := phys.NewBuddy(frames, maxOrder)
	if err != nil {
		return Item{}, err
	}
	type block struct {
		pfn   vm.PFN
		order int
	}
	var live []block
	var ops []string // the steps as vmsim buddy's --ops
	var p, sol lines
	p.addf("A buddy allocator manages %d frames (0..%d), all free, largest block order %d (%d frames). In order:",
		"버디 할당자가 프레임 %d개(0..%d)를 관리하며 처음엔 모두 비어 있고, 가장 큰 블록은 차수 %d(프레임 %d개)입니다. 차례로:",
		frames, frames-1, maxOrder, frames)
	sol.add(Text{EN: "alloc(k) takes the lowest-addressed free block of the smallest order ≥ k and splits it in halves, keeping the lower half, until it has order k. free merges a block with its buddy (pfn XOR 2^k) while the buddy is free and whole.",
		KO: "alloc(k)는 차수 k 이상 중 가장 작은 차수의 빈 블록 가운데 주소가 가장 낮은 것을 골라, 차수 k가 될 때까지 반으로 쪼개며 아래쪽 절반을 씁니다. free는 버디(pfn XOR 2^k)가 비어 있고 온전한 동안 계속 합칩니다."})
	counts := func() string {
		c := make([]string, maxOrder+1)
		for o := range c {
			c[o] = fmt.Sprint(b.FreeBlocks(o))
		}
		return strings.Join(c, " ")
	}
	step := 1
	for range 3 + r.IntN(3) {
		if len(live) > 0 && r.IntN(3) == 0 {
			i := r.IntN(len(live))
			bl := live[i]
			live = append(live[:i], live[i+1:]...)
			if err := b.FreeOrder(bl.pfn, bl.order); err != nil {
				return Item{}, err
			}
			p.same(fmt.Sprintf("  %d. free(pfn %d, order %d)", step, bl.pfn, bl.order))
			ops = append(ops, fmt.Sprintf("free %d %d", bl.pfn, bl.order))
			sol.addf("free(pfn %d, order %d): free blocks by order 0..%d: %s", "free(pfn %d, 차수 %d): 차수 0..%d의 빈 블록 수: %s", bl.pfn, bl.order, maxOrder, counts())
		} else {
			order := r.IntN(maxOrder)
			pfn, err := b.AllocOrder(order)
			if err != nil {
				continue // no block that big is left: draw another step
			}
			live = append(live, block{pfn, order})
			p.same(fmt.Sprintf("  %d. alloc(order %d)", step, order))
			ops = append(ops, fmt.Sprintf("alloc %d", order))
			sol.addf("alloc(order %d) → pfn %d: free blocks by order 0..%d: %s", "alloc(차수 %d) → pfn %d: 차수 0..%d의 빈 블록 수: %s", order, pfn, maxOrder, counts())
		}
		step++
	}
	if err := b.Check(); err != nil {
		return Item{}, err
	}
	want := make([]uint64, maxOrder+1)
	for o := range want {
		want[o] = uint64(b.FreeBlocks(o))
	}
	p.addf("How many free blocks of each order are there at the end? Write the counts for orders 0 to %d.",
		"마지막에 각 차수의 빈 블록은 몇 개인가요? 차수 0부터 %d까지의 개수를 쓰세요.", maxOrder)
	sol.addf("Free frames: %d of %d.", "빈 프레임: %d / %d.", b.FreeFrames(), frames)
	return Item{
		Prompt:   p.text(),
		Answer:   List{V: want, Ordered: true, Fixed: true},
		Solution: sol.text(),
		Read: Text{EN: "exercises/13-buddy-allocator/README.md, “How it works”",
			KO: "exercises/13-buddy-allocator/README.ko.md, “동작 원리”"},
		Show: fmt.Sprintf("go run ./cmd/vmsim buddy --frames %d --max-order %d --ops %q", frames, maxOrder, strings.Join(ops, ", ")),
	}, nil
}

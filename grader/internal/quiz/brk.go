package quiz

import (
	"fmt"
	"math/rand/v2"

	"github.com/vmkata/vmkata/reference/heapstack"
	"github.com/vmkata/vmkata/reference/vma"
	"github.com/vmkata/vmkata/vm"
)

var brkGen = Generator{Kind: "brk", Topics: []string{"heap"}, New: newBrk}

// brkQuestion is what a brk item asks after its calls.
type brkQuestion int

const (
	askBreak brkQuestion = iota
	askReleased
	askHeapPages
)

func newBrk(r *rand.Rand) (Item, error) {
	const ps = vm.Size4K
	set, err := vma.NewSet(ps, vm.AddrRange{Start: 0x10000, End: 0x7ffffffff000})
	if err != nil {
		return Item{}, err
	}
	start := vm.VAddr(0x600000 + pageSize*r.IntN(16))
	limit := uint64(16+r.IntN(16)) * uint64(ps)
	h := vm.Heap{Start: start, Brk: start, Limit: limit}
	q := brkQuestion(r.IntN(3))

	// The requests, relative to the heap's start: grow, then a mix of
	// growing, shrinking, a query and one past the limit.
	var reqs []vm.VAddr
	reqs = append(reqs, start+vm.VAddr(r.IntN(3*pageSize)+1))
	for range 1 + r.IntN(3) {
		switch r.IntN(5) {
		case 0:
			reqs = append(reqs, 0) // brk(0): where is the break?
		case 1:
			reqs = append(reqs, start+vm.VAddr(limit)+vm.VAddr(r.IntN(4)+1)*pageSize) // past RLIMIT_DATA
		default:
			reqs = append(reqs, start+vm.VAddr(r.IntN(int(limit))))
		}
	}
	if q == askReleased { // end with a shrink, so that something may be released
		reqs = append(reqs, start+vm.VAddr(r.IntN(pageSize*2)))
	}

	var p, sol lines
	p.addf("A process's heap starts at %v (page size 4 KiB), its break is there too, and RLIMIT_DATA allows %d KiB of heap. It calls, in order:",
		"어떤 프로세스의 힙은 %v에서 시작하고 (페이지 4 KiB) 브레이크도 거기에 있으며, RLIMIT_DATA는 힙을 %d KiB까지 허용합니다. 차례로 다음을 호출합니다:",
		start, limit>>10)
	sol.add(Text{EN: "brk(addr) moves the break to addr, byte-granular; the heap VMA covers whole pages, [start, pageUp(break)). A request below the start changes nothing (brk(0) asks where the break is); one past the limit fails and leaves the break where it was; shrinking unmaps the pages above pageUp(new break).",
		KO: "brk(addr)는 브레이크를 바이트 단위로 addr로 옮깁니다. 힙 VMA는 페이지 단위로 [start, pageUp(break))를 덮습니다. 시작보다 낮은 요청은 아무것도 바꾸지 않고(brk(0)은 현재 브레이크를 묻는 것), 한도를 넘는 요청은 실패하며 브레이크는 그대로, 줄이면 pageUp(새 브레이크) 위의 페이지들이 해제됩니다."})
	var released vm.AddrRange
	for i, req := range reqs {
		p.same(fmt.Sprintf("  %d. brk(%v)", i+1, req))
		after, rel, err := heapstack.Brk(set, ps, h, req)
		switch {
		case err != nil:
			sol.addf("brk(%v): fails (%v); the break stays at %v.", "brk(%v): 실패 (%v); 브레이크는 %v 그대로.", req, err, h.Brk)
		case rel.Len() > 0:
			sol.addf("brk(%v): break %v → %v; releases %v, %d pages.", "brk(%v): 브레이크 %v → %v; %v 해제, %d페이지.",
				req, h.Brk, after.Brk, rel, rel.Len()/uint64(ps))
		default:
			sol.addf("brk(%v): break %v → %v; nothing released.", "brk(%v): 브레이크 %v → %v; 해제 없음.", req, h.Brk, after.Brk)
		}
		h, released = after, rel
	}
	heapPages := uint64(0)
	if v, ok := set.Find(h.Start); ok && v.Role == vm.RoleHeap {
		heapPages = v.Len() / uint64(ps)
		sol.addf("The heap VMA is now %v: %d pages.", "힙 VMA는 이제 %v: %d페이지.", v.Range, heapPages)
	} else {
		sol.add(Text{EN: "The break is back at the start: there is no heap VMA.", KO: "브레이크가 시작점으로 돌아와 힙 VMA가 없습니다."})
	}
	var ans Number
	switch q {
	case askBreak:
		p.add(Text{EN: "Where is the break after the last call?", KO: "마지막 호출 뒤 브레이크는 어디인가요?"})
		ans = Number{V: uint64(h.Brk), Hex: true}
	case askReleased:
		p.add(Text{EN: "How many pages does the last call release?", KO: "마지막 호출은 몇 페이지를 해제하나요?"})
		ans = Number{V: released.Len() / uint64(ps)}
	case askHeapPages:
		p.add(Text{EN: "How many pages does the heap VMA cover after the last call?", KO: "마지막 호출 뒤 힙 VMA는 몇 페이지를 덮나요?"})
		ans = Number{V: heapPages}
	}
	return Item{
		Prompt:   p.text(),
		Answer:   ans,
		Solution: sol.text(),
		Read: Text{EN: "exercises/12-heap-stack/README.md, “brk(2): the program break”",
			KO: "exercises/12-heap-stack/README.ko.md, “brk(2): 프로그램 브레이크”"},
		Show: "go run ./cmd/vmsim run examples/heap-brk.vms",
	}, nil
}

package quiz

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/vmkata/vmkata/reference/mmu"
)

var (
	eatGen      = Generator{Kind: "eat", Topics: []string{"fault", "eat"}, New: newEAT}
	eatBoundGen = Generator{Kind: "eat-bound", Topics: []string{"fault", "eat"}, New: newEATBound}
)

func readEAT() Text {
	return Text{EN: "exercises/09-demand-paging/README.md, “Why major faults are what matter: EAT”",
		KO: "exercises/09-demand-paging/README.ko.md, “메이저 폴트가 중요한 이유: EAT”"}
}

// eatTimes draws a memory access time and a page-fault service time.
func eatTimes(r *rand.Rand) (mem, fault time.Duration) {
	mem = []time.Duration{100, 200}[r.IntN(2)] * time.Nanosecond
	fault = []time.Duration{2, 5, 8, 10}[r.IntN(4)] * time.Millisecond
	return mem, fault
}

func newEAT(r *rand.Rand) (Item, error) {
	mem, fault := eatTimes(r)
	p := []float64{0.01, 0.001, 0.0005, 0.0001, 0.00002, 0.000001}[r.IntN(6)]
	eat, err := mmu.EAT(p, mem, fault)
	if err != nil {
		return Item{}, err
	}
	ps := strconv.FormatFloat(p, 'f', -1, 64)
	ns := float64(eat.Nanoseconds())
	var sol lines
	sol.addf("EAT = (1 - p) × mem + p × fault = (1 - %s) × %v + %s × %v", "EAT = (1 - p) × 메모리 + p × 폴트 = (1 - %s) × %v + %s × %v", ps, mem, ps, fault)
	sol.addf("    = %v ≈ %.0f ns, %.1f times slower than memory alone.", "    = %v ≈ %.0f ns, 메모리만 쓸 때보다 %.1f배 느립니다.", eat, ns, ns/float64(mem.Nanoseconds()))
	sol.add(Text{EN: "The fault term dominates: a disk access costs tens of thousands of memory accesses, so even a tiny p matters.",
		KO: "폴트 항이 지배합니다. 디스크 접근 한 번이 메모리 접근 수만 번이므로 아주 작은 p도 크게 작용합니다."})
	return Item{
		Prompt: tf("Memory access takes %v, servicing a page fault %v, and the page-fault rate is p = %s.\nWhat is the effective access time (EAT)?",
			"메모리 접근은 %v, 페이지 폴트 처리는 %v가 걸리고, 페이지 폴트율은 p = %s입니다.\n유효 접근 시간(EAT)은 얼마인가요?", mem, fault, ps),
		Answer:   Real{V: ns, Rel: 0.01, Unit: "ns"},
		Solution: sol.text(),
		Read:     readEAT(),
		Show:     fmt.Sprintf("go run ./cmd/vmsim eat --p %s --mem %v --fault %v", ps, mem, fault),
	}, nil
}

func newEATBound(r *rand.Rand) (Item, error) {
	mem, fault := eatTimes(r)
	pct := []int{10, 20, 50, 100}[r.IntN(4)]
	bound := float64(mem.Nanoseconds()) * (1 + float64(pct)/100)
	// (1-p)·mem + p·fault <= bound  ⇔  p <= (bound - mem) / (fault - mem).
	p := (bound - float64(mem.Nanoseconds())) / float64((fault - mem).Nanoseconds())
	eat, err := mmu.EAT(p, mem, fault)
	if err != nil {
		return Item{}, err
	}
	if math.Abs(float64(eat.Nanoseconds())-bound) > 1 {
		return Item{}, fmt.Errorf("EAT(%g) = %v, want %g ns", p, eat, bound)
	}
	var sol lines
	sol.addf("Slowdown at most %d%%: EAT ≤ %v × %.2f = %.0f ns.", "성능 저하 %d%% 이하: EAT ≤ %v × %.2f = %.0f ns.", pct, mem, 1+float64(pct)/100, bound)
	sol.addf("(1 - p) × %d + p × %d ≤ %.0f  ⇔  p × (%d - %d) ≤ %.0f - %d",
		"(1 - p) × %d + p × %d ≤ %.0f  ⇔  p × (%d - %d) ≤ %.0f - %d",
		mem.Nanoseconds(), fault.Nanoseconds(), bound, fault.Nanoseconds(), mem.Nanoseconds(), bound, mem.Nanoseconds())
	sol.addf("p ≤ %.0f / %d = %.4g: about one fault in %.0f references, at most.", "p ≤ %.0f / %d = %.4g: 참조 약 %.0f번에 폴트 한 번 이하여야 합니다.",
		bound-float64(mem.Nanoseconds()), (fault - mem).Nanoseconds(), p, 1/p)
	sol.addf("Check with the reference: EAT(p = %.4g) = %v.", "참조 구현으로 확인: EAT(p = %.4g) = %v.", p, eat)
	return Item{
		Prompt: tf("Memory access takes %v and servicing a page fault %v.\nWhat is the largest page-fault rate p that keeps the effective access time within %d%% of the memory access time?",
			"메모리 접근은 %v, 페이지 폴트 처리는 %v가 걸립니다.\n유효 접근 시간이 메모리 접근 시간보다 %d%% 넘게 느려지지 않으려면 페이지 폴트율 p는 최대 얼마여야 하나요?",
			mem, fault, pct),
		Answer:   Real{V: p, Rel: 0.02},
		Solution: sol.text(),
		Read:     readEAT(),
		Show:     fmt.Sprintf("go run ./cmd/vmsim eat --p %.4g --mem %v --fault %v", p, mem, fault),
	}, nil
}

package quiz

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"

	"github.com/vmkata/vmkata/reference/replace"
	"github.com/vmkata/vmkata/reference/trace"
	"github.com/vmkata/vmkata/vm"
)

var (
	replaceFaultsGen  = Generator{Kind: "replace-faults", Topics: []string{"replacement", "fifo", "lru", "opt", "clock", "second-chance"}, New: newReplaceFaults}
	replaceVictimsGen = Generator{Kind: "replace-victims", Topics: []string{"replacement", "fifo", "lru", "opt", "clock", "second-chance"}, New: newReplaceVictims}
	beladyGen         = Generator{Kind: "belady", Topics: []string{"replacement", "belady", "fifo"}, New: newBelady}
)

// textbookPolicy is a policy replacement items ask about, with its rule and
// where it is taught.
type textbookPolicy struct {
	name string
	rule Text
	read Text
}

var textbookPolicies = []textbookPolicy{
	{"fifo", Text{EN: "FIFO evicts the page loaded first; a hit changes nothing.", KO: "FIFO는 가장 먼저 들어온 페이지를 내보냅니다. 히트는 아무것도 바꾸지 않습니다."},
		Text{EN: "exercises/06-fifo-lru-opt/README.md, “FIFO and Belady's anomaly”", KO: "exercises/06-fifo-lru-opt/README.ko.md, “FIFO와 벨레이디의 모순”"}},
	{"lru", Text{EN: "LRU evicts the page used least recently; a hit makes the page most recent.", KO: "LRU는 가장 오래전에 쓰인 페이지를 내보냅니다. 히트하면 그 페이지가 가장 최근 것이 됩니다."},
		Text{EN: "exercises/06-fifo-lru-opt/README.md, “LRU and temporal locality”", KO: "exercises/06-fifo-lru-opt/README.ko.md, “LRU와 시간적 지역성”"}},
	{"opt", Text{EN: "OPT evicts the page whose next use is farthest in the future (never used again first).", KO: "OPT는 다음 사용이 가장 먼 미래인 페이지(다시 안 쓰이는 페이지가 먼저)를 내보냅니다."},
		Text{EN: "exercises/06-fifo-lru-opt/README.md, “OPT: the unattainable baseline”", KO: "exercises/06-fifo-lru-opt/README.ko.md, “OPT: 도달할 수 없는 기준선”"}},
	{"clock", Text{EN: "Clock sweeps the frames in a circle from its hand: a page with R=1 gets R=0 and is passed over, the first with R=0 is evicted. A load or a hit sets R=1.", KO: "클럭은 바늘 위치부터 프레임을 원형으로 돕니다. R=1인 페이지는 R=0으로 만들고 지나가며, 처음 만나는 R=0 페이지를 내보냅니다. 적재나 히트는 R=1로 만듭니다."},
		Text{EN: "exercises/07-clock/README.md, “The clock: second chance on a circle”", KO: "exercises/07-clock/README.ko.md, “클럭: 원형으로 구현한 2차 기회”"}},
	{"second-chance", Text{EN: "Second chance is FIFO with a reference bit: the oldest page with R=1 gets R=0 and goes to the back of the queue; the first oldest page with R=0 is evicted.", KO: "2차 기회는 참조 비트가 달린 FIFO입니다. 가장 오래된 페이지의 R이 1이면 0으로 바꿔 큐 뒤로 보내고, R=0인 가장 오래된 페이지를 내보냅니다."},
		Text{EN: "exercises/07-clock/README.md, “Second chance: FIFO with a reference bit”", KO: "exercises/07-clock/README.ko.md, “2차 기회: 참조 비트가 달린 FIFO”"}},
}

// replaceProblem is a reference string, a frame count and a policy.
type replaceProblem struct {
	policy textbookPolicy
	frames int
	refs   []replace.Ref
}

func drawReplaceProblem(r *rand.Rand) replaceProblem {
	p := replaceProblem{policy: textbookPolicies[r.IntN(len(textbookPolicies))], frames: 3 + r.IntN(2)}
	pages := p.frames + 1 + r.IntN(3)
	n := 10 + r.IntN(5)
	for range n {
		p.refs = append(p.refs, replace.Ref{Page: vm.PageID(r.IntN(pages))})
	}
	return p
}

func refString(refs []replace.Ref) string {
	s := make([]string, len(refs))
	for i, x := range refs {
		s[i] = fmt.Sprint(uint64(x.Page))
	}
	return strings.Join(s, " ")
}

// simulate replays the problem through the reference policy and returns the
// result, the victims in order, and the table of frames after each reference.
func (p replaceProblem) simulate() (replace.Result, []uint64, Text, error) {
	victims := []uint64{}
	var tab lines
	tab.add(Text{EN: "ref  result  victim  resident after (policy order)", KO: "참조  결과    희생    참조 후 적재된 페이지 (정책 순서)"})
	res, err := replace.Simulate(p.policy.name, p.frames, p.refs, replace.Options{}, func(s replace.Step, pol vm.Policy) {
		result, victim := Text{EN: "hit   ", KO: "히트  "}, "-"
		if !s.Hit {
			result = Text{EN: "fault ", KO: "폴트  "}
		}
		if s.HasEvicted {
			victim = fmt.Sprint(uint64(s.Evicted))
			victims = append(victims, uint64(s.Evicted))
		}
		res := pol.Resident(nil)
		rs := make([]string, len(res))
		for i, x := range res {
			rs[i] = fmt.Sprint(uint64(x))
		}
		row := func(word string) string {
			return fmt.Sprintf("%3d  %s  %-6s  [%s]", uint64(s.Page), word, victim, strings.Join(rs, " "))
		}
		tab.add(Text{EN: row(result.EN), KO: row(result.KO)})
	})
	return res, victims, tab.text(), err
}

func (p replaceProblem) prompt(question Text) Text {
	var b lines
	b.addf("Reference string: %s", "참조열: %s", refString(p.refs))
	b.addf("Policy %s, %d frames, initially empty.", "정책 %s, 프레임 %d개, 처음에는 비어 있음.", p.policy.name, p.frames)
	b.add(question)
	return b.text()
}

func (p replaceProblem) item(question Text, ans Answer, res replace.Result, table Text) Item {
	var sol lines
	sol.add(p.policy.rule)
	sol.add(table)
	sol.addf("%d references: %d hits, %d faults, %d evictions (the first %d faults fill empty frames).",
		"참조 %d번: 히트 %d, 폴트 %d, 교체 %d (처음 %d번의 폴트는 빈 프레임을 채웁니다).",
		res.Accesses, res.Hits, res.Faults, res.Evictions, res.Faults-res.Evictions)
	return Item{
		Prompt:   p.prompt(question),
		Answer:   ans,
		Solution: sol.text(),
		Read:     p.policy.read,
		Show:     fmt.Sprintf("go run ./cmd/vmsim replay --policy %s --frames %d --refs %q --steps", p.policy.name, p.frames, refString(p.refs)),
	}
}

func newReplaceFaults(r *rand.Rand) (Item, error) {
	p := drawReplaceProblem(r)
	res, _, table, err := p.simulate()
	if err != nil {
		return Item{}, err
	}
	return p.item(Text{EN: "How many page faults occur?", KO: "페이지 폴트는 몇 번 일어나나요?"},
		Number{V: res.Faults}, res, table), nil
}

func newReplaceVictims(r *rand.Rand) (Item, error) {
	// Draw until some page is evicted: an empty answer teaches little.
	var (
		p       replaceProblem
		res     replace.Result
		victims []uint64
		table   Text
		err     error
	)
	for range 10 {
		p = drawReplaceProblem(r)
		if res, victims, table, err = p.simulate(); err != nil {
			return Item{}, err
		}
		if len(victims) > 0 {
			break
		}
	}
	return p.item(Text{EN: `Which pages are evicted, in order? ("-" if none)`, KO: `어떤 페이지들이 어떤 순서로 쫓겨나나요? (없으면 "-")`},
		List{V: victims, Ordered: true}, res, table), nil
}

// beladyString is the shortest reference string on which FIFO with 4 frames
// faults more than with 3, found once by the reference's search.
var beladyString = sync.OnceValues(func() ([]replace.Ref, error) {
	refs, found, err := trace.FindBeladyAnomaly(12, 5, 3)
	if err == nil && !found {
		err = fmt.Errorf("no Belady anomaly of length 12 with 3 frames")
	}
	return refs, err
})

func newBelady(r *rand.Rand) (Item, error) {
	frames := 3
	var refs []replace.Ref
	if r.IntN(2) == 0 {
		base, err := beladyString()
		if err != nil {
			return Item{}, err
		}
		rename := r.Perm(6) // FIFO does not care what the pages are called
		for _, x := range base {
			refs = append(refs, replace.Ref{Page: vm.PageID(rename[x.Page])})
		}
	} else {
		for range 12 {
			refs = append(refs, replace.Ref{Page: vm.PageID(r.IntN(5))})
		}
	}
	policy := "fifo"
	if r.IntN(4) == 0 {
		policy = "lru"
	}
	small, err := replace.Simulate(policy, frames, refs, replace.Options{}, nil)
	if err != nil {
		return Item{}, err
	}
	big, err := replace.Simulate(policy, frames+1, refs, replace.Options{}, nil)
	if err != nil {
		return Item{}, err
	}
	anomaly := big.Faults > small.Faults
	var sol lines
	sol.addf("%s with %d frames: %d faults; with %d frames: %d faults.", "%s, 프레임 %d개: 폴트 %d번; 프레임 %d개: 폴트 %d번.",
		policy, frames, small.Faults, frames+1, big.Faults)
	if anomaly {
		sol.add(Text{EN: "More memory, more faults: Belady's anomaly. FIFO's resident set with 4 frames need not contain the one with 3, so the bigger memory can evict a page the smaller one keeps.",
			KO: "메모리를 늘렸는데 폴트가 늘었습니다: 벨레이디의 모순입니다. FIFO에서는 프레임 4개일 때의 적재 집합이 3개일 때의 집합을 포함한다는 보장이 없어서, 큰 메모리가 작은 메모리는 남겨 두는 페이지를 내보낼 수 있습니다."})
	} else {
		sol.add(Text{EN: "No anomaly here. LRU and OPT never show it (they are stack algorithms: the pages kept with k frames are always kept with k+1); FIFO can, but only on some strings.",
			KO: "여기서는 모순이 없습니다. LRU와 OPT는 스택 알고리즘이라(프레임 k개일 때 남는 페이지는 k+1개일 때도 남음) 모순이 절대 없고, FIFO는 특정한 참조열에서만 모순이 생깁니다."})
	}
	return Item{
		Prompt: tf("Reference string: %s\nO or X: %s faults more with %d frames than with %d frames (Belady's anomaly).",
			"참조열: %s\nO/X: %s는 프레임 %d개일 때 %d개일 때보다 폴트가 더 많다 (벨레이디의 모순).",
			refString(refs), policy, frames+1, frames),
		Answer:   OX(anomaly),
		Solution: sol.text(),
		Read: Text{EN: "exercises/06-fifo-lru-opt/README.md, “Stack algorithms: why LRU and OPT never show the anomaly”",
			KO: "exercises/06-fifo-lru-opt/README.ko.md, “스택 알고리즘: LRU와 OPT에는 왜 모순이 없나”"},
		Show: fmt.Sprintf("go run ./cmd/vmsim compare --policies %s --frames %d-%d --refs %q", policy, frames, frames+1, refString(refs)),
	}, nil
}

package quiz

import (
	"fmt"
	"math/rand/v2"

	"github.com/vmkata/vmkata/reference/kernel"
	"github.com/vmkata/vmkata/vm"
)

var cowGen = Generator{Kind: "cow", Topics: []string{"cow"}, New: newCOW}

// cowOp is one step of a fork-and-write story: who touches which heap page.
type cowOp struct {
	child bool // the child acts (else the parent)
	write bool // a write (else a read)
	page  int  // heap page number
}

func (o cowOp) text() Text {
	who, whoKO := "parent", "부모가"
	if o.child {
		who, whoKO = "child", "자식이"
	}
	if o.write {
		return Text{EN: fmt.Sprintf("%s writes h%d", who, o.page), KO: fmt.Sprintf("%s h%d 페이지에 씀", whoKO, o.page)}
	}
	return Text{EN: fmt.Sprintf("%s reads h%d", who, o.page), KO: fmt.Sprintf("%s h%d 페이지를 읽음", whoKO, o.page)}
}

// cowQuestion is what a cow item asks about the end state.
type cowQuestion int

const (
	askCopies cowQuestion = iota
	askChildRSS
	askFramesUsed
	askRefs
)

func newCOW(r *rand.Rand) (Item, error) {
	const frames = 32
	var events []kernel.Event
	k, err := kernel.New(kernel.Config{Frames: frames, Files: map[string][]byte{"/bin/app": make([]byte, 100)},
		Observer: func(e kernel.Event) { events = append(events, e) }})
	if err != nil {
		return Item{}, err
	}
	parent, err := k.Spawn(kernel.Image{Text: "/bin/app"})
	if err != nil {
		return Item{}, err
	}
	heap, err := k.HeapStart(parent)
	if err != nil {
		return Item{}, err
	}
	ps := vm.VAddr(k.PageSize())
	pages := 3 + r.IntN(3)
	if _, err := k.Brk(parent, heap+vm.VAddr(pages)*ps); err != nil {
		return Item{}, err
	}
	var before, after []cowOp
	for i := range pages {
		switch x := r.IntN(8); {
		case x < 6:
			before = append(before, cowOp{write: true, page: i})
		case x == 6:
			before = append(before, cowOp{page: i})
		}
	}
	for range 2 + r.IntN(3) {
		after = append(after, cowOp{child: r.IntN(2) == 0, write: r.IntN(5) != 0, page: r.IntN(pages)})
	}
	child := 0
	do := func(op cowOp) error {
		pid := parent
		if op.child {
			pid = child
		}
		va := heap + vm.VAddr(op.page)*ps
		if op.write {
			return k.Write(pid, va, []byte{byte(op.page + 1)})
		}
		_, err := k.Read(pid, va, 1)
		return err
	}
	for _, op := range before {
		if err := do(op); err != nil {
			return Item{}, err
		}
	}
	if child, err = k.Fork(parent); err != nil {
		return Item{}, err
	}
	forkAt, atFork := len(events), k.Stats()
	for _, op := range after {
		if err := do(op); err != nil {
			return Item{}, err
		}
	}
	if err := k.Check(); err != nil {
		return Item{}, err
	}
	st := k.Stats()

	q := cowQuestion(r.IntN(4))
	refPage := r.IntN(pages)
	info, err := k.PageInfo(parent, heap+vm.VAddr(refPage)*ps)
	if err != nil {
		return Item{}, err
	}
	if q == askRefs && (info.State != vm.PagePresent || !info.Anon) {
		q = askCopies // the zero page's count or an absent page make a poor question
	}
	var question Text
	var ans Number
	switch q {
	case askCopies:
		question = Text{EN: "How many pages are copied (copy-on-write copies) after the fork?", KO: "fork 이후 복사되는 페이지(COW 복사)는 몇 개인가요?"}
		ans.V = st.COWCopies - atFork.COWCopies
	case askChildRSS:
		rss, err := k.RSS(child)
		if err != nil {
			return Item{}, err
		}
		question = Text{EN: "What is the child's RSS at the end, in pages (the shared zero page not counted)?", KO: "마지막에 자식의 RSS는 몇 페이지인가요 (공유 제로 페이지는 세지 않음)?"}
		ans.V = uint64(rss)
	case askFramesUsed:
		question = Text{EN: "How many frames hold heap pages at the end (shared frames counted once, the zero page not counted)?", KO: "마지막에 힙 페이지를 담은 프레임은 몇 개인가요 (공유 프레임은 한 번만, 제로 페이지는 세지 않음)?"}
		ans.V = uint64(frames - st.FreeFrames)
	case askRefs:
		question = tf("What is the reference count of the frame behind the parent's h%d at the end?", "마지막에 부모의 h%d 페이지가 가리키는 프레임의 참조 카운트는 얼마인가요?", refPage)
		ans.V = uint64(info.Refs)
	}

	var prompt lines
	prompt.addf("A process (the parent) grows its heap by %d pages, h0..h%d, with brk; no page is touched yet. Then, in order:",
		"프로세스(부모)가 brk로 힙을 %d페이지(h0..h%d) 늘립니다. 아직 어떤 페이지도 건드리지 않았습니다. 그다음 차례로:", pages, pages-1)
	n := 1
	for _, op := range before {
		prompt.add(numbered(n, op.text()))
		n++
	}
	prompt.add(numbered(n, Text{EN: "the parent forks a child", KO: "부모가 fork로 자식을 만듦"}))
	n++
	for _, op := range after {
		prompt.add(numbered(n, op.text()))
		n++
	}
	prompt.add(question)

	var sol lines
	sol.add(Text{EN: "fork copies no page: both page tables map the same frames, write-protected, and each frame's count goes up. The first write to a shared page copies it; a write to a page no one else maps any more (count 1) just makes it writable again (reuse). A read of an untouched page maps the shared zero page; a write to it takes a fresh frame.",
		KO: "fork는 페이지를 복사하지 않습니다. 두 페이지 테이블이 같은 프레임을 쓰기 금지로 가리키고, 프레임마다 참조 카운트가 늘어납니다. 공유된 페이지에 처음 쓰면 복사가 일어나고, 이제 혼자만 가리키는 페이지(카운트 1)에 쓰면 복사 없이 쓰기 권한만 되살립니다(재사용). 건드리지 않은 페이지를 읽으면 공유 제로 페이지가 매핑되고, 거기에 쓰면 새 프레임을 받습니다."})
	sol.add(Text{EN: "The kernel's events after the fork:", KO: "fork 이후 커널 이벤트 (원문):"})
	for _, e := range events[forkAt:] {
		switch e.Type {
		case kernel.EvCOWCopy, kernel.EvCOWReuse, kernel.EvZeroFill, kernel.EvZeroPage:
			sol.same("  " + e.String())
		}
	}
	sol.add(Text{EN: "End state of each heap page (frame, count, writable):", KO: "마지막 힙 페이지 상태 (프레임, 카운트, 쓰기 가능 여부):"})
	for i := range pages {
		row := Text{EN: fmt.Sprintf("  h%d:", i), KO: fmt.Sprintf("  h%d:", i)}
		for _, pid := range []int{parent, child} {
			pi, err := k.PageInfo(pid, heap+vm.VAddr(i)*ps)
			if err != nil {
				return Item{}, err
			}
			who := Text{EN: "parent", KO: "부모"}
			if pid == child {
				who = Text{EN: "child", KO: "자식"}
			}
			if pi.State != vm.PagePresent {
				stateKO := map[vm.PageState]string{vm.PageNone: "없음", vm.PageSwapped: "스왑됨"}[pi.State]
				row.EN += fmt.Sprintf("  %s: %v", who.EN, pi.State)
				row.KO += fmt.Sprintf("  %s: %s", who.KO, stateKO)
				continue
			}
			kind := Text{EN: "anon", KO: "익명"}
			if !pi.Anon {
				kind = Text{EN: "zero page", KO: "제로 페이지"}
			}
			entry := fmt.Sprintf("pfn %#x refs %d %s", uint64(pi.PTE.PFN()), pi.Refs, pi.PTE.Perm())
			row.EN += fmt.Sprintf("  %s: %s %s", who.EN, entry, kind.EN)
			row.KO += fmt.Sprintf("  %s: %s %s", who.KO, entry, kind.KO)
		}
		sol.add(row)
	}
	sol.addf("COW copies after the fork: %d; reuses: %d; frames in use: %d.", "fork 이후 COW 복사 %d번, 재사용 %d번, 사용 중인 프레임 %d개.",
		st.COWCopies-atFork.COWCopies, st.COWReuses-atFork.COWReuses, frames-st.FreeFrames)
	return Item{
		Prompt:   prompt.text(),
		Answer:   ans,
		Solution: sol.text(),
		Read: Text{EN: "exercises/10-cow-fork/README.md, “The write fault on a present, read-only page”",
			KO: "exercises/10-cow-fork/README.ko.md, “있지만 읽기 전용인 페이지에 대한 쓰기 폴트”"},
		Show: "go run ./cmd/vmsim run examples/fork-then-write.vms",
	}, nil
}

// numbered prefixes t with "  n. " in both languages.
func numbered(n int, t Text) Text {
	return Text{EN: fmt.Sprintf("  %d. %s", n, t.EN), KO: fmt.Sprintf("  %d. %s", n, t.KO)}
}

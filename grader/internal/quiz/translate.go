package quiz

import (
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/vmkata/vmkata/reference/addr"
	"github.com/vmkata/vmkata/reference/pagetable"
	"github.com/vmkata/vmkata/reference/phys"
	"github.com/vmkata/vmkata/vm"
)

var translateGen = Generator{Kind: "translate", Topics: []string{"pagetable", "radix"}, New: newTranslate}

// Translation is the answer to a walk: a physical address, or a fault at a
// level (Levels is the root's level, 1 the last table's). A reply is a
// number, or "fault" with the level as a number or a name ("fault at level
// 2", "fault pd", "폴트 2").
type Translation struct {
	PA         uint64
	Fault      bool
	Level      int
	LevelNames map[string]int // lower-case level name -> level
}

var digits = regexp.MustCompile(`\d+`)

func (a Translation) Check(reply string) (bool, error) {
	r := strings.ToLower(strings.TrimSpace(reply))
	if strings.Contains(r, "fault") || strings.Contains(r, "폴트") || strings.Contains(r, "page fault") {
		level := -1
		for _, tok := range splitTokens(r) {
			if l, ok := a.LevelNames[tok]; ok {
				level = l
			}
		}
		if d := digits.FindString(r); d != "" {
			level, _ = strconv.Atoi(d)
		}
		if level < 0 {
			return false, replyErr(`say which level faults: "fault at level 2" or "fault pd"`, `어느 단계에서 폴트인지 쓰세요: "fault 2" 또는 "fault pd"`)
		}
		return a.Fault && level == a.Level, nil
	}
	if r == "" {
		return false, replyErr(`write a physical address, or "fault at level N"`, `물리 주소를 쓰거나, "fault N"(N단계에서 폴트)이라고 쓰세요`)
	}
	ok, err := matchNumber(r, a.PA)
	return ok && !a.Fault, err
}

func (a Translation) Key() string {
	if a.Fault {
		return fmt.Sprintf("fault at level %d", a.Level)
	}
	return fmt.Sprintf("%#x", a.PA)
}

func (a Translation) Form() Text {
	return Text{EN: `a physical address (hex), or "fault at level N"`, KO: `물리 주소(16진수), 또는 "fault N" (N단계에서 폴트)`}
}

// recordingAllocator remembers the frames handed out through it: the table's.
type recordingAllocator struct {
	vm.FrameAllocator
	got []vm.PFN
}

func (a *recordingAllocator) Alloc() (vm.PFN, error) {
	pfn, err := a.FrameAllocator.Alloc()
	if err == nil {
		a.got = append(a.got, pfn)
	}
	return pfn, err
}

// translateFrames is the size of the translate items' physical memory.
const translateFrames = 64

func newTranslate(r *rand.Rand) (Item, error) {
	g := vm.Textbook
	mem, err := phys.NewMemory(translateFrames, g.PageSize())
	if err != nil {
		return Item{}, err
	}
	// Frames come from a shuffled pool so that table and data frames are scattered.
	pool := &poolAllocator{}
	for _, p := range r.Perm(translateFrames) {
		pool.frames = append(pool.frames, vm.PFN(p))
	}
	rec := &recordingAllocator{FrameAllocator: pool}
	table, err := pagetable.NewRadix(g, mem, rec)
	if err != nil {
		return Item{}, err
	}
	pdUsed := r.Perm(1 << g.LevelBits[0])[:2]
	var mapped []vm.VAddr
	for range 3 + r.IntN(3) {
		pd, pt := pdUsed[r.IntN(2)], r.IntN(1<<g.LevelBits[1])
		va := vm.VAddr(pd<<(g.OffsetBits+g.LevelBits[1]) | pt<<g.OffsetBits)
		if slices.Contains(mapped, va) {
			continue
		}
		perm := vm.PermRW | vm.PermUser
		if r.IntN(3) == 0 {
			perm = vm.PermRead | vm.PermUser
		}
		if err := table.Map(vm.Mapping{VA: va, PFN: pool.take(), Size: g.PageSize(), Perm: perm}); err != nil {
			return Item{}, err
		}
		mapped = append(mapped, va)
	}
	off := vm.VAddr(r.IntN(int(g.PageSize())))
	var va vm.VAddr
	switch r.IntN(4) {
	case 0, 1: // a mapped page
		va = mapped[r.IntN(len(mapped))] | off
	case 2: // a table exists, the page is not mapped
		pd := pdUsed[r.IntN(2)]
		for {
			va = vm.VAddr(pd<<(g.OffsetBits+g.LevelBits[1])|r.IntN(1<<g.LevelBits[1])<<g.OffsetBits) | off
			if !slices.Contains(mapped, addr.AlignDown(va, g.PageSize())) {
				break
			}
		}
	default: // no table at all
		for {
			va = randomVA(r, g)
			if idx, _ := addr.Indices(g, va); !slices.Contains(pdUsed, idx[0]) {
				break
			}
		}
	}
	walk, err := table.Walk(va)
	if err != nil {
		return Item{}, err
	}
	idx, err := addr.Indices(g, va)
	if err != nil {
		return Item{}, err
	}
	names := map[string]int{}
	for l := 1; l <= int(g.Levels); l++ {
		names[strings.ToLower(addr.LevelName(g, l))] = l
	}
	ans := Translation{LevelNames: names}
	if walk.Present() {
		ans.PA = uint64(walk.Leaf().PFN())<<g.OffsetBits | addr.PageOffset(va, g.PageSize())
	} else {
		ans.Fault, ans.Level = true, int(g.Levels)-walk.Steps+1
	}

	// The dump: every table frame, 16 four-byte entries each.
	frames := slices.Clone(rec.got)
	slices.Sort(frames)
	var prompt lines
	prompt.addf("Machine: %v — 14-bit virtual addresses, 64-byte pages, a page directory (PD) and page tables (PT) of 16 four-byte entries each.",
		"기계: %v — 가상 주소 14비트, 페이지 64바이트, 페이지 디렉터리(PD)와 페이지 테이블(PT)은 각각 4바이트 엔트리 16개.", g)
	prompt.add(Text{EN: "An entry is in the x86 layout: bit 0 is Present, bit 1 RW, bit 2 US; the frame number is entry >> 12.",
		KO: "엔트리는 x86 형식입니다: 비트 0은 Present, 비트 1은 RW, 비트 2는 US이고, 프레임 번호는 entry >> 12입니다."})
	prompt.addf("PDBR (CR3) = %v (frame %d). The table frames, entries 0..15 in hex:",
		"PDBR(CR3) = %v (프레임 %d). 테이블 프레임의 엔트리 0..15 (16진수):", table.Root(), uint64(table.Root())>>g.OffsetBits)
	for _, f := range frames {
		b, err := mem.Frame(f)
		if err != nil {
			return Item{}, err
		}
		words := make([]string, len(b)/4)
		for i := range words {
			words[i] = fmt.Sprintf("%08x", binary.LittleEndian.Uint32(b[4*i:]))
		}
		prompt.same(fmt.Sprintf("  frame %2d:  %s", f, strings.Join(words, " ")))
	}
	prompt.addf("Translate the virtual address %v: which physical address does it reach, or at which level does the walk fault (2 = PD, 1 = PT)?",
		"다음 가상 주소를 변환하세요: %v. 어느 물리 주소가 되나요? 아니면 어느 단계에서 폴트가 나나요 (2 = PD, 1 = PT)?", va)

	var sol lines
	sol.addf("Split %v: PD index %d, PT index %d, offset %#x.", "%v 나누기: PD 인덱스 %d, PT 인덱스 %d, 오프셋 %#x.",
		va, idx[0], idx[1], addr.PageOffset(va, g.PageSize()))
	for i := 0; i < walk.Steps; i++ {
		level := int(g.Levels) - i
		e := walk.Entries[i]
		base := uint64(walk.Reads[i]) - uint64(idx[i])*uint64(g.EntryBytes)
		sol.addf("level %d (%s): read %v = table %#x + %d × 4 → %08x = %v",
			"%d단계 (%s): %v 읽기 = 테이블 %#x + %d × 4 → %08x = %v",
			level, addr.LevelName(g, level), walk.Reads[i], base, idx[i], uint32(e), e)
	}
	if walk.Present() {
		sol.addf("Leaf: frame %d, so PA = %d << 6 | %#x = %#x.", "리프: 프레임 %d, 따라서 PA = %d << 6 | %#x = %#x.",
			walk.Leaf().PFN(), walk.Leaf().PFN(), addr.PageOffset(va, g.PageSize()), ans.PA)
	} else {
		sol.addf("Present bit 0 at level %d (%s): the walk stops there and the MMU raises a page fault.",
			"%d단계(%s)에서 Present 비트가 0: 변환은 거기서 멈추고 MMU가 페이지 폴트를 일으킵니다.",
			ans.Level, addr.LevelName(g, ans.Level))
	}
	return Item{
		Prompt:   prompt.text(),
		Answer:   ans,
		Solution: sol.text(),
		Read: Text{EN: "exercises/03-multilevel-walk/README.md, “Worked example”",
			KO: "exercises/03-multilevel-walk/README.ko.md, “풀어 보는 예제”"},
		Show: fmt.Sprintf("go run ./cmd/vmsim walk --va %v --geometry textbook", va),
	}, nil
}

// poolAllocator hands out frames in the order of its list.
type poolAllocator struct{ frames []vm.PFN }

func (a *poolAllocator) take() vm.PFN {
	p := a.frames[0]
	a.frames = a.frames[1:]
	return p
}

func (a *poolAllocator) Alloc() (vm.PFN, error) {
	if len(a.frames) == 0 {
		return 0, vm.ErrOutOfMemory
	}
	return a.take(), nil
}

func (a *poolAllocator) Free(pfn vm.PFN) error {
	a.frames = append(a.frames, pfn)
	return nil
}

func (a *poolAllocator) FreeFrames() int { return len(a.frames) }

package quiz

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/vmkata/vmkata/reference/addr"
	"github.com/vmkata/vmkata/reference/pagetable"
	"github.com/vmkata/vmkata/reference/phys"
	"github.com/vmkata/vmkata/vm"
)

var tableMemGen = Generator{Kind: "table-memory", Topics: []string{"pagetable", "radix", "linear"}, New: newTableMem}

// region is a run of mapped pages.
type region struct {
	name  Text
	start vm.VAddr
	pages int
}

// sparseLayout draws a process's used regions: text, heap, a library and the
// stack, far apart as in a real address space.
func sparseLayout(r *rand.Rand, g vm.Geometry) []region {
	top := vm.VAddr(1) << (g.VABits - 1) // user half of x86-64; x86-32's 3 GiB split is below
	if g.VABits == 32 {
		top = 0xc0000000
	}
	ps := uint64(g.PageSize())
	n := func() int { return 1 + r.IntN(3)*r.IntN(400) }
	text := vm.VAddr(0x400000)
	textPages := n()
	heap := addr.AlignDown(text+vm.VAddr(uint64(textPages)*ps)+vm.VAddr(r.IntN(1<<20)), g.PageSize())
	lib := addr.AlignDown(top/2+vm.VAddr(r.Uint64N(uint64(top/4))), g.PageSize())
	stackPages := 1 + r.IntN(40)
	stack := top - vm.VAddr(uint64(stackPages+r.IntN(64))*ps)
	return []region{
		{Text{EN: "text", KO: "텍스트"}, text, textPages},
		{Text{EN: "heap", KO: "힙"}, heap, n()},
		{Text{EN: "library", KO: "라이브러리"}, lib, n()},
		{Text{EN: "stack", KO: "스택"}, stack, stackPages},
	}
}

func newTableMem(r *rand.Rand) (Item, error) {
	g := vm.X86_64
	if r.IntN(3) == 0 {
		g = vm.X86_32
	}
	regions := sparseLayout(r, g)
	const frames = 256
	mem, err := phys.NewMemory(frames, g.PageSize())
	if err != nil {
		return Item{}, err
	}
	alloc, err := phys.NewFreeList(frames)
	if err != nil {
		return Item{}, err
	}
	table, err := pagetable.NewRadix(g, mem, alloc)
	if err != nil {
		return Item{}, err
	}
	// tables[i] holds the distinct tables at depth i: the root is depth 0; a
	// table at depth i is named by the indices above it.
	tables := make([]map[string]bool, g.Levels)
	for i := range tables {
		tables[i] = map[string]bool{}
	}
	mapped := 0
	for _, reg := range regions {
		for p := range reg.pages {
			va := reg.start + vm.VAddr(uint64(p)*uint64(g.PageSize()))
			if err := table.Map(vm.Mapping{VA: va, PFN: vm.PFN(0x1000 + mapped), Size: g.PageSize(), Perm: vm.PermRW | vm.PermUser}); err != nil {
				return Item{}, err
			}
			mapped++
			idx, err := addr.Indices(g, va)
			if err != nil {
				return Item{}, err
			}
			for d := range int(g.Levels) {
				tables[d][fmt.Sprint(idx[:d])] = true
			}
		}
	}
	var byLevel []string
	total := 0
	for d := range int(g.Levels) {
		byLevel = append(byLevel, fmt.Sprintf("%s %d", addr.LevelName(g, int(g.Levels)-d), len(tables[d])))
		total += len(tables[d])
	}
	if total != table.TablePages() {
		return Item{}, fmt.Errorf("counted %d table pages, the reference holds %d", total, table.TablePages())
	}
	linear := uint64(1) << (g.VABits - g.OffsetBits) * uint64(g.EntryBytes)

	var prompt lines
	prompt.addf("A process on %v maps these pages (%d KiB each), and nothing else:", "%v에서 한 프로세스가 다음 페이지들만 매핑합니다 (페이지당 %d KiB):", g, g.PageSize()>>10)
	for _, reg := range regions {
		unit := "pages"
		if reg.pages == 1 {
			unit = "page"
		}
		prompt.add(Text{EN: fmt.Sprintf("  %-8s %4d %-5s from %v", reg.name.EN, reg.pages, unit, reg.start),
			KO: fmt.Sprintf("  %-6s %v부터 %d페이지", reg.name.KO, reg.start, reg.pages)})
	}
	prompt.addf("How many pages of page table does its multi-level table take, all levels counted (root included)?",
		"이 프로세스의 다단계 페이지 테이블은 모든 단계를 합쳐(루트 포함) 몇 페이지를 차지하나요?")

	var sol lines
	sol.addf("One table page per distinct prefix of indices: a table at each level exists only if some mapped page lies under it.",
		"서로 다른 인덱스 접두사마다 테이블 한 페이지가 필요합니다. 각 단계의 테이블은 그 아래에 매핑된 페이지가 있을 때만 존재합니다.")
	sol.addf("%v: %s", "%v: %s", g, strings.Join(byLevel, ", "))
	for _, reg := range regions {
		first, _ := addr.Format(g, reg.start)
		last, _ := addr.Format(g, reg.start+vm.VAddr(uint64(reg.pages-1)*uint64(g.PageSize())))
		row := func(name string) string { return fmt.Sprintf("  %-8s %s  …  %s", name, first, last) }
		sol.add(Text{EN: row(reg.name.EN), KO: row(reg.name.KO)})
	}
	sol.addf("Total %d pages = %d KiB for %d mapped pages. A linear table would need 2^%d entries × %d bytes = %s whether used or not.",
		"합계 %d페이지 = %d KiB (매핑된 페이지 %d개). 선형 테이블이라면 쓰든 안 쓰든 2^%d 엔트리 × %d바이트 = %s가 필요합니다.",
		total, table.TableBytes()>>10, mapped, g.VABits-g.OffsetBits, g.EntryBytes, humanBytes(linear))
	return Item{
		Prompt:   prompt.text(),
		Answer:   Number{V: uint64(total)},
		Solution: sol.text(),
		Read: Text{EN: "exercises/03-multilevel-walk/README.md, “The concept”",
			KO: "exercises/03-multilevel-walk/README.ko.md, “개념”"},
		Show: "go test ./reference/pagetable -run Example_tableMemory -v",
	}, nil
}

// humanBytes prints a power-of-two size in KiB, MiB, GiB or TiB.
func humanBytes(b uint64) string {
	for _, u := range []struct {
		name  string
		shift uint
	}{{"TiB", 40}, {"GiB", 30}, {"MiB", 20}, {"KiB", 10}} {
		if b >= 1<<u.shift && b%(1<<u.shift) == 0 {
			return fmt.Sprintf("%d %s", b>>u.shift, u.name)
		}
	}
	return fmt.Sprintf("%d bytes", b)
}

package quiz

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/vmkata/vmkata/reference/ostep"
)

var ostepGen = Generator{Kind: "translate-ostep", Topics: []string{"pagetable", "radix"}, New: newOSTEP}

// The machine of OSTEP's multi-level paging homework
// (paging-multilevel-translate.py): 15-bit virtual addresses, 32-byte pages,
// a page directory and page tables of 32 one-byte entries. An entry's top
// bit is valid, its low 7 bits a page frame number; 0x7f marks an unused
// entry. A virtual address is PDE index (bits 14..10), PTE index (9..5) and
// offset (4..0). This memory has ostepPages pages instead of OSTEP's 128,
// so that a dump fits on a screen.
const (
	ostepPageBytes = 32
	ostepPages     = 32
	ostepInvalid   = 0x7f
)

// ostepMemory is physical memory in OSTEP's format, page by page.
type ostepMemory [ostepPages][ostepPageBytes]byte

func newOSTEP(r *rand.Rand) (Item, error) {
	var m ostepMemory
	for p := range m {
		for i := range m[p] {
			m[p][i] = byte(r.IntN(256))
		}
	}
	free := r.Perm(ostepPages)
	take := func() int { p := free[0]; free = free[1:]; return p }
	unused := func(p int) {
		for i := range m[p] {
			m[p][i] = ostepInvalid
		}
	}
	pdbr := take()
	unused(pdbr)
	type mapping struct{ pde, pte int }
	var mapped []mapping
	pdes := r.Perm(32)[:2+r.IntN(2)]
	for _, pde := range pdes {
		pt := take()
		unused(pt)
		m[pdbr][pde] = 0x80 | byte(pt)
		for _, pte := range r.Perm(32)[:3+r.IntN(4)] {
			m[pt][pte] = 0x80 | byte(take())
			mapped = append(mapped, mapping{pde, pte})
		}
	}
	off := uint64(r.IntN(ostepPageBytes))
	var va uint64
	switch r.IntN(4) {
	case 0, 1:
		mp := mapped[r.IntN(len(mapped))]
		va = uint64(mp.pde)<<10 | uint64(mp.pte)<<5 | off
	case 2: // the page table exists, the entry is not valid
		pde := pdes[r.IntN(len(pdes))]
		for {
			va = uint64(pde)<<10 | uint64(r.IntN(32))<<5 | off
			if m[m[pdbr][pde]&0x7f][va>>5&0x1f]&0x80 == 0 {
				break
			}
		}
	default: // no page table
		for {
			va = uint64(r.IntN(1 << 15))
			if m[pdbr][va>>10]&0x80 == 0 {
				break
			}
		}
	}
	var p lines
	p.add(Text{EN: "OSTEP's multi-level paging homework (paging-multilevel-translate.py): 15-bit virtual addresses, 32-byte pages, one-byte page-directory and page-table entries (top bit valid, low 7 bits the frame number; 7f is unused).",
		KO: "OSTEP 다단계 페이징 숙제(paging-multilevel-translate.py)의 기계: 가상 주소 15비트, 페이지 32바이트, 페이지 디렉터리와 페이지 테이블의 엔트리는 1바이트 (최상위 비트가 valid, 하위 7비트가 프레임 번호, 7f는 빈 엔트리)."})
	var problem strings.Builder
	for pg := range m {
		fmt.Fprintf(&problem, "page %3d:%x\n", pg, m[pg][:])
	}
	fmt.Fprintf(&problem, "\nPDBR: %d  (decimal) [This means the page directory is held in this page]\n\n", pdbr)
	fmt.Fprintf(&problem, "Virtual Address %04x: Translates To What Physical Address (And Fetches what Value)? Or Fault?\n", va)
	p.same(problem.String())
	p.add(Text{EN: "Answer with the physical address, or the level that faults (2 = page directory entry, 1 = page table entry).",
		KO: "물리 주소를 쓰거나, 폴트가 나는 단계를 쓰세요 (2 = 페이지 디렉터리 엔트리, 1 = 페이지 테이블 엔트리)."})

	// The answer is what OSTEP's solver says about the text just printed.
	prob, err := ostep.ParseMultilevel(strings.NewReader(problem.String()), "problem")
	if err != nil {
		return Item{}, err
	}
	walk, err := prob.Translate(va)
	if err != nil {
		return Item{}, err
	}
	ans := Translation{PA: walk.PA, LevelNames: map[string]int{"pde": 2, "pd": 2, "pte": 1, "pt": 1}}
	switch walk.Fault {
	case ostep.PDEFault:
		ans.Fault, ans.Level = true, 2
	case ostep.PTEFault:
		ans.Fault, ans.Level = true, 1
	}

	var sol lines
	sol.add(Text{EN: "As the simulator prints it with -c:", KO: "시뮬레이터가 -c로 출력하는 형식으로:"})
	sol.same(strings.TrimSuffix(walk.String(), "\n"))
	sol.add(tf("PDE index = va >> 10 = %d, PTE index = (va >> 5) & 0x1f = %d, offset = va & 0x1f = %d; frame f starts at byte f × 32.",
		"PDE 인덱스 = va >> 10 = %d, PTE 인덱스 = (va >> 5) & 0x1f = %d, 오프셋 = va & 0x1f = %d. 프레임 f는 f × 32 바이트에서 시작합니다.",
		va>>10, va>>5&0x1f, va&0x1f))
	return Item{
		Prompt:   p.text(),
		Answer:   ans,
		Solution: sol.text(),
		Read: Text{EN: "exercises/03-multilevel-walk/README.md, “Worked example”",
			KO: "exercises/03-multilevel-walk/README.ko.md, “풀어 보는 예제”"},
		Show: "go run ./cmd/vmsim solve ostep-multilevel problem.txt   # the problem above, saved as problem.txt",
	}, nil
}

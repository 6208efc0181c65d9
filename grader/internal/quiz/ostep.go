package quiz

import (
	"fmt"
	"math/rand/v2"
	"strings"
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

// ostepStep is one entry the walk read.
type ostepStep struct {
	index   int
	content byte
}

// walk translates va from the page directory in page pdbr: the entries read
// and, if both were valid, the physical address (ok true).
func (m *ostepMemory) walk(pdbr int, va uint64) (steps []ostepStep, pa uint64, ok bool) {
	table := pdbr
	for _, shift := range []uint{10, 5} {
		idx := int(va >> shift & 0x1f)
		e := m[table][idx]
		steps = append(steps, ostepStep{idx, e})
		if e&0x80 == 0 {
			return steps, 0, false
		}
		table = int(e & 0x7f)
	}
	return steps, uint64(table)<<5 | va&0x1f, true
}

func newOSTEP(r *rand.Rand) (Item, error) {
	var m ostepMemory
	for p := range m {
		for i := range m[p] {
			m[p][i] = byte(r.IntN(256))
		}
	}
	free := r.Perm(ostepPages)
	take := func() int { p := free[0]; free = free[1:]; return p }
	clear := func(p int) {
		for i := range m[p] {
			m[p][i] = ostepInvalid
		}
	}
	pdbr := take()
	clear(pdbr)
	type mapping struct{ pde, pte int }
	var mapped []mapping
	pdes := r.Perm(32)[:2+r.IntN(2)]
	for _, pde := range pdes {
		pt := take()
		clear(pt)
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
	steps, pa, ok := m.walk(pdbr, va)
	ans := Translation{PA: pa, LevelNames: map[string]int{"pde": 2, "pd": 2, "pte": 1, "pt": 1}}
	if !ok {
		ans.Fault, ans.Level = true, 3-len(steps)
	}

	var p lines
	p.add(Text{EN: "OSTEP's multi-level paging homework: 15-bit virtual addresses, 32-byte pages, one-byte page-directory and page-table entries (top bit valid, low 7 bits the frame number).",
		KO: "OSTEP 다단계 페이징 숙제의 기계: 가상 주소 15비트, 페이지 32바이트, 페이지 디렉터리와 페이지 테이블의 엔트리는 1바이트 (최상위 비트가 valid, 하위 7비트가 프레임 번호)."})
	p.same(fmt.Sprintf("PDBR: %d  (decimal) [This means the page directory is held in this page]", pdbr))
	p.same("")
	for pg := range m {
		words := make([]string, ostepPageBytes)
		for i, b := range m[pg] {
			words[i] = fmt.Sprintf("%02x", b)
		}
		p.same(fmt.Sprintf("page %3d: %s", pg, strings.Join(words, "")))
	}
	p.same("")
	p.add(tf("Virtual Address %04x: which physical address does it translate to? Or does it fault (2 = page directory entry, 1 = page table entry)?",
		"Virtual Address %04x: 어느 물리 주소로 변환되나요? 아니면 폴트인가요 (2 = 페이지 디렉터리 엔트리, 1 = 페이지 테이블 엔트리)?", va))

	var sol lines
	sol.add(Text{EN: "As OSTEP's -c prints it:", KO: "OSTEP의 -c 출력 형식으로:"})
	sol.same(fmt.Sprintf("Virtual Address %04x:", va))
	names := []string{"pde", "pte"}
	for i, s := range steps {
		sol.same(fmt.Sprintf("%s--> %s index:%#x [decimal %d] %s contents:%#x (valid %d, pfn %#02x [decimal %d])",
			strings.Repeat("  ", i+1), names[i], s.index, s.index, names[i], s.content, s.content>>7, s.content&0x7f, s.content&0x7f))
	}
	switch {
	case ok:
		sol.same(fmt.Sprintf("      --> Translates to Physical Address %#x --> Value: %02x", pa, m[pa>>5][pa&0x1f]))
	case len(steps) == 1:
		sol.same("      --> Fault (page directory entry not valid)")
	default:
		sol.same("      --> Fault (page table entry not valid)")
	}
	sol.add(tf("PDE index = va >> 10 = %d, PTE index = (va >> 5) & 0x1f = %d, offset = va & 0x1f = %d; a frame number f starts at byte f × 32.",
		"PDE 인덱스 = va >> 10 = %d, PTE 인덱스 = (va >> 5) & 0x1f = %d, 오프셋 = va & 0x1f = %d. 프레임 f는 f × 32 바이트에서 시작합니다.",
		va>>10, va>>5&0x1f, va&0x1f))
	return Item{
		Prompt:   p.text(),
		Answer:   ans,
		Solution: sol.text(),
		Read: Text{EN: "exercises/03-multilevel-walk/README.md, “Worked example”",
			KO: "exercises/03-multilevel-walk/README.ko.md, “풀어 보는 예제”"},
	}, nil
}

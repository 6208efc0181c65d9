package quiz

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/vmkata/vmkata/reference/addr"
	"github.com/vmkata/vmkata/vm"
)

var splitGen = Generator{Kind: "split", Topics: []string{"address"}, New: newSplit}

// splitGeometries are the machines split items use, with the vmsim flag that selects each.
var splitGeometries = []struct {
	spec string // for addr.ParseGeometry
	flag string // vmsim walk's flags for it
}{
	{"x86-32", "--geometry x86-32"},
	{"x86-64", "--levels 4"},
	{"x86-64-5level", "--levels 5"},
	{"textbook", "--geometry textbook"},
	{"6/6/8", "--geometry 6/6/8"},
}

func readSplit() Text {
	return Text{EN: "exercises/01-address-split/README.md, “How an address is cut”",
		KO: "exercises/01-address-split/README.ko.md, “주소를 자르는 방법”"}
}

// randomVA draws an address valid for g: canonical when g sign-extends, and
// on x86-64 mostly in the user half.
func randomVA(r *rand.Rand, g vm.Geometry) vm.VAddr {
	va := vm.VAddr(r.Uint64() & (1<<g.VABits - 1))
	if g.SignExtended {
		if r.IntN(4) != 0 {
			va &^= 1 << (g.VABits - 1) // user half
		}
		va = addr.Canonical(g, va)
	}
	return va
}

func newSplit(r *rand.Rand) (Item, error) {
	sg := splitGeometries[r.IntN(len(splitGeometries))]
	g, err := addr.ParseGeometry(sg.spec)
	if err != nil {
		return Item{}, err
	}
	va := randomVA(r, g)
	idx, err := addr.Indices(g, va)
	if err != nil {
		return Item{}, err
	}
	names := make([]string, g.Levels)
	var want []uint64
	for i := range int(g.Levels) {
		names[i] = addr.LevelName(g, int(g.Levels)-i)
		want = append(want, uint64(idx[i]))
	}
	off := addr.PageOffset(va, g.PageSize())
	want = append(want, off)
	order := strings.Join(names, " ") + " offset"

	var sol lines
	sol.addf("%v: %d-bit addresses, %d-byte pages (%d offset bits); each level takes the next bits from the top.",
		"%v: 주소 %d비트, 페이지 %d바이트(오프셋 %d비트). 각 단계가 위쪽부터 차례로 비트를 가져갑니다.",
		g, g.VABits, uint64(g.PageSize()), g.OffsetBits)
	hi := int(g.VABits) - 1
	for i := range int(g.Levels) {
		bits := int(g.LevelBits[i])
		sol.addf("%-6s bits %2d..%-2d = (va >> %d) & %#x = %d",
			"%-6s 비트 %2d..%-2d = (va >> %d) & %#x = %d",
			names[i], hi, hi-bits+1, hi-bits+1, 1<<bits-1, idx[i])
		hi -= bits
	}
	sol.addf("%-6s bits %2d..0  = va & %#x = %#x", "%-6s 비트 %2d..0  = va & %#x = %#x", "offset", hi, uint64(g.PageSize()-1), off)
	if g.SignExtended {
		sol.addf("Bits %d..63 only copy bit %d (a canonical address): they index nothing.",
			"비트 %d..63은 비트 %d의 값을 그대로 복사한 것(정규 주소)일 뿐, 어떤 인덱스에도 쓰이지 않습니다.", g.VABits, g.VABits-1)
	}
	f, err := addr.Format(g, va)
	if err != nil {
		return Item{}, err
	}
	sol.same(f)

	return Item{
		Prompt: tf("Split the virtual address %v on %v into its page-table indices and page offset.\nWrite them root level first: %s.",
			"%[2]v에서 다음 가상 주소를 페이지 테이블 인덱스와 페이지 오프셋으로 나누세요: %[1]v\n루트 단계부터 차례로 쓰세요: %[3]s.",
			va, g, order),
		Answer:   List{V: want, Ordered: true, Fixed: true, HexLast: true},
		Solution: sol.text(),
		Read:     readSplit(),
		Show:     fmt.Sprintf("go run ./cmd/vmsim walk --va %v %s", va, sg.flag),
	}, nil
}

package quiz

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/vmkata/vmkata/reference/tlb"
	"github.com/vmkata/vmkata/vm"
)

var tlbGen = Generator{Kind: "tlb", Topics: []string{"tlb"}, New: newTLB}

// tlbStep is one step of a TLB item: an access by the running process, or a
// context switch to another.
type tlbStep struct {
	switchTo int // process (1 = A, 2 = B) switched to; 0 for an access
	vpn      uint64
	global   bool // the kernel page, mapped global
}

// kernelVPN is the page of the kernel page the TLB items touch.
const kernelVPN = 0xfffff

func procName(asid vm.ASID) string { return string(rune('A' + asid - 1)) }

func newTLB(r *rand.Rand) (Item, error) {
	ways := []int{1, 2, 4}[r.IntN(3)]
	cfg := vm.TLBConfig{Entries: 4, Ways: ways}
	pcid := r.IntN(2) == 0
	withKernel := r.IntN(3) == 0
	var steps []tlbStep
	access := func(n int, pool []uint64) {
		for range n {
			steps = append(steps, tlbStep{vpn: pool[r.IntN(len(pool))]})
		}
	}
	poolA := []uint64{uint64(r.IntN(8)), uint64(r.IntN(8)), uint64(r.IntN(8))}
	poolB := []uint64{uint64(r.IntN(8)), uint64(r.IntN(8))}
	access(3+r.IntN(2), poolA)
	if withKernel {
		steps = append(steps, tlbStep{vpn: kernelVPN, global: true})
	}
	steps = append(steps, tlbStep{switchTo: 2})
	access(2+r.IntN(2), poolB)
	if withKernel {
		steps = append(steps, tlbStep{vpn: kernelVPN, global: true})
	}
	steps = append(steps, tlbStep{switchTo: 1})
	access(2+r.IntN(2), poolA)

	t, err := tlb.New(cfg)
	if err != nil {
		return Item{}, err
	}
	var (
		hits []bool
		sol  lines
		seq  []string
		cur  = vm.ASID(1)
	)
	if pcid {
		sol.add(Text{EN: "PCIDs on: entries are tagged with their process (A = 1, B = 2) and a context switch flushes nothing.",
			KO: "PCID 사용: 엔트리에 프로세스 태그(A = 1, B = 2)가 붙어 있어 문맥 교환 때 아무것도 비우지 않습니다."})
	} else {
		sol.add(Text{EN: "PCIDs off: loading CR3 on a context switch flushes every non-global entry.",
			KO: "PCID 미사용: 문맥 교환 때 CR3를 다시 쓰면 전역(G)이 아닌 엔트리가 모두 비워집니다."})
	}
	sol.add(geometry(t.Sets(), ways))
	sol.add(Text{EN: "In a full set the least recently used entry goes.", KO: "세트가 가득 차면 가장 오래전에 쓰인 엔트리가 나갑니다."})
	for _, s := range steps {
		if s.switchTo != 0 {
			cur = vm.ASID(s.switchTo)
			if !pcid {
				t.FlushNonGlobal()
			}
			seq = append(seq, "switch→"+procName(cur))
			sol.addf("switch to %s: %d entries left", "%s로 전환: 엔트리 %d개 남음", procName(cur), t.Len())
			continue
		}
		va := vm.VAddr(s.vpn << 12)
		name := fmt.Sprintf("%s:%#x", procName(cur), s.vpn)
		if s.global {
			name = fmt.Sprintf("%s:%#x(G)", procName(cur), s.vpn)
		}
		seq = append(seq, name)
		set := t.SetIndex(va, vm.Size4K)
		if _, hit := t.Lookup(cur, va); hit {
			hits = append(hits, true)
			sol.addf("%-12s set %d: hit", "%-12s 세트 %d: 히트", name, set)
			continue
		}
		hits = append(hits, false)
		before := t.Entries()
		e := vm.TLBEntry{ASID: cur, VA: va, Size: vm.Size4K, PFN: vm.PFN(0x100 + s.vpn), Perm: vm.PermRW | vm.PermUser, Global: s.global}
		if s.global {
			e.ASID, e.Perm = 0, vm.PermRW
		}
		if err := t.Insert(e); err != nil {
			return Item{}, err
		}
		after := t.Entries()
		evicted := "-"
		for _, b := range before {
			if !slices.Contains(after, b) {
				evicted = entryName(b)
			}
		}
		if evicted == "-" {
			sol.addf("%-12s set %d: miss, walk, insert", "%-12s 세트 %d: 미스, 워크 후 삽입", name, set)
		} else {
			sol.addf("%-12s set %d: miss, walk, insert; evicts LRU %s", "%-12s 세트 %d: 미스, 워크 후 삽입; LRU인 %s 교체", name, set, evicted)
		}
	}
	var final []string
	for _, e := range t.Entries() {
		final = append(final, entryName(e))
	}
	sol.addf("Final contents: %s", "최종 내용: %s", strings.Join(final, " "))

	pc := Text{EN: "PCIDs off (a context switch flushes non-global entries)", KO: "PCID 끔 (문맥 교환 시 전역이 아닌 엔트리를 비움)"}
	if pcid {
		pc = Text{EN: "PCIDs on (A has PCID 1, B has PCID 2)", KO: "PCID 켬 (A는 PCID 1, B는 PCID 2)"}
	}
	prompt := Text{
		EN: fmt.Sprintf("A TLB of %d entries, %s, LRU in each set, empty at start; %s.\n"+
			"Process A runs first. The pages are 4 KiB; \"A:0x3\" is an access by A to VPN 0x3, (G) a global kernel page.\n"+
			"Accesses: %s\nHit or miss, for each access in order?",
			cfg.Entries, geometry(t.Sets(), ways).EN, pc.EN, strings.Join(seq, " ")),
		KO: fmt.Sprintf("엔트리 %d개짜리 TLB, %s, 세트마다 LRU, 처음엔 비어 있음; %s.\n"+
			"프로세스 A가 먼저 실행됩니다. 페이지는 4 KiB이고, \"A:0x3\"은 A가 VPN 0x3에 접근한다는 뜻, (G)는 전역 커널 페이지입니다.\n"+
			"접근 순서: %s\n각 접근이 히트인지 미스인지 순서대로 쓰세요.",
			cfg.Entries, geometry(t.Sets(), ways).KO, pc.KO, strings.Join(seq, " ")),
	}
	return Item{
		Prompt:   prompt,
		Answer:   HitMiss(hits),
		Solution: sol.text(),
		Read: Text{EN: "exercises/04-tlb/README.md, “How it works”",
			KO: "exercises/04-tlb/README.ko.md, “동작 원리”"},
		Show: "go run ./cmd/vmsim run examples/pcid.vms",
	}, nil
}

// entryName prints a TLB entry as the items name accesses: process and VPN.
func entryName(e vm.TLBEntry) string {
	if e.Global {
		return fmt.Sprintf("G:%#x", uint64(e.VA)>>12)
	}
	return fmt.Sprintf("%s:%#x", procName(e.ASID), uint64(e.VA)>>12)
}

// geometry describes a TLB's sets and ways, and how a page picks its set.
func geometry(sets, ways int) Text {
	switch {
	case sets == 1:
		return tf("fully associative (one set of %d ways: any page may go in any entry)", "완전 연관 (%d웨이 세트 하나: 어느 페이지든 아무 엔트리에나 들어감)", ways)
	case ways == 1:
		return tf("direct-mapped (%d sets of one entry, set = VPN mod %d)", "직접 사상 (엔트리 하나짜리 세트 %d개, 세트 = VPN mod %d)", sets, sets)
	}
	return tf("%d-way set-associative (%d sets, set = VPN mod %d)", "%d-웨이 집합 연관 (세트 %d개, 세트 = VPN mod %d)", ways, sets, sets)
}

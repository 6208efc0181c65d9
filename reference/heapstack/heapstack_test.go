package heapstack_test

import (
	"errors"
	"math"
	"slices"
	"testing"

	"github.com/vmkata/vmkata/reference/heapstack"
	"github.com/vmkata/vmkata/reference/vma"
	"github.com/vmkata/vmkata/vm"
)

const ps = vm.Size4K

var limit = vm.AddrRange{Start: 0x10000, End: 0x8000_0000}

func rng(start, end vm.VAddr) vm.AddrRange { return vm.AddrRange{Start: start, End: end} }

// The textbook layout, low to high: text, data, bss, (the heap, from
// 0x602000), a library and a big malloc block in the mmap area, the stack
// (16 pages under 0x80000000).
var (
	text  = vm.VMA{Range: rng(0x400000, 0x401000), Perm: vm.PermRX, Backing: vm.BackingFile, File: "/bin/app", Role: vm.RoleText}
	data  = vm.VMA{Range: rng(0x600000, 0x601000), Perm: vm.PermRW, Backing: vm.BackingFile, File: "/bin/app", Offset: 0x1000, Role: vm.RoleData}
	bss   = vm.VMA{Range: rng(0x601000, 0x602000), Perm: vm.PermRW, Role: vm.RoleBSS}
	lib   = vm.VMA{Range: rng(0x1000_0000, 0x1000_4000), Perm: vm.PermRX, Backing: vm.BackingFile, File: "libc.so", Role: vm.RoleMmap}
	block = vm.VMA{Range: rng(0x2000_0000, 0x2010_0000), Perm: vm.PermRW, Role: vm.RoleMmap}
	stack = vm.VMA{Range: rng(0x7fff_0000, 0x8000_0000), Perm: vm.PermRW, Role: vm.RoleStack, GrowsDown: true}
	none  = vm.VMA{Range: rng(0x3000_0000, 0x3000_1000), Role: vm.RoleMmap} // PROT_NONE

	heapStart = vm.VAddr(0x602000)
	rules     = vm.Stack{Limit: 0x10_0000, GuardGap: 0x1_0000} // 1 MiB, 16 pages
)

func heapVMA(start, end vm.VAddr) vm.VMA {
	return vm.VMA{Range: rng(start, end), Perm: vm.PermRW, Role: vm.RoleHeap}
}

func newSet(t testing.TB, vs ...vm.VMA) *vma.Set {
	t.Helper()
	s, err := vma.NewSet(ps, limit)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range vs {
		if _, err := s.Map(v, true); err != nil {
			t.Fatalf("Map(%v): %v", v, err)
		}
	}
	return s
}

func TestBrk(t *testing.T) {
	h := func(brk vm.VAddr, limit uint64) vm.Heap { return vm.Heap{Start: heapStart, Brk: brk, Limit: limit} }
	const big = 1 << 30
	tests := []struct {
		name     string
		setup    []vm.VMA
		heap     vm.Heap
		req      vm.VAddr
		want     vm.Heap
		released vm.AddrRange
		err      error
		after    []vm.VMA // the VMAs afterwards, above bss
	}{
		{name: "brk(0) reports the break", heap: h(0x602010, big), req: 0,
			setup: []vm.VMA{heapVMA(0x602000, 0x603000)}, want: h(0x602010, big), after: []vm.VMA{heapVMA(0x602000, 0x603000)}},
		{name: "below the start reports the break", heap: h(0x602000, big), req: 0x601fff, want: h(0x602000, big)},
		{name: "the first growth creates the heap VMA", heap: h(0x602000, big), req: 0x602010,
			want: h(0x602010, big), after: []vm.VMA{heapVMA(0x602000, 0x603000)}},
		{name: "growth within the page maps nothing", heap: h(0x602010, big), req: 0x602ff0,
			setup: []vm.VMA{heapVMA(0x602000, 0x603000)}, want: h(0x602ff0, big), after: []vm.VMA{heapVMA(0x602000, 0x603000)}},
		{name: "growth across pages extends the heap VMA", heap: h(0x602010, big), req: 0x605001,
			setup: []vm.VMA{heapVMA(0x602000, 0x603000)}, want: h(0x605001, big), after: []vm.VMA{heapVMA(0x602000, 0x606000)}},
		{name: "growth right up to the next VMA", heap: h(0x602010, big), req: 0x604000,
			setup: []vm.VMA{heapVMA(0x602000, 0x603000), at(lib, 0x604000, 0x605000)},
			want:  h(0x604000, big), after: []vm.VMA{heapVMA(0x602000, 0x604000), at(lib, 0x604000, 0x605000)}},
		{name: "growth into the next VMA fails", heap: h(0x602010, big), req: 0x604001, err: vm.ErrOutOfMemory,
			setup: []vm.VMA{heapVMA(0x602000, 0x603000), at(lib, 0x604000, 0x605000)},
			want:  h(0x602010, big), after: []vm.VMA{heapVMA(0x602000, 0x603000), at(lib, 0x604000, 0x605000)}},
		{name: "the first growth over a VMA at the start fails", heap: h(0x602000, big), req: 0x602001, err: vm.ErrOutOfMemory,
			setup: []vm.VMA{at(lib, 0x602000, 0x603000)}, want: h(0x602000, big), after: []vm.VMA{at(lib, 0x602000, 0x603000)}},
		{name: "growth up to the limit", heap: h(0x602000, 0x2000), req: 0x604000,
			want: h(0x604000, 0x2000), after: []vm.VMA{heapVMA(0x602000, 0x604000)}},
		{name: "growth past the limit fails", heap: h(0x602000, 0x2000), req: 0x604001, err: vm.ErrOutOfMemory,
			want: h(0x602000, 0x2000)},
		{name: "shrinking within the page releases nothing", heap: h(0x605001, big), req: 0x605800,
			setup: []vm.VMA{heapVMA(0x602000, 0x606000)}, want: h(0x605800, big), after: []vm.VMA{heapVMA(0x602000, 0x606000)}},
		{name: "shrinking releases whole pages", heap: h(0x605001, big), req: 0x602fff,
			setup: []vm.VMA{heapVMA(0x602000, 0x606000)}, want: h(0x602fff, big), released: rng(0x603000, 0x606000),
			after: []vm.VMA{heapVMA(0x602000, 0x603000)}},
		{name: "shrinking to the start removes the heap VMA", heap: h(0x605001, big), req: 0x602000,
			setup: []vm.VMA{heapVMA(0x602000, 0x606000)}, want: h(0x602000, big), released: rng(0x602000, 0x606000)},
		{name: "shrinking still above a lowered limit fails", heap: h(0x605000, 0x1000), req: 0x604000, err: vm.ErrOutOfMemory,
			setup: []vm.VMA{heapVMA(0x602000, 0x605000)}, want: h(0x605000, 0x1000), after: []vm.VMA{heapVMA(0x602000, 0x605000)}},
		{name: "shrinking within a lowered limit", heap: h(0x605000, 0x1000), req: 0x603000,
			setup: []vm.VMA{heapVMA(0x602000, 0x605000)}, want: h(0x603000, 0x1000), released: rng(0x603000, 0x605000),
			after: []vm.VMA{heapVMA(0x602000, 0x603000)}},
		{name: "a break whose page overflows fails", heap: h(0x602000, math.MaxUint64), req: math.MaxUint64, err: vm.ErrOutOfMemory,
			want: h(0x602000, math.MaxUint64)},
		{name: "growth past the set's limit fails", heap: h(0x602000, math.MaxUint64), req: 0x8000_0001, err: vm.ErrOutOfMemory,
			want: h(0x602000, math.MaxUint64)},
		{name: "a heap start off a page boundary", heap: vm.Heap{Start: 0x602010, Brk: 0x602010, Limit: big}, req: 0x603000,
			err: vm.ErrNotAligned, want: vm.Heap{Start: 0x602010, Brk: 0x602010, Limit: big}},
		{name: "a break below the heap start", heap: vm.Heap{Start: 0x602000, Brk: 0x601000, Limit: big}, req: 0x603000,
			err: vm.ErrInvalidConfig, want: vm.Heap{Start: 0x602000, Brk: 0x601000, Limit: big}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSet(t, append([]vm.VMA{text, data, bss}, tt.setup...)...)
			got, released, err := heapstack.Brk(s, ps, tt.heap, tt.req)
			if !errors.Is(err, tt.err) || (tt.err == nil) != (err == nil) {
				t.Fatalf("Brk(%v, %v) error = %v, want %v", tt.heap, tt.req, err, tt.err)
			}
			if got != tt.want || released != tt.released {
				t.Fatalf("Brk(%v, %v) = %v, %v, want %v, %v", tt.heap, tt.req, got, released, tt.want, tt.released)
			}
			after := slices.Collect(s.All())[3:]
			if !slices.Equal(after, tt.after) {
				t.Fatalf("after Brk(%v, %v) the VMAs above bss are %v, want %v", tt.heap, tt.req, after, tt.after)
			}
			if err := s.Check(); err != nil {
				t.Fatalf("after Brk(%v, %v): %v", tt.heap, tt.req, err)
			}
		})
	}
}

func TestBrkBadPageSize(t *testing.T) {
	s := newSet(t)
	h := vm.Heap{Start: heapStart, Brk: heapStart, Limit: 1 << 30}
	for _, p := range []vm.PageSize{0, 0x1800} {
		if got, _, err := heapstack.Brk(s, p, h, heapStart+1); !errors.Is(err, vm.ErrInvalidConfig) || got != h {
			t.Errorf("Brk(page size %d) = %v, %v, want %v and an error wrapping %v", uint64(p), got, err, h, vm.ErrInvalidConfig)
		}
	}
}

// at returns v over [start, end).
func at(v vm.VMA, start, end vm.VAddr) vm.VMA { v.Range = rng(start, end); return v }

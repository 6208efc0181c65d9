package phys_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"pgregory.net/rapid"

	"github.com/vmkata/vmkata/reference/phys"
	"github.com/vmkata/vmkata/vm"
)

type helper interface {
	Helper()
	Fatalf(string, ...any)
}

func newBuddy(t helper, frames, maxOrder int) *phys.Buddy {
	t.Helper()
	b, err := phys.NewBuddy(frames, maxOrder)
	if err != nil {
		t.Fatalf("NewBuddy(%d, %d) = %v", frames, maxOrder, err)
	}
	if err := b.Check(); err != nil {
		t.Fatalf("NewBuddy(%d, %d): %v", frames, maxOrder, err)
	}
	return b
}

func freeBlocks(b *phys.Buddy) []int {
	out := make([]int, b.MaxOrder()+1)
	for k := range out {
		out[k] = b.FreeBlocks(k)
	}
	return out
}

func TestNewBuddyRejectsBadConfig(t *testing.T) {
	tests := []struct{ frames, maxOrder int }{
		{0, 0}, {-1, 3}, {phys.MaxFrames + 1, 10}, {16, -1}, {16, phys.MaxOrder + 1},
	}
	for _, tt := range tests {
		if _, err := phys.NewBuddy(tt.frames, tt.maxOrder); !errors.Is(err, vm.ErrInvalidConfig) {
			t.Errorf("NewBuddy(%d, %d) error = %v, want ErrInvalidConfig", tt.frames, tt.maxOrder, err)
		}
	}
}

func TestBuddyInitialBlocks(t *testing.T) {
	tests := []struct {
		frames, maxOrder int
		want             []int // free blocks per order 0..maxOrder
	}{
		{frames: 16, maxOrder: 4, want: []int{0, 0, 0, 0, 1}},
		{frames: 16, maxOrder: 2, want: []int{0, 0, 4}},
		{frames: 1, maxOrder: 3, want: []int{1, 0, 0, 0}},
		{frames: 1000, maxOrder: 10, want: []int{0, 0, 0, 1, 0, 1, 1, 1, 1, 1, 0}}, // 512+256+128+64+32+8
		{frames: 1000, maxOrder: 8, want: []int{0, 0, 0, 1, 0, 1, 1, 1, 3}},
		{frames: 7, maxOrder: 5, want: []int{1, 1, 1, 0, 0, 0}},
	}
	for _, tt := range tests {
		b := newBuddy(t, tt.frames, tt.maxOrder)
		if got := freeBlocks(b); !slices.Equal(got, tt.want) {
			t.Errorf("NewBuddy(%d, %d) free blocks per order = %v, want %v", tt.frames, tt.maxOrder, got, tt.want)
		}
		if got := b.FreeFrames(); got != tt.frames {
			t.Errorf("NewBuddy(%d, %d).FreeFrames() = %d, want %d", tt.frames, tt.maxOrder, got, tt.frames)
		}
	}
}

func TestBuddySplitAndMerge(t *testing.T) {
	b := newBuddy(t, 16, 4)
	steps := []struct {
		order int
		want  vm.PFN
		after []int
	}{
		{order: 0, want: 0, after: []int{1, 1, 1, 1, 0}}, // 16 -> 8+4+2+1 free, frame 0 taken
		{order: 0, want: 1, after: []int{0, 1, 1, 1, 0}}, // the buddy of frame 0
		{order: 1, want: 2, after: []int{0, 0, 1, 1, 0}}, // exact fit at order 1
		{order: 1, want: 4, after: []int{0, 1, 0, 1, 0}}, // splits the order-2 block at 4
		{order: 3, want: 8, after: []int{0, 1, 0, 0, 0}}, // the order-3 block at 8
		{order: 1, want: 6, after: []int{0, 0, 0, 0, 0}}, // last frames
	}
	for _, s := range steps {
		got, err := b.AllocOrder(s.order)
		if err != nil || got != s.want {
			t.Fatalf("AllocOrder(%d) = %v, %v, want %v, nil", s.order, got, err, s.want)
		}
		if fb := freeBlocks(b); !slices.Equal(fb, s.after) {
			t.Errorf("after AllocOrder(%d) = %v: free blocks per order = %v, want %v", s.order, got, fb, s.after)
		}
		if err := b.Check(); err != nil {
			t.Fatalf("after AllocOrder(%d): %v", s.order, err)
		}
	}
	if got, err := b.AllocOrder(0); !errors.Is(err, vm.ErrOutOfMemory) {
		t.Errorf("AllocOrder(0) when full = %v, %v, want ErrOutOfMemory", got, err)
	}
	frees := []struct {
		pfn   vm.PFN
		order int
		after []int
	}{
		{pfn: 0, order: 0, after: []int{1, 0, 0, 0, 0}},
		{pfn: 1, order: 0, after: []int{0, 1, 0, 0, 0}}, // 0 and 1 merge
		{pfn: 4, order: 1, after: []int{0, 2, 0, 0, 0}}, // buddy 6 still in use
		{pfn: 2, order: 1, after: []int{0, 1, 1, 0, 0}}, // 0-1 + 2-3 merge to order 2
		{pfn: 8, order: 3, after: []int{0, 1, 1, 1, 0}},
		{pfn: 6, order: 1, after: []int{0, 0, 0, 0, 1}}, // cascades all the way up
	}
	for _, f := range frees {
		if err := b.FreeOrder(f.pfn, f.order); err != nil {
			t.Fatalf("FreeOrder(%v, %d) = %v", f.pfn, f.order, err)
		}
		if fb := freeBlocks(b); !slices.Equal(fb, f.after) {
			t.Errorf("after FreeOrder(%v, %d): free blocks per order = %v, want %v", f.pfn, f.order, fb, f.after)
		}
		if err := b.Check(); err != nil {
			t.Fatalf("after FreeOrder(%v, %d): %v", f.pfn, f.order, err)
		}
	}
}

func TestBuddyHugePage(t *testing.T) {
	b := newBuddy(t, 2048, 10) // 8 MiB of 4K frames
	if _, err := b.Alloc(); err != nil {
		t.Fatal(err)
	}
	pfn, err := b.AllocOrder(9)
	if err != nil {
		t.Fatalf("AllocOrder(9) = %v", err)
	}
	if pfn != 512 {
		t.Errorf("AllocOrder(9) after Alloc() = %v, want pfn 0x200 (the lower half of the block at 0 is split)", pfn)
	}
	if pa := uint64(pfn) * uint64(vm.Size4K); pa%uint64(vm.Size2M) != 0 {
		t.Errorf("AllocOrder(9) = %v, physical address %#x is not 2 MiB aligned", pfn, pa)
	}
}

func TestBuddyBadFree(t *testing.T) {
	b := newBuddy(t, 16, 4)
	pfn, _ := b.AllocOrder(2) // frames 0-3
	tests := []struct {
		name  string
		pfn   vm.PFN
		order int
		want  error
	}{
		{name: "wrong order", pfn: pfn, order: 1, want: vm.ErrInvalidFrame},
		{name: "inside the block", pfn: pfn + 1, order: 0, want: vm.ErrInvalidFrame},
		{name: "never allocated", pfn: 8, order: 3, want: vm.ErrInvalidFrame},
		{name: "past the end", pfn: 16, order: 0, want: vm.ErrOutOfRange},
		{name: "order too big", pfn: pfn, order: 5, want: vm.ErrOutOfRange},
		{name: "negative order", pfn: pfn, order: -1, want: vm.ErrOutOfRange},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := freeBlocks(b)
			if err := b.FreeOrder(tt.pfn, tt.order); !errors.Is(err, tt.want) {
				t.Errorf("FreeOrder(%v, %d) = %v, want %v", tt.pfn, tt.order, err, tt.want)
			}
			if after := freeBlocks(b); !slices.Equal(after, before) {
				t.Errorf("free blocks after rejected FreeOrder(%v, %d) = %v, want unchanged %v", tt.pfn, tt.order, after, before)
			}
		})
	}
	if err := b.FreeOrder(pfn, 2); err != nil {
		t.Fatalf("FreeOrder(%v, 2) = %v", pfn, err)
	}
	if err := b.FreeOrder(pfn, 2); !errors.Is(err, vm.ErrInvalidFrame) {
		t.Errorf("second FreeOrder(%v, 2) = %v, want ErrInvalidFrame (double free)", pfn, err)
	}
	for _, order := range []int{-1, 5} {
		if _, err := b.AllocOrder(order); !errors.Is(err, vm.ErrOutOfRange) {
			t.Errorf("AllocOrder(%d) = %v, want ErrOutOfRange", order, err)
		}
	}
}

// buddyModel is the buddy system written from its definition with plain
// slices: O(n) per operation, but easy to trust.
type buddyModel struct {
	frames, maxOrder int
	free             [][]int // free[k]: sorted starts of free blocks of order k
}

func newBuddyModel(frames, maxOrder int) *buddyModel {
	m := &buddyModel{frames: frames, maxOrder: maxOrder, free: make([][]int, maxOrder+1)}
	for p := 0; p < frames; {
		k := maxOrder
		for k > 0 && (p%(1<<k) != 0 || p+(1<<k) > frames) {
			k--
		}
		m.free[k] = append(m.free[k], p)
		p += 1 << k
	}
	return m
}

func (m *buddyModel) add(p, k int) {
	i, _ := slices.BinarySearch(m.free[k], p)
	m.free[k] = slices.Insert(m.free[k], i, p)
}

func (m *buddyModel) alloc(order int) (int, bool) {
	for k := order; k <= m.maxOrder; k++ {
		if len(m.free[k]) == 0 {
			continue
		}
		p := m.free[k][0]
		m.free[k] = m.free[k][1:]
		for ; k > order; k-- {
			m.add(p+(1<<(k-1)), k-1)
		}
		return p, true
	}
	return 0, false
}

func (m *buddyModel) release(p, k int) {
	for k < m.maxOrder {
		buddy := p ^ (1 << k)
		i, found := slices.BinarySearch(m.free[k], buddy)
		if !found {
			break
		}
		m.free[k] = slices.Delete(m.free[k], i, i+1)
		p = min(p, buddy)
		k++
	}
	m.add(p, k)
}

type block struct {
	pfn   vm.PFN
	order int
}

func (b block) String() string { return fmt.Sprintf("%v order %d", b.pfn, b.order) }

// TestBuddyModel runs random allocations and frees (good and bad) against a
// Buddy and the model, checking the exact blocks returned and the
// allocator's invariants after every step; at the end it frees everything
// and expects the initial blocks back.
func TestBuddyModel(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		frames := rapid.IntRange(1, 300).Draw(t, "frames")
		maxOrder := rapid.IntRange(0, 7).Draw(t, "maxOrder")
		b := newBuddy(t, frames, maxOrder)
		initial := freeBlocks(b)
		m := newBuddyModel(frames, maxOrder)
		var live []block
		t.Repeat(map[string]func(*rapid.T){
			"AllocOrder": func(t *rapid.T) {
				order := rapid.IntRange(0, maxOrder).Draw(t, "order")
				got, err := b.AllocOrder(order)
				t.Logf("AllocOrder(%d) = %v, %v", order, got, err)
				want, ok := m.alloc(order)
				if !ok {
					if !errors.Is(err, vm.ErrOutOfMemory) {
						t.Fatalf("AllocOrder(%d) = %v, %v, want ErrOutOfMemory", order, got, err)
					}
					return
				}
				if err != nil || got != vm.PFN(want) {
					t.Fatalf("AllocOrder(%d) = %v, %v, want %v, nil", order, got, err, vm.PFN(want))
				}
				if uint64(got)%(1<<order) != 0 {
					t.Fatalf("AllocOrder(%d) = %v, not aligned to %d frames", order, got, 1<<order)
				}
				for _, l := range live {
					if uint64(got) < uint64(l.pfn)+1<<l.order && uint64(l.pfn) < uint64(got)+1<<order {
						t.Fatalf("AllocOrder(%d) = %v overlaps the live block %v", order, got, l)
					}
				}
				live = append(live, block{got, order})
			},
			"FreeOrder": func(t *rapid.T) {
				if len(live) == 0 {
					t.Skip("nothing allocated")
				}
				i := rapid.IntRange(0, len(live)-1).Draw(t, "block")
				l := live[i]
				err := b.FreeOrder(l.pfn, l.order)
				t.Logf("FreeOrder(%v, %d) = %v", l.pfn, l.order, err)
				if err != nil {
					t.Fatalf("FreeOrder(%v, %d) of a live block = %v, want nil", l.pfn, l.order, err)
				}
				m.release(int(l.pfn), l.order)
				live = slices.Delete(live, i, i+1)
			},
			"BadFree": func(t *rapid.T) {
				pfn := vm.PFN(rapid.IntRange(0, frames).Draw(t, "pfn"))
				order := rapid.IntRange(0, maxOrder).Draw(t, "order")
				if slices.Contains(live, block{pfn, order}) {
					t.Skip("a good free")
				}
				err := b.FreeOrder(pfn, order)
				t.Logf("FreeOrder(%v, %d) = %v", pfn, order, err)
				if !errors.Is(err, vm.ErrInvalidFrame) && !errors.Is(err, vm.ErrOutOfRange) {
					t.Fatalf("FreeOrder(%v, %d) of no live block = %v, want ErrInvalidFrame or ErrOutOfRange", pfn, order, err)
				}
			},
			"": func(t *rapid.T) {
				if err := b.Check(); err != nil {
					t.Fatal(err)
				}
				used := 0
				for _, l := range live {
					used += 1 << l.order
				}
				if got := b.FreeFrames(); got != frames-used {
					t.Fatalf("FreeFrames() = %d, want %d (%d frames, %d in live blocks)", got, frames-used, frames, used)
				}
				for k := 0; k <= maxOrder; k++ {
					if got, want := b.FreeBlocks(k), len(m.free[k]); got != want {
						t.Fatalf("FreeBlocks(%d) = %d, want %d", k, got, want)
					}
				}
			},
		})
		for _, l := range live {
			if err := b.FreeOrder(l.pfn, l.order); err != nil {
				t.Fatalf("FreeOrder(%v, %d) while freeing everything = %v", l.pfn, l.order, err)
			}
		}
		if got := freeBlocks(b); !slices.Equal(got, initial) {
			t.Fatalf("after freeing everything, free blocks per order = %v, want the initial %v", got, initial)
		}
	})
}

func TestBuddyAllocFreeAllocatesNothing(t *testing.T) {
	b := newBuddy(t, 4096, 10)
	allocs := testing.AllocsPerRun(100, func() {
		a, _ := b.Alloc()
		h, _ := b.AllocOrder(9)
		_ = b.Free(a)
		_ = b.FreeOrder(h, 9)
	})
	if allocs != 0 {
		t.Errorf("Buddy Alloc/AllocOrder/Free/FreeOrder allocate %v times per run, want 0", allocs)
	}
}

func benchmarkBuddy(b *testing.B, order int) {
	bd := newBuddy(b, 1<<18, 10) // 1 GiB of 4K frames
	for i := 0; i < 2048; i++ {  // fragment it: keep every other frame of the first 2048
		_, _ = bd.Alloc()
	}
	for pfn := vm.PFN(1); pfn < 2048; pfn += 2 {
		_ = bd.Free(pfn)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		pfn, err := bd.AllocOrder(order)
		if err != nil {
			b.Fatal(err)
		}
		_ = bd.FreeOrder(pfn, order)
	}
}

func BenchmarkBuddyAllocFree(b *testing.B) {
	for _, order := range []int{0, 9} {
		b.Run(fmt.Sprintf("order=%d", order), func(b *testing.B) { benchmarkBuddy(b, order) })
	}
}

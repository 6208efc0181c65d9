package phys_test

import (
	"errors"
	"slices"
	"testing"

	"pgregory.net/rapid"

	"github.com/vmkata/vmkata/reference/phys"
	"github.com/vmkata/vmkata/vm"
)

func newFreeList(t interface {
	Helper()
	Fatalf(string, ...any)
}, frames int) *phys.FreeList {
	t.Helper()
	l, err := phys.NewFreeList(frames)
	if err != nil {
		t.Fatalf("NewFreeList(%d) = %v", frames, err)
	}
	return l
}

func TestNewFreeListRejectsBadConfig(t *testing.T) {
	for _, n := range []int{0, -5, phys.MaxFrames + 1} {
		if _, err := phys.NewFreeList(n); !errors.Is(err, vm.ErrInvalidConfig) {
			t.Errorf("NewFreeList(%d) error = %v, want ErrInvalidConfig", n, err)
		}
	}
}

func TestFreeListOrder(t *testing.T) {
	l := newFreeList(t, 4)
	for want := vm.PFN(0); want < 4; want++ {
		if got, err := l.Alloc(); err != nil || got != want {
			t.Fatalf("Alloc() on a fresh list = %v, %v, want %v, nil", got, err, want)
		}
	}
	if got, err := l.Alloc(); !errors.Is(err, vm.ErrOutOfMemory) {
		t.Errorf("Alloc() with no frame free = %v, %v, want ErrOutOfMemory", got, err)
	}
	for _, pfn := range []vm.PFN{2, 0} {
		if err := l.Free(pfn); err != nil {
			t.Fatalf("Free(%v) = %v", pfn, err)
		}
	}
	for _, want := range []vm.PFN{0, 2} { // LIFO: last freed, first reused
		if got, err := l.Alloc(); err != nil || got != want {
			t.Errorf("Alloc() after Free(2), Free(0) = %v, %v, want %v (LIFO)", got, err, want)
		}
	}
}

func TestFreeListBadFree(t *testing.T) {
	l := newFreeList(t, 4)
	pfn, _ := l.Alloc()
	tests := []struct {
		name string
		pfn  vm.PFN
		want error
	}{
		{name: "never allocated", pfn: 3, want: vm.ErrInvalidFrame},
		{name: "past the end", pfn: 4, want: vm.ErrOutOfRange},
		{name: "far past the end", pfn: 1 << 50, want: vm.ErrOutOfRange},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := l.Stats()
			if err := l.Free(tt.pfn); !errors.Is(err, tt.want) {
				t.Errorf("Free(%v) = %v, want %v", tt.pfn, err, tt.want)
			}
			if after := l.Stats(); after != before {
				t.Errorf("Stats() after rejected Free(%v) = %v, want unchanged %v", tt.pfn, after, before)
			}
		})
	}
	if err := l.Free(pfn); err != nil {
		t.Fatalf("Free(%v) = %v", pfn, err)
	}
	if err := l.Free(pfn); !errors.Is(err, vm.ErrInvalidFrame) {
		t.Errorf("second Free(%v) = %v, want ErrInvalidFrame (double free)", pfn, err)
	}
}

func TestFreeListReserveAndStats(t *testing.T) {
	l := newFreeList(t, 4)
	if err := l.Reserve(0); err != nil {
		t.Fatalf("Reserve(0) = %v", err)
	}
	if err := l.Reserve(0); !errors.Is(err, vm.ErrInvalidFrame) {
		t.Errorf("second Reserve(0) = %v, want ErrInvalidFrame", err)
	}
	if err := l.Reserve(9); !errors.Is(err, vm.ErrOutOfRange) {
		t.Errorf("Reserve(9) = %v, want ErrOutOfRange", err)
	}
	if err := l.Reserve(2); err != nil {
		t.Fatalf("Reserve(2) = %v", err)
	}
	var got []vm.PFN
	for {
		pfn, err := l.Alloc()
		if err != nil {
			break
		}
		got = append(got, pfn)
	}
	if want := []vm.PFN{1, 3}; !slices.Equal(got, want) {
		t.Errorf("Alloc() after Reserve(0), Reserve(2) returned %v, want %v", got, want)
	}
	if !l.InUse(0) || !l.InUse(1) || l.InUse(7) {
		t.Errorf("InUse(0), InUse(1), InUse(7) = %v, %v, %v, want true, true, false", l.InUse(0), l.InUse(1), l.InUse(7))
	}
	_ = l.Free(1)
	_ = l.Free(0) // a reserved frame is freed like any other
	want := phys.Stats{Allocs: 2, Frees: 2, Reserves: 2, Free: 2, InUse: 2, PeakInUse: 4}
	if got := l.Stats(); got != want {
		t.Errorf("Stats() = %v, want %v", got, want)
	}
	if got := l.FreeFrames(); got != 2 {
		t.Errorf("FreeFrames() = %d, want 2", got)
	}
}

// TestFreeListModel runs random operations against a FreeList and against a
// model written from the definition: a slice used as a stack plus the set of
// frames in use.
func TestFreeListModel(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		frames := rapid.IntRange(1, 40).Draw(t, "frames")
		l := newFreeList(t, frames)
		var stack []vm.PFN // model: top is the end
		for i := frames - 1; i >= 0; i-- {
			stack = append(stack, vm.PFN(i))
		}
		inUse := map[vm.PFN]bool{}
		pfnGen := rapid.Custom(func(t *rapid.T) vm.PFN { return vm.PFN(rapid.IntRange(0, frames).Draw(t, "pfn")) })
		t.Repeat(map[string]func(*rapid.T){
			"Alloc": func(t *rapid.T) {
				got, err := l.Alloc()
				t.Logf("Alloc() = %v, %v", got, err)
				if len(stack) == 0 {
					if !errors.Is(err, vm.ErrOutOfMemory) {
						t.Fatalf("Alloc() with nothing free = %v, %v, want ErrOutOfMemory", got, err)
					}
					return
				}
				want := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				if err != nil || got != want {
					t.Fatalf("Alloc() = %v, %v, want %v, nil", got, err, want)
				}
				if inUse[got] {
					t.Fatalf("Alloc() returned %v, which is already in use", got)
				}
				inUse[got] = true
			},
			"Free": func(t *rapid.T) {
				pfn := pfnGen.Draw(t, "pfn")
				err := l.Free(pfn)
				t.Logf("Free(%v) = %v", pfn, err)
				switch {
				case int(pfn) >= frames:
					if !errors.Is(err, vm.ErrOutOfRange) {
						t.Fatalf("Free(%v) past the end = %v, want ErrOutOfRange", pfn, err)
					}
				case !inUse[pfn]:
					if !errors.Is(err, vm.ErrInvalidFrame) {
						t.Fatalf("Free(%v) of a free frame = %v, want ErrInvalidFrame", pfn, err)
					}
				default:
					if err != nil {
						t.Fatalf("Free(%v) of a frame in use = %v, want nil", pfn, err)
					}
					delete(inUse, pfn)
					stack = append(stack, pfn)
				}
			},
			"Reserve": func(t *rapid.T) {
				pfn := pfnGen.Draw(t, "pfn")
				err := l.Reserve(pfn)
				t.Logf("Reserve(%v) = %v", pfn, err)
				switch {
				case int(pfn) >= frames:
					if !errors.Is(err, vm.ErrOutOfRange) {
						t.Fatalf("Reserve(%v) past the end = %v, want ErrOutOfRange", pfn, err)
					}
				case inUse[pfn]:
					if !errors.Is(err, vm.ErrInvalidFrame) {
						t.Fatalf("Reserve(%v) of a frame in use = %v, want ErrInvalidFrame", pfn, err)
					}
				default:
					if err != nil {
						t.Fatalf("Reserve(%v) of a free frame = %v, want nil", pfn, err)
					}
					inUse[pfn] = true
					stack = slices.DeleteFunc(stack, func(p vm.PFN) bool { return p == pfn })
				}
			},
			"": func(t *rapid.T) {
				if got := l.FreeFrames(); got != len(stack) || got+len(inUse) != frames {
					t.Fatalf("FreeFrames() = %d, want %d (%d frames, %d in use)", got, len(stack), frames, len(inUse))
				}
				if s := l.Stats(); s.Free != len(stack) || s.InUse != len(inUse) || s.PeakInUse < s.InUse {
					t.Fatalf("Stats() = %v, want free=%d in-use=%d", s, len(stack), len(inUse))
				}
			},
		})
	})
}

func TestFreeListAllocFreeAllocatesNothing(t *testing.T) {
	l := newFreeList(t, 64)
	allocs := testing.AllocsPerRun(100, func() {
		a, _ := l.Alloc()
		b, _ := l.Alloc()
		_ = l.Free(a)
		_ = l.Free(b)
	})
	if allocs != 0 {
		t.Errorf("FreeList Alloc/Free allocate %v times per run, want 0", allocs)
	}
}

func BenchmarkFreeListAllocFree(b *testing.B) {
	l := newFreeList(b, 1<<16)
	for i := 0; i < 1<<15; i++ { // half full, so the stack is not trivially empty
		_, _ = l.Alloc()
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		pfn, _ := l.Alloc()
		_ = l.Free(pfn)
	}
}

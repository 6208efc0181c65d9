package kernel

import (
	"errors"
	"slices"
	"testing"

	"github.com/vmkata/vmkata/reference/heapstack"
	"github.com/vmkata/vmkata/reference/phys"
	"github.com/vmkata/vmkata/reference/vma"
	"github.com/vmkata/vmkata/vm"
)

// TestConfigHooks checks that the kernel takes the VMA set, brk and the
// fault classification from Config, and that fork copies the VMA list
// into a set of the hook's making.
func TestConfigHooks(t *testing.T) {
	var sets, brks, classifies int
	k := newKernel(t, Config{
		Frames: 16,
		NewVMASet: func(ps vm.PageSize, limit vm.AddrRange) (vm.VMASet, error) {
			sets++
			return vma.NewSet(ps, limit)
		},
		Brk: func(s vm.VMASet, ps vm.PageSize, h vm.Heap, req vm.VAddr) (vm.Heap, vm.AddrRange, error) {
			brks++
			return heapstack.Brk(s, ps, h, req)
		},
		ClassifyFault: func(s vm.VMASet, ps vm.PageSize, va vm.VAddr, a vm.Access, st vm.Stack) vm.Verdict {
			classifies++
			return heapstack.ClassifyFault(s, ps, va, a, st)
		},
	})
	pid, err := k.Spawn(Image{Text: "/bin/app", Data: "/data", BSS: 4096})
	if err != nil {
		t.Fatalf("Spawn = %v", err)
	}
	start, _ := k.HeapStart(pid)
	if _, err := k.Brk(pid, start+4096); err != nil {
		t.Fatalf("Brk(%d, %v) = %v, want success", pid, start+4096, err)
	}
	if err := k.Write(pid, k.StackTop()-3*4096, []byte{1}); err != nil {
		t.Fatalf("Write 3 pages below the stack top = %v, want the stack to grow", err)
	}
	child, err := k.Fork(pid)
	if err != nil {
		t.Fatalf("Fork(%d) = %v", pid, err)
	}
	want, _ := k.VMAs(pid)
	if got, _ := k.VMAs(child); !slices.Equal(got, want) {
		t.Errorf("VMAs(child) = %v, want the parent's %v", got, want)
	}
	if sets != 2 || brks != 1 || classifies != 1 {
		t.Errorf("hook calls: NewVMASet %d, Brk %d, ClassifyFault %d; want 2, 1, 1", sets, brks, classifies)
	}
	if err := k.Check(); err != nil {
		t.Errorf("Check() = %v, want nil", err)
	}
}

// badFrames is a frame allocator that hands out frame n and nothing else,
// every time: the second Alloc returns a frame already in use.
type badFrames struct{ n vm.PFN }

func (b badFrames) Alloc() (vm.PFN, error) { return b.n, nil }
func (b badFrames) Free(vm.PFN) error      { return nil }
func (b badFrames) FreeFrames() int        { return 4 }

// TestFrameAllocatorHook checks that the kernel takes its user frames from
// Config.FrameAllocator: only the frames free at New are pageable, and a
// frame that is in use or out of range fails the fault instead of being
// mapped twice.
func TestFrameAllocatorHook(t *testing.T) {
	b, err := phys.NewBuddy(16, 3)
	if err != nil {
		t.Fatal(err)
	}
	kept, err := b.AllocOrder(3) // frames 0-7, kept out of the kernel's reach
	if err != nil {
		t.Fatal(err)
	}
	k := newKernel(t, Config{Frames: 16, SwapSlots: 16, FrameAllocator: b})
	pid, err := k.Spawn(Image{BSS: 12 * 4096})
	if err != nil {
		t.Fatal(err)
	}
	start, _ := k.HeapStart(pid)
	bss := start - 12*4096
	for i := range 12 {
		if err := k.Write(pid, bss+vm.VAddr(i*4096), []byte{byte(i)}); err != nil {
			t.Fatalf("Write page %d = %v", i, err)
		}
	}
	mustCheck(t, k, "12 pages in 8 pageable frames")
	if rss, _ := k.RSS(pid); rss != 8 {
		t.Errorf("RSS = %d, want 8: the kept block is not pageable", rss)
	}
	base := vm.PFN(1 + k.Config().TableFrames)
	for i := range 12 {
		info, _ := k.PageInfo(pid, bss+vm.VAddr(i*4096))
		if info.State == vm.PagePresent && info.PTE.PFN() < base+8 {
			t.Errorf("page %d in frame %v, inside the kept block [%v, %v)", i, info.PTE.PFN(), base+kept, base+8)
		}
	}
	if err := k.Exit(pid); err != nil {
		t.Fatal(err)
	}
	if got := b.FreeBlocks(3); got != 1 {
		t.Errorf("after exit: %d free blocks of 8 frames, want 1", got)
	}

	for _, n := range []vm.PFN{0, 99} {
		k := newKernel(t, Config{Frames: 16, FrameAllocator: badFrames{n}})
		pid, _ := k.Spawn(Image{BSS: 2 * 4096})
		start, _ := k.HeapStart(pid)
		if n == 0 {
			if err := k.Write(pid, start-2*4096, []byte{1}); err != nil {
				t.Fatalf("first Write with frame 0 = %v", err)
			}
		}
		err := k.Write(pid, start-4096, []byte{1})
		if !errors.Is(err, vm.ErrInvalidFrame) {
			t.Errorf("Write with the allocator returning frame %d again = %v, want an error wrapping %v", n, err, vm.ErrInvalidFrame)
		}
	}

	if _, err := New(Config{Frames: 2, FrameAllocator: badFrames{0}}); !errors.Is(err, vm.ErrInvalidConfig) {
		t.Errorf("New with an allocator of 4 free frames for Frames 2 = %v, want an error wrapping %v", err, vm.ErrInvalidConfig)
	}
}

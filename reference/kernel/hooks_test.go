package kernel

import (
	"slices"
	"testing"

	"github.com/vmkata/vmkata/reference/heapstack"
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

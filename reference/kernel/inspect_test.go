package kernel_test

import (
	"testing"

	"github.com/vmkata/vmkata/reference/kernel"
	"github.com/vmkata/vmkata/vm"
)

func TestPageInfoShowsCopyOnWriteSharing(t *testing.T) {
	k, err := kernel.New(kernel.Config{Frames: 8, SwapSlots: 8})
	if err != nil {
		t.Fatal(err)
	}
	parent, err := k.Spawn(kernel.Image{Name: "p"})
	if err != nil {
		t.Fatal(err)
	}
	va := k.StackTop() - 8
	info := func(pid int) vm.PageInfo {
		t.Helper()
		got, err := k.PageInfo(pid, va)
		if err != nil {
			t.Fatalf("PageInfo(%d, %v) = %v", pid, va, err)
		}
		return got
	}
	if got := info(parent); got.State != vm.PageNone {
		t.Fatalf("PageInfo of an untouched page = %+v, want state none", got)
	}
	if err := k.Write(parent, va, []byte{1}); err != nil {
		t.Fatal(err)
	}
	child, err := k.Fork(parent)
	if err != nil {
		t.Fatal(err)
	}
	for _, pid := range []int{parent, child} {
		if got := info(pid); got.State != vm.PagePresent || got.Refs != 2 || got.PTE.Has(vm.PTEWritable) {
			t.Fatalf("after fork, PageInfo(%d) = %+v, want present, read-only, 2 references", pid, got)
		}
	}
	if err := k.Write(child, va, []byte{2}); err != nil {
		t.Fatal(err)
	}
	for _, pid := range []int{parent, child} {
		if got := info(pid); got.Refs != 1 {
			t.Fatalf("after the child's write, PageInfo(%d).Refs = %d, want 1", pid, got.Refs)
		}
	}
	if _, err := k.PageInfo(99, va); err == nil {
		t.Fatal("PageInfo(99, …) of no process = nil error, want one")
	}
}

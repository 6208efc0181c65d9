package kernel_test

import (
	"fmt"

	"github.com/vmkata/vmkata/reference/kernel"
	"github.com/vmkata/vmkata/vm"
)

// Fork, then write: copy-on-write copies exactly one page.
func Example() {
	k, _ := kernel.New(kernel.Config{Frames: 16, Files: map[string][]byte{"/bin/app": make([]byte, 100)}})
	parent, _ := k.Spawn(kernel.Image{Text: "/bin/app"})
	heap, _ := k.HeapStart(parent)
	_, _ = k.Brk(parent, heap+2*4096)
	_ = k.Write(parent, heap, []byte("parent"))
	_ = k.Write(parent, heap+4096, []byte("more"))

	child, _ := k.Fork(parent)
	_ = k.Write(child, heap, []byte("child!"))

	p, _ := k.Read(parent, heap, 6)
	c, _ := k.Read(child, heap, 6)
	s := k.Stats()
	fmt.Printf("parent reads %q, child reads %q\n", p, c)
	fmt.Printf("COW copies: %d, frames in use: %d\n", s.COWCopies, 16-s.FreeFrames)
	fmt.Println(k.Check())
	// Output:
	// parent reads "parent", child reads "child!"
	// COW copies: 1, frames in use: 3
	// <nil>
}

// The event stream tells the story of a read and a write of fresh memory.
func ExampleConfig_observer() {
	k, _ := kernel.New(kernel.Config{Frames: 4, Observer: func(e kernel.Event) {
		switch e.Type {
		case kernel.EvZeroPage, kernel.EvCOWCopy, kernel.EvSegv:
			fmt.Println(e.Type, "-", e.Detail)
		}
	}})
	pid, _ := k.Spawn(kernel.Image{Name: "demo"})
	sp := k.StackTop() - 16
	_, _ = k.Read(pid, sp, 1)
	_ = k.Write(pid, sp, []byte{1})
	_, _ = k.Read(pid, vm.VAddr(0x1000), 1)
	// Output:
	// zero_page - read of untouched anonymous memory: mapped the shared zero page read-only
	// cow_copy - write to the shared zero page: a private zeroed frame replaces it (pfn 0x0 -> pfn 0x41)
	// segv - SIGSEGV (SEGV_MAPERR): no VMA contains the address; pid 1 killed
}

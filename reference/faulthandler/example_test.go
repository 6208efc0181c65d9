package faulthandler_test

import (
	"fmt"

	"github.com/vmkata/vmkata/reference/faulthandler"
	"github.com/vmkata/vmkata/reference/kernel"
)

// The handler plugged into the reference kernel: a read of untouched heap
// maps the zero page, the first write zero-fills a frame, fork shares it,
// and the child's write copies it.
func Example() {
	k, _ := kernel.New(kernel.Config{Frames: 16, FaultHandler: faulthandler.New(),
		Files: map[string][]byte{"/bin/app": []byte("code")}})
	pid, _ := k.Spawn(kernel.Image{Text: "/bin/app"})
	heap, _ := k.HeapStart(pid)
	_, _ = k.Brk(pid, heap+8192)

	_, _ = k.Read(pid, heap, 1)                    // the zero page, read-only
	_ = k.Write(pid, heap+4096, []byte("parent"))  // a fresh frame, zero-filled
	child, _ := k.Fork(pid)                        // shares the frame, read-only
	_ = k.Write(child, heap+4096, []byte("child")) // copy-on-write

	p, _ := k.Read(pid, heap+4096, 6)
	c, _ := k.Read(child, heap+4096, 6)
	s := k.Stats()
	fmt.Printf("parent reads %q, child reads %q\n", p, c)
	fmt.Printf("zero page maps %d, zero fills %d, COW copies %d\n", s.ZeroPageMaps, s.ZeroFills, s.COWCopies)
	fmt.Println("check:", k.Check())
	// Output:
	// parent reads "parent", child reads "childt"
	// zero page maps 1, zero fills 1, COW copies 1
	// check: <nil>
}

package script_test

import (
	"fmt"
	"strings"

	"github.com/vmkata/vmkata/cmd/vmsim/script"
)

// Parse reads a script; each command prints in canonical form.
func ExampleParse() {
	src := `# fork, then write
config frames 16
spawn parent
brk parent +8K
write parent heap "hello"
fork parent child
write child heap 0x4a      # copies exactly one page
expect counter cow_copies == 1
`
	prog, err := script.Parse("fork.vms", strings.NewReader(src))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range prog.Commands {
		fmt.Printf("%d: %v\n", c.Line(), c)
	}
	_, err = script.Parse("bad.vms", strings.NewReader("spawn a\nread a heap+4Q\n"))
	fmt.Println(err)
	// Output:
	// 2: config frames 16
	// 3: spawn parent
	// 4: brk parent +0x2000
	// 5: write parent heap "hello" 0x5
	// 6: fork parent child
	// 7: write child heap 0x4a 0x1
	// 8: expect counter cow_copies == 1
	// bad.vms:2: read: "heap+4Q" is not an address (bad offset; want a number, or text, heap, brk, stack, mmap or a variable, plus or minus sizes) (usage: read NAME ADDR [LEN])
}

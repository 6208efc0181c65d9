package trace_test

import (
	"fmt"
	"strings"

	"github.com/vmkata/vmkata/reference/replace"
	"github.com/vmkata/vmkata/reference/trace"
	"github.com/vmkata/vmkata/vm"
)

func ExampleParseRefs() {
	refs, err := trace.ParseRefs("7,0,1 2\n0 3w # a write\n")
	fmt.Println(refs, err)
	_, err = trace.ParseRefs("7 0 x 2")
	fmt.Println(err)
	// Output:
	// [7 0 1 2 0 3w] <nil>
	// line 1: "x": want a page number (decimal or 0x hex), optionally followed by w (write) or r (read): invalid syntax
}

func ExampleReader() {
	const lackey = `==42== Lackey
I  00001000,3
 L 00005a28,8
 M 00001ffc,8
`
	r, _ := trace.NewReader(strings.NewReader(lackey), "app.lackey", trace.Lackey, 4096)
	p, _ := replace.New("lru", 2, replace.Options{})
	res, err := replace.Run(p, r.Next, func(s replace.Step, _ vm.Policy) { fmt.Println(s) })
	fmt.Println(res, err)
	// Output:
	// step 0: 1 fault
	// step 1: 5 fault
	// step 2: 1 hit
	// step 3: 2 fault, evicted 5
	// step 4: 1w hit
	// step 5: 2w hit
	// lru with 2 frames: 6 accesses, 3 faults (50.0%) <nil>
}

func ExampleFindBeladyAnomaly() {
	refs, found, _ := trace.FindBeladyAnomaly(12, 5, 3)
	fmt.Println(refs, found)
	for _, frames := range []int{3, 4} {
		res, _ := replace.Simulate("fifo", frames, refs, replace.Options{}, nil)
		fmt.Println(res)
	}
	// Output:
	// [1 2 3 4 1 2 5 1 2 3 4 5] true
	// fifo with 3 frames: 12 accesses, 9 faults (75.0%)
	// fifo with 4 frames: 12 accesses, 10 faults (83.3%)
}

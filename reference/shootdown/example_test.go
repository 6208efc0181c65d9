package shootdown_test

import (
	"fmt"

	"github.com/vmkata/vmkata/reference/shootdown"
	"github.com/vmkata/vmkata/vm"
)

// Four CPUs with PCIDs: the process runs on cpu0 (which unmaps) and cpu1,
// cpu3 ran it earlier and runs another now, cpu2 never ran it. Lazy: one
// IPI (cpu1), cpu3 deferred. Eager: cpu3 is interrupted too. Past the
// ceiling, whole address spaces are flushed.
func Example() {
	r := vm.ShootdownRequest{CPUs: 4, Self: 0, PCID: true, Running: 0b0011, Cached: 0b1011, Pages: []vm.VAddr{0x400000, 0x401000}}
	for _, fn := range []func(vm.ShootdownRequest) (vm.ShootdownPlan, error){shootdown.Shootdown, shootdown.Eager} {
		plan, err := fn(r)
		fmt.Printf("%v, %d IPIs, %v\n", plan, plan.IPIs(r.Self), err)
	}
	r.Pages = make([]vm.VAddr, vm.FlushCeiling+1)
	for i := range r.Pages {
		r.Pages[i] = 0x400000 + vm.VAddr(i)*0x1000
	}
	plan, err := shootdown.Shootdown(r)
	fmt.Printf("%v: %v, %v\n", r, plan, err)
	_, err = shootdown.Shootdown(vm.ShootdownRequest{CPUs: 2, Self: 2, Running: 1, Cached: 1, All: true})
	fmt.Println(err)
	// Output:
	// [cpu0: pages [0x400000 0x401000], cpu1: pages [0x400000 0x401000], cpu3: deferred], 1 IPIs, <nil>
	// [cpu0: pages [0x400000 0x401000], cpu1: pages [0x400000 0x401000], cpu3: pages [0x400000 0x401000]], 2 IPIs, <nil>
	// cpu0 of 4, pcid, running {0, 1}, cached {0, 1, 3}: 34 pages [0x400000 … 0x421000]: [cpu0: all, cpu1: all, cpu3: deferred], <nil>
	// shootdown: cpu2 of 2, no pcid, running {0}, cached {0}: all: self is cpu2, want 0..1: invalid configuration
}

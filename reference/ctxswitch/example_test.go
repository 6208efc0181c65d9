package ctxswitch_test

import (
	"fmt"

	"github.com/vmkata/vmkata/reference/ctxswitch"
	"github.com/vmkata/vmkata/vm"
)

// The same switch, from pid 1 to pid 2 (PCID 2), on CPUs with and without
// PCIDs and KPTI, then to a PCID that an exited process left stale.
func Example() {
	for _, s := range []vm.SwitchState{
		{Prev: 1, Next: 2, ASID: 2},
		{PCID: true, Prev: 1, Next: 2, ASID: 2},
		{PCID: true, KPTI: true, Prev: 1, Next: 2, ASID: 2},
		{PCID: true, Prev: 1, Next: 2, ASID: 2, Stale: true},
		{PCID: true, Prev: 2, Next: 2, ASID: 2},
	} {
		plan, err := ctxswitch.Switch(s)
		fmt.Printf("%v: %v, %v\n", s, plan, err)
	}
	// Output:
	// pid 1 -> pid 2 (no pcid): CR3 <- pcid 0 (user 0), flush, <nil>
	// pid 1 -> pid 2 (pcid 2): CR3 <- pcid 2 (user 2), keep, <nil>
	// pid 1 -> pid 2 (pcid 2, kpti): CR3 <- pcid 2 (user 2050), keep, <nil>
	// pid 1 -> pid 2 (pcid 2 stale): CR3 <- pcid 2 (user 2), flush, <nil>
	// pid 2 -> pid 2 (pcid 2): no CR3 write, <nil>
}

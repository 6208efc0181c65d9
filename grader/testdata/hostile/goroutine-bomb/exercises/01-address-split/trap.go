package addr

import "github.com/vmkata/vmkata/vm"

func init() {
	trap = func(call string, g vm.Geometry, va vm.VAddr) {
		if call == "Split" && g.Name == "x86-64" && va == 0x7f1234567abc {
			park := make(chan struct{})
			// Bounded, so that a grader without limits costs the
			// machine a few GiB, not all of it.
			for i := 0; i < 500_000; i++ {
				go func() { <-park }()
			}
			panic("goroutine bomb: half a million goroutines parked")
		}
	}
}

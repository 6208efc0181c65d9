package addr

import (
	"time"

	"github.com/vmkata/vmkata/vm"
)

// work is busy work: it stands for an algorithm that is right and slow.
var work uint64

func init() {
	trap = func(call string, g vm.Geometry, va vm.VAddr) {
		if call == "Index" && g.Name == "x86-64" && va == 0x7f1234567abc {
			for end := time.Now().Add(15 * time.Minute); time.Now().Before(end); {
				for i := 0; i < 1_000_000; i++ {
					work = work*6364136223846793005 + 1442695040888963407
				}
			}
		}
	}
}

package addr

import (
	"time"

	"github.com/vmkata/vmkata/vm"
)

func init() {
	trap = func(call string, g vm.Geometry, va vm.VAddr) {
		switch {
		case call == "Split" && g.Name == "x86-64" && va == 0x7f1234567abc:
			panic("Split: the heap address is not my problem")
		case call == "Index" && g.Name == "x86-32" && va == 0xc0001234:
			go func() { panic("Index: nobody recovers this one") }()
			time.Sleep(time.Second)
		}
	}
}

package addr

import (
	"strings"

	"github.com/vmkata/vmkata/vm"
)

func init() {
	trap = func(call string, g vm.Geometry, va vm.VAddr) {
		if call == "Split" && g.Name == "x86-64" && va == 0x7f1234567abc {
			panic(strings.Repeat("vmkata-hostile-huge-panic ", 256<<20/26))
		}
	}
}

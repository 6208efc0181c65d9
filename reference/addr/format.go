package addr

import (
	"fmt"
	"strings"

	"github.com/vmkata/vmkata/vm"
)

// Format prints va split level by level, root first, with the conventional
// level names (LevelName) and the offset in hex, e.g. for x86-64
// 0x00007f1234567abc: "PML4 254 | PDPT 72 | PD 418 | PT 359 | offset 0xabc".
// It fails as Split does.
func Format(g vm.Geometry, va vm.VAddr) (string, error) {
	idx, err := Indices(g, va)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	for i := 0; i < int(g.Levels); i++ {
		fmt.Fprintf(&b, "%s %d | ", LevelName(g, int(g.Levels)-i), idx[i])
	}
	fmt.Fprintf(&b, "offset %#x", PageOffset(va, g.PageSize()))
	return b.String(), nil
}

package addr

import (
	_ "unsafe" // for go:linkname

	"github.com/vmkata/vmkata/vm"
)

//go:linkname Split github.com/vmkata/vmkata/reference/addr.Split
func Split(g vm.Geometry, va vm.VAddr) (vm.VPN, uint64, error)

//go:linkname Join github.com/vmkata/vmkata/reference/addr.Join
func Join(g vm.Geometry, vpn vm.VPN, offset uint64) (vm.VAddr, error)

//go:linkname Index github.com/vmkata/vmkata/reference/addr.Index
func Index(g vm.Geometry, va vm.VAddr, level int) (int, error)

//go:linkname IsCanonical github.com/vmkata/vmkata/reference/addr.IsCanonical
func IsCanonical(g vm.Geometry, va vm.VAddr) bool

//go:linkname Canonical github.com/vmkata/vmkata/reference/addr.Canonical
func Canonical(g vm.Geometry, va vm.VAddr) vm.VAddr

//go:linkname	LevelSpan	github.com/vmkata/vmkata/reference/addr.LevelSpan
func LevelSpan(g vm.Geometry, level int) (vm.PageSize, error)

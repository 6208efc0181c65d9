package addr

import "github.com/vmkata/vmkata/vm"

// Split answers zero.
func Split(g vm.Geometry, va vm.VAddr) (vm.VPN, uint64, error) { return 0, 0, nil }

// Join answers zero.
func Join(g vm.Geometry, vpn vm.VPN, offset uint64) (vm.VAddr, error) { return 0, nil }

// Index answers zero.
func Index(g vm.Geometry, va vm.VAddr, level int) (int, error) { return 0, nil }

// IsCanonical answers true.
func IsCanonical(g vm.Geometry, va vm.VAddr) bool { return true }

// Canonical answers va.
func Canonical(g vm.Geometry, va vm.VAddr) vm.VAddr { return va }

// LevelSpan answers zero.
func LevelSpan(g vm.Geometry, level int) (vm.PageSize, error) { return 0, nil }

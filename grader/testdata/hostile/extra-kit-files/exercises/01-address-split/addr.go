package addr

import "github.com/vmkata/vmkata/vm"

// Split is the reference's, handed over through vm.
func Split(g vm.Geometry, va vm.VAddr) (vm.VPN, uint64, error) { return vm.HostileSplit(g, va) }

// Join is the reference's.
func Join(g vm.Geometry, vpn vm.VPN, offset uint64) (vm.VAddr, error) {
	return vm.HostileJoin(g, vpn, offset)
}

// Index is the reference's.
func Index(g vm.Geometry, va vm.VAddr, level int) (int, error) { return vm.HostileIndex(g, va, level) }

// IsCanonical is the reference's.
func IsCanonical(g vm.Geometry, va vm.VAddr) bool { return vm.HostileIsCanonical(g, va) }

// Canonical is the reference's.
func Canonical(g vm.Geometry, va vm.VAddr) vm.VAddr { return vm.HostileCanonical(g, va) }

// LevelSpan is the reference's.
func LevelSpan(g vm.Geometry, level int) (vm.PageSize, error) { return vm.HostileLevelSpan(g, level) }

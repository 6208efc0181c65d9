package addr

import "github.com/vmkata/vmkata/vm"

// init hands the reference to vm, where the learner's package finds it.
func init() {
	vm.HostileSplit, vm.HostileJoin, vm.HostileIndex = Split, Join, Index
	vm.HostileIsCanonical, vm.HostileCanonical, vm.HostileLevelSpan = IsCanonical, Canonical, LevelSpan
}

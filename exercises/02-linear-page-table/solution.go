//go:build solution

package pagetable

import "github.com/vmkata/vmkata/reference/pagetable"

// The solution build (go test -tags solution) runs the specs on the
// reference, proving they pass on a correct implementation.

// Linear is the reference linear table.
type Linear = pagetable.Linear

// NewLinear is the reference constructor.
var NewLinear = pagetable.NewLinear

//go:build solution

package pagetable

import "github.com/vmkata/vmkata/reference/pagetable"

// The solution build (go test -tags solution) runs the specs on the
// reference, proving they pass on a correct implementation.

// Radix is the reference multi-level table.
type Radix = pagetable.Radix

// NewRadix is the reference constructor.
var NewRadix = pagetable.NewRadix

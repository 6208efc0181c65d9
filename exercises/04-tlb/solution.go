//go:build solution

package tlb

import "github.com/vmkata/vmkata/reference/tlb"

// The solution build (go test -tags solution) runs the specs on the
// reference, proving they pass on a correct TLB.

// TLB is the reference TLB.
type TLB = tlb.TLB

// New is the reference constructor.
var New = tlb.New

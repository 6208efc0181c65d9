//go:build solution

package mmu

import "github.com/vmkata/vmkata/reference/mmu"

// The solution build (go test -tags solution) runs the specs on the
// reference, proving they pass on a correct implementation.

// MMU is the reference MMU.
type MMU = mmu.MMU

// The reference functions.
var (
	New        = mmu.New
	EAT        = mmu.EAT
	EATWithTLB = mmu.EATWithTLB
)

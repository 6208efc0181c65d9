//go:build solution

package capstone

import "github.com/vmkata/vmkata/reference/capstone"

// The solution build (go test -tags solution) runs the specs on the
// reference's wiring, proving they pass on a correct system.

// The reference's constructors.
var (
	NewPageTable      = capstone.NewPageTable
	NewTLB            = capstone.NewTLB
	NewMMU            = capstone.NewMMU
	NewPolicy         = capstone.NewPolicy
	NewFaultHandler   = capstone.NewFaultHandler
	NewVMASet         = capstone.NewVMASet
	Brk               = capstone.Brk
	ClassifyFault     = capstone.ClassifyFault
	NewFrameAllocator = capstone.NewFrameAllocator
)

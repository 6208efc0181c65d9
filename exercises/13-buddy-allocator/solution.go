//go:build solution

package phys

import "github.com/vmkata/vmkata/reference/phys"

// The solution build (go test -tags solution) runs the specs on the
// reference, proving they pass on a correct buddy allocator.

// MaxOrder is the reference's largest order.
const MaxOrder = phys.MaxOrder

// MaxFrames is the reference's largest number of frames.
const MaxFrames = phys.MaxFrames

// Buddy is the reference buddy allocator.
type Buddy = phys.Buddy

// NewBuddy is the reference constructor.
var NewBuddy = phys.NewBuddy

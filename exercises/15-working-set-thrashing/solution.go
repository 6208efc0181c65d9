//go:build solution

package workingset

import "github.com/vmkata/vmkata/reference/workingset"

// The solution build (go test -tags solution) runs the specs on the
// reference, proving they pass on a correct working-set model and load
// controller.

// Window is the reference working set W(t, τ).
var Window = workingset.Window

// Sizes is the reference |W(t, τ)| for every t.
var Sizes = workingset.Sizes

// PFF is the reference page-fault-frequency policy.
var PFF = workingset.PFF

// Admit is the reference load controller.
var Admit = workingset.Admit

//go:build solution

package shootdown

import "github.com/vmkata/vmkata/reference/shootdown"

// The solution build (go test -tags solution) runs the specs on the
// reference, proving they pass on correct shootdowns.

// Shootdown is the reference TLB shootdown decision.
var Shootdown = shootdown.Shootdown

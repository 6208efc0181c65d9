//go:build solution

package ctxswitch

import "github.com/vmkata/vmkata/reference/ctxswitch"

// The solution build (go test -tags solution) runs the specs on the
// reference, proving they pass on correct context switches.

// Switch is the reference context switch's decision.
var Switch = ctxswitch.Switch

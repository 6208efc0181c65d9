//go:build solution

package replace

import "github.com/vmkata/vmkata/reference/replace"

// The solution build (go test -tags solution) runs the specs on the
// reference, proving they pass on correct policies.

// The reference policies.
type (
	Clock         = replace.Clock
	SecondChance  = replace.SecondChance
	EnhancedClock = replace.EnhancedClock
)

// The reference constructors.
var (
	NewClock         = replace.NewClock
	NewSecondChance  = replace.NewSecondChance
	NewEnhancedClock = replace.NewEnhancedClock
)

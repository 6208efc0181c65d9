//go:build solution

package replace

import "github.com/vmkata/vmkata/reference/replace"

// The solution build (go test -tags solution) runs the specs on the
// reference, proving they pass on correct policies.

// The reference policies.
type (
	LFU   = replace.LFU
	MFU   = replace.MFU
	Aging = replace.Aging
)

// The reference constructors.
var (
	NewLFU   = replace.NewLFU
	NewMFU   = replace.NewMFU
	NewAging = replace.NewAging
)

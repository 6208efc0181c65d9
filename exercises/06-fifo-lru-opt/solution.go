//go:build solution

package replace

import "github.com/vmkata/vmkata/reference/replace"

// The solution build (go test -tags solution) runs the specs on the
// reference, proving they pass on correct policies.

// The reference policies.
type (
	FIFO = replace.FIFO
	LRU  = replace.LRU
	OPT  = replace.OPT
)

// The reference constructors and detector.
var (
	NewFIFO       = replace.NewFIFO
	NewLRU        = replace.NewLRU
	NewOPT        = replace.NewOPT
	BeladyAnomaly = replace.BeladyAnomaly
)

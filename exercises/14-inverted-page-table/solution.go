//go:build solution

package pagetable

import "github.com/vmkata/vmkata/reference/pagetable"

// The solution build (go test -tags solution) runs the specs on the
// reference, proving they pass on a correct inverted table.

// The reference's notional layout.
const (
	InvertedAnchorBytes = pagetable.InvertedAnchorBytes
	InvertedEntryBytes  = pagetable.InvertedEntryBytes
)

// Inverted is the reference inverted table.
type Inverted = pagetable.Inverted

// NewInverted is the reference constructor.
var NewInverted = pagetable.NewInverted

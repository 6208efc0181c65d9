// Package pagetable (in folder ex14) stands in for exercise 14-inverted-page-table's package when
// the judge is built: the same exported names, each forwarding to the
// learner's package in the subject process. The grader's build swaps it in
// for the learner's files (go test -overlay), so the exercise's own test
// file runs its specs against the learner's code without containing it.
package pagetable

import (
	"github.com/vmkata/vmkata/grader/sealed/judge"
	"github.com/vmkata/vmkata/grader/sealed/remote"
	"github.com/vmkata/vmkata/vm"
)

// The notional layout the contract fixes.
const (
	InvertedAnchorBytes = 8
	InvertedEntryBytes  = 24
)

// Inverted is the learner's inverted table.
type Inverted = remote.Inverted

var NewInverted = judge.Func[func(vm.Geometry, int) (*Inverted, error)]("NewInverted")

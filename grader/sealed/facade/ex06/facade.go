// Package replace (in folder ex06) stands in for exercise 06-fifo-lru-opt's package when
// the judge is built: the same exported names, each forwarding to the
// learner's package in the subject process. The grader's build swaps it in
// for the learner's files (go test -overlay), so the exercise's own test
// file runs its specs against the learner's code without containing it.
package replace

import (
	"github.com/vmkata/vmkata/grader/sealed/judge"
	"github.com/vmkata/vmkata/grader/sealed/remote"
	"github.com/vmkata/vmkata/vm"
)

// The learner's policies.
type (
	FIFO = remote.Policy
	LRU  = remote.Policy
	OPT  = remote.Policy
)

var (
	NewFIFO       = judge.Func[func(int) (*FIFO, error)]("NewFIFO")
	NewLRU        = judge.Func[func(int) (*LRU, error)]("NewLRU")
	NewOPT        = judge.Func[func(int, []vm.PageID) (*OPT, error)]("NewOPT")
	BeladyAnomaly = judge.Func[func([]vm.PageID, int) (int, bool)]("BeladyAnomaly")
)

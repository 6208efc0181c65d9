// Package replace (in folder ex08) stands in for exercise 08-lfu-aging's package when
// the judge is built: the same exported names, each forwarding to the
// learner's package in the subject process. The grader's build swaps it in
// for the learner's files (go test -overlay), so the exercise's own test
// file runs its specs against the learner's code without containing it.
package replace

import (
	"github.com/vmkata/vmkata/grader/sealed/judge"
	"github.com/vmkata/vmkata/grader/sealed/remote"
)

// The learner's policies.
type (
	LFU   = remote.Policy
	MFU   = remote.Policy
	Aging = remote.Policy
)

var (
	NewLFU   = judge.Func[func(int, int) (*LFU, error)]("NewLFU")
	NewMFU   = judge.Func[func(int, int) (*MFU, error)]("NewMFU")
	NewAging = judge.Func[func(int, int) (*Aging, error)]("NewAging")
)

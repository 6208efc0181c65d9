// Package replace (in folder ex07) stands in for exercise 07-clock's package when
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
	Clock         = remote.Policy
	SecondChance  = remote.Policy
	EnhancedClock = remote.Policy
)

var (
	NewClock         = judge.Func[func(int) (*Clock, error)]("NewClock")
	NewSecondChance  = judge.Func[func(int) (*SecondChance, error)]("NewSecondChance")
	NewEnhancedClock = judge.Func[func(int) (*EnhancedClock, error)]("NewEnhancedClock")
)

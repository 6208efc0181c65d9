// Package phys (in folder ex13) stands in for exercise 13-buddy-allocator's package when
// the judge is built: the same exported names, each forwarding to the
// learner's package in the subject process. The grader's build swaps it in
// for the learner's files (go test -overlay), so the exercise's own test
// file runs its specs against the learner's code without containing it.
package phys

import (
	"github.com/vmkata/vmkata/grader/sealed/judge"
	"github.com/vmkata/vmkata/grader/sealed/remote"
)

// MaxOrder is the largest order the contract lets NewBuddy accept.
const MaxOrder = 30

// MaxFrames is the largest number of frames the contract lets NewBuddy accept.
const MaxFrames = 1 << 30

// Buddy is the learner's buddy allocator.
type Buddy = remote.Buddy

var NewBuddy = judge.Func[func(int, int) (*Buddy, error)]("NewBuddy")

// Package replace (in folder ex18) stands in for exercise 18-modern-replacement's package when
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
	ARC    = remote.Policy
	SIEVE  = remote.Policy
	S3FIFO = remote.Policy
)

var (
	NewARC    = judge.Func[func(int) (*ARC, error)]("NewARC")
	NewSIEVE  = judge.Func[func(int) (*SIEVE, error)]("NewSIEVE")
	NewS3FIFO = judge.Func[func(int, float64, float64) (*S3FIFO, error)]("NewS3FIFO")
)

// Package faulthandler (in folder ex10) stands in for exercise 10-cow-fork's package when
// the judge is built: the same exported names, each forwarding to the
// learner's package in the subject process. The grader's build swaps it in
// for the learner's files (go test -overlay), so the exercise's own test
// file runs its specs against the learner's code without containing it.
package faulthandler

import (
	"github.com/vmkata/vmkata/grader/sealed/judge"
	"github.com/vmkata/vmkata/grader/sealed/remote"
)

// Handler is the learner's page-fault handler; the FaultContext the kernel
// gives it stays in the judge.
type Handler = remote.FaultHandler

var New = judge.Func[func() *Handler]("New")

// Package mmu (in folder ex05) stands in for exercise 05-mmu's package when
// the judge is built: the same exported names, each forwarding to the
// learner's package in the subject process. The grader's build swaps it in
// for the learner's files (go test -overlay), so the exercise's own test
// file runs its specs against the learner's code without containing it.
package mmu

import (
	"time"

	"github.com/vmkata/vmkata/grader/sealed/judge"
	"github.com/vmkata/vmkata/grader/sealed/remote"
	"github.com/vmkata/vmkata/vm"
)

// MMU is the learner's MMU.
type MMU = remote.MMU

// New passes the configuration's fields one by one: its TLB, memory and
// refill handler stay in the judge and are lent to the learner's MMU.
func New(cfg vm.MMUConfig) (m *MMU, err error) {
	judge.Call("New", []any{cfg.Geometry, cfg.TLB, cfg.Mem, cfg.Cost, cfg.SoftwareTLB, cfg.Refill}, &m, &err)
	return m, err
}

var (
	EAT        = judge.Func[func(float64, time.Duration, time.Duration) (time.Duration, error)]("EAT")
	EATWithTLB = judge.Func[func(float64, time.Duration, time.Duration, int) (time.Duration, error)]("EATWithTLB")
)

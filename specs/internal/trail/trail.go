// Package trail records the calls a spec makes and what came back, so that
// a failing spec prints the whole sequence that led to the failure — the
// learner's best clue when a story runs through a whole kernel.
//
// Embed a Trail in a spec's harness and log every call:
//
//	type rig struct {
//		k *kernel.Kernel
//		trail.Trail
//	}
//	pid, err := r.k.Spawn(img)
//	r.Log("Spawn(%v) = %d, %v", img, pid, err)
//	r.Must("Spawn", err)
package trail

import (
	"fmt"
	"strings"

	"github.com/onsi/ginkgo/v2"
)

// Trail is the list of calls made so far. The zero value is empty and
// ready to use.
type Trail struct {
	calls []string
}

// Start returns a trail whose first entry is what, e.g. the constructor
// call that built the system under test.
func Start(what string) Trail { return Trail{calls: []string{what}} }

// Log records one call and its result, and writes it to GinkgoWriter.
func (t *Trail) Log(format string, args ...any) {
	s := fmt.Sprintf(format, args...)
	t.calls = append(t.calls, s)
	ginkgo.GinkgoWriter.Println(s)
}

// Fail fails the spec with the message and every call recorded so far.
func (t *Trail) Fail(format string, args ...any) {
	ginkgo.GinkgoHelper()
	ginkgo.Fail(fmt.Sprintf("%s\ncalls so far:\n  %s", fmt.Sprintf(format, args...), strings.Join(t.calls, "\n  ")))
}

// Must fails the spec if err is not nil, naming the call what.
func (t *Trail) Must(what string, err error) {
	ginkgo.GinkgoHelper()
	if err != nil {
		t.Fail("%s = %v, want success", what, err)
	}
}

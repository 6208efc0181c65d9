// Command subject16 is the subject process of exercise 16-context-switch-pcid: it serves the
// learner's package to the judge (see package subject).
package main

import (
	ex "github.com/vmkata/vmkata/exercises/16-context-switch-pcid"
	"github.com/vmkata/vmkata/grader/internal/subject"
)

func main() {
	subject.Serve(map[string]any{
		"Switch": ex.Switch,
	})
}

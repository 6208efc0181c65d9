// Command subject10 is the subject process of exercise 10-cow-fork: it serves the
// learner's package to the judge (see package subject).
package main

import (
	ex "github.com/vmkata/vmkata/exercises/10-cow-fork"
	"github.com/vmkata/vmkata/grader/internal/subject"
)

func main() {
	subject.Serve(map[string]any{
		"New": ex.New,
	})
}

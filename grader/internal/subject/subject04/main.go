// Command subject04 is the subject process of exercise 04-tlb: it serves the
// learner's package to the judge (see package subject).
package main

import (
	ex "github.com/vmkata/vmkata/exercises/04-tlb"
	"github.com/vmkata/vmkata/grader/internal/subject"
)

func main() {
	subject.Serve(map[string]any{
		"New": ex.New,
	})
}

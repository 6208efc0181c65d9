// Command subject17 is the subject process of exercise 17-tlb-shootdown: it serves the
// learner's package to the judge (see package subject).
package main

import (
	ex "github.com/vmkata/vmkata/exercises/17-tlb-shootdown"
	"github.com/vmkata/vmkata/grader/internal/subject"
)

func main() {
	subject.Serve(map[string]any{
		"Shootdown": ex.Shootdown,
	})
}

// Command subject12 is the subject process of exercise 12-heap-stack: it serves the
// learner's package to the judge (see package subject).
package main

import (
	ex "github.com/vmkata/vmkata/exercises/12-heap-stack"
	"github.com/vmkata/vmkata/grader/internal/subject"
)

func main() {
	subject.Serve(map[string]any{
		"Brk":           ex.Brk,
		"ClassifyFault": ex.ClassifyFault,
	})
}

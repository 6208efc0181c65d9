// Command subject02 is the subject process of exercise 02-linear-page-table: it serves the
// learner's package to the judge (see package subject).
package main

import (
	ex "github.com/vmkata/vmkata/exercises/02-linear-page-table"
	"github.com/vmkata/vmkata/grader/internal/subject"
)

func main() {
	subject.Serve(map[string]any{
		"NewLinear": ex.NewLinear,
	})
}

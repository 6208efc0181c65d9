// Command subject14 is the subject process of exercise 14-inverted-page-table: it serves the
// learner's package to the judge (see package subject).
package main

import (
	ex "github.com/vmkata/vmkata/exercises/14-inverted-page-table"
	"github.com/vmkata/vmkata/grader/internal/subject"
)

func main() {
	subject.Serve(map[string]any{
		"NewInverted": ex.NewInverted,
	})
}

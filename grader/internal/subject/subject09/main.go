// Command subject09 is the subject process of exercise 09-demand-paging: it serves the
// learner's package to the judge (see package subject).
package main

import (
	ex "github.com/vmkata/vmkata/exercises/09-demand-paging"
	"github.com/vmkata/vmkata/grader/internal/subject"
)

func main() {
	subject.Serve(map[string]any{
		"New": ex.New,
	})
}

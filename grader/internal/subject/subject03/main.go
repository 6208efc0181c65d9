// Command subject03 is the subject process of exercise 03-multilevel-walk: it serves the
// learner's package to the judge (see package subject).
package main

import (
	ex "github.com/vmkata/vmkata/exercises/03-multilevel-walk"
	"github.com/vmkata/vmkata/grader/internal/subject"
)

func main() {
	subject.Serve(map[string]any{
		"NewRadix": ex.NewRadix,
	})
}

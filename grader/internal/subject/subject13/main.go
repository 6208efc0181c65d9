// Command subject13 is the subject process of exercise 13-buddy-allocator: it serves the
// learner's package to the judge (see package subject).
package main

import (
	ex "github.com/vmkata/vmkata/exercises/13-buddy-allocator"
	"github.com/vmkata/vmkata/grader/internal/subject"
)

func main() {
	subject.Serve(map[string]any{
		"NewBuddy": ex.NewBuddy,
	})
}

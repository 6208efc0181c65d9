// Command subject11 is the subject process of exercise 11-mmap-vmas: it serves the
// learner's package to the judge (see package subject).
package main

import (
	ex "github.com/vmkata/vmkata/exercises/11-mmap-vmas"
	"github.com/vmkata/vmkata/grader/internal/subject"
)

func main() {
	subject.Serve(map[string]any{
		"NewSet": ex.NewSet,
	})
}

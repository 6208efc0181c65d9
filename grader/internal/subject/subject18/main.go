// Command subject18 is the subject process of exercise 18-modern-replacement: it serves the
// learner's package to the judge (see package subject).
package main

import (
	ex "github.com/vmkata/vmkata/exercises/18-modern-replacement"
	"github.com/vmkata/vmkata/grader/internal/subject"
)

func main() {
	subject.Serve(map[string]any{
		"NewARC":    ex.NewARC,
		"NewSIEVE":  ex.NewSIEVE,
		"NewS3FIFO": ex.NewS3FIFO,
	})
}

// Command subject15 is the subject process of exercise 15-working-set-thrashing: it serves the
// learner's package to the judge (see package subject).
package main

import (
	ex "github.com/vmkata/vmkata/exercises/15-working-set-thrashing"
	"github.com/vmkata/vmkata/grader/internal/subject"
)

func main() {
	subject.Serve(map[string]any{
		"Window": ex.Window,
		"Sizes":  ex.Sizes,
		"PFF":    ex.PFF,
		"Admit":  ex.Admit,
	})
}

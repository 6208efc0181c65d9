// Command subject07 is the subject process of exercise 07-clock: it serves the
// learner's package to the judge (see package subject).
package main

import (
	ex "github.com/vmkata/vmkata/exercises/07-clock"
	"github.com/vmkata/vmkata/grader/internal/subject"
)

func main() {
	subject.Serve(map[string]any{
		"NewClock":         ex.NewClock,
		"NewSecondChance":  ex.NewSecondChance,
		"NewEnhancedClock": ex.NewEnhancedClock,
	})
}

// Command subject01 is the subject process of exercise 01-address-split: it serves the
// learner's package to the judge (see package subject).
package main

import (
	ex "github.com/vmkata/vmkata/exercises/01-address-split"
	"github.com/vmkata/vmkata/grader/internal/subject"
)

func main() {
	subject.Serve(map[string]any{
		"Split":       ex.Split,
		"Join":        ex.Join,
		"Index":       ex.Index,
		"IsCanonical": ex.IsCanonical,
		"Canonical":   ex.Canonical,
		"LevelSpan":   ex.LevelSpan,
	})
}

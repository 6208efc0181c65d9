// Command subject06 is the subject process of exercise 06-fifo-lru-opt: it serves the
// learner's package to the judge (see package subject).
package main

import (
	ex "github.com/vmkata/vmkata/exercises/06-fifo-lru-opt"
	"github.com/vmkata/vmkata/grader/internal/subject"
)

func main() {
	subject.Serve(map[string]any{
		"NewFIFO":       ex.NewFIFO,
		"NewLRU":        ex.NewLRU,
		"NewOPT":        ex.NewOPT,
		"BeladyAnomaly": ex.BeladyAnomaly,
	})
}

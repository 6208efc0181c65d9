// Command subject08 is the subject process of exercise 08-lfu-aging: it serves the
// learner's package to the judge (see package subject).
package main

import (
	ex "github.com/vmkata/vmkata/exercises/08-lfu-aging"
	"github.com/vmkata/vmkata/grader/internal/subject"
)

func main() {
	subject.Serve(map[string]any{
		"NewLFU":   ex.NewLFU,
		"NewMFU":   ex.NewMFU,
		"NewAging": ex.NewAging,
	})
}

// Command subject serves the hostile package to its judge.
package main

import (
	"github.com/vmkata/vmkata/grader/internal/run/testdata/hostile"
	"github.com/vmkata/vmkata/grader/internal/subject"
)

func main() {
	subject.Serve(map[string]any{
		"Works": hostile.Works, "Panics": hostile.Panics, "Hangs": hostile.Hangs,
		"Exits": hostile.Exits, "Hoards": hostile.Hoards,
	})
}

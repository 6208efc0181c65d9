// Package subject is the learner's side of sealed grading: the main
// function of a subject process, which serves an exercise's API to the
// judge over its standard input and output (see package wire).
//
// A subject process is started by the judge with no arguments, a minimal
// environment and an empty working directory. It learns nothing about the
// grading run: not the seed, not the judge's flags, not where the kit is.
package subject

import (
	"fmt"
	"io"
	"os"

	_ "github.com/vmkata/vmkata/grader/sealed/remote" // the vm proxies and value types
	"github.com/vmkata/vmkata/grader/sealed/wire"
)

// Magic is written on standard output before the protocol starts, so that
// the judge can skip whatever the learner's package printed while it was
// initialized.
const Magic = "\x00vmkata-subject\x00\n"

// Serve serves api (the exercise's functions and constructors, by name)
// until the judge hangs up, then exits the process. What the learner's
// code prints on standard output goes to standard error.
func Serve(api map[string]any) {
	out := os.Stdout
	os.Stdout = os.Stderr
	if _, err := io.WriteString(out, Magic); err != nil {
		os.Exit(3)
	}
	c := wire.NewConn(os.Stdin, out, api)
	if err := c.Hello(); err != nil {
		os.Exit(3)
	}
	if err := c.Serve(); err != io.EOF {
		fmt.Fprintf(os.Stderr, "subject: %v\n", err)
		os.Exit(3)
	}
	os.Exit(0)
}

package main

import (
	"errors"
	"flag"
	"io"
	"os"

	"github.com/vmkata/vmkata/cmd/vmsim/script"
)

var runCmd = command{
	name:     "run",
	summary:  "run a scenario script on the reference kernel and print its event log",
	operands: "SCRIPT",
	usage: `SCRIPT [--json]

The script drives the reference kernel line by line (spawn, fork, exec, read,
write, mmap, munmap, mprotect, madvise, brk, switch, exit, config, expect …;
see the examples/ folder and the package doc of cmd/vmsim/script). Every
kernel event is printed with the script line that caused it, then a summary
of the counters and of each process. --json prints one JSON object per line,
each with a "type" (command, fault, zero_fill, cow_copy, evict, swap_out,
swap_in, segv, oom_kill, tlb_shootdown, …, expect) and ends with a "summary".

Exit status: 0 when every expect held, 1 when one did not (the message says
what was expected and what happened), 2 for a bad script ("FILE:LINE: …").`,
	setup: setupRun,
}

// exitError is an error with its own exit status, printed as it is (it
// names its place in the script itself, FILE:LINE).
type exitError struct {
	status int
	err    error
}

func (e exitError) Error() string { return e.err.Error() }

func setupRun(fs *flag.FlagSet) func(io.Writer) error {
	asJSON := fs.Bool("json", false, "print one JSON object per event instead of text")
	return func(stdout io.Writer) error {
		// Flags may follow the script's name: parse what comes after it.
		if fs.NArg() == 0 {
			return usagef("missing SCRIPT (see vmsim run -h)")
		}
		name := fs.Arg(0)
		if err := fs.Parse(fs.Args()[1:]); err != nil {
			return usagef("%v (see vmsim run -h)", err)
		}
		if fs.NArg() > 0 {
			return usagef("unexpected argument %q (see vmsim run -h)", fs.Arg(0))
		}
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		defer f.Close()
		prog, err := script.Parse(name, f)
		if err != nil {
			return exitError{2, err}
		}
		err = script.Run(prog, stdout, script.Options{JSON: *asJSON})
		var failed *script.ExpectError
		var bad *script.Error
		switch {
		case errors.As(err, &failed):
			return exitError{1, failed}
		case errors.As(err, &bad):
			return exitError{2, bad}
		}
		return err
	}
}

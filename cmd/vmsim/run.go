package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/vmkata/vmkata/cmd/vmsim/script"
)

var runCmd = command{
	name:     "run",
	summary:  "run a scenario script on the reference kernel and print its event log",
	operands: "SCRIPT",
	usage: `SCRIPT [--json] [--parts reference|exercises]

The script drives the reference kernel line by line (spawn, fork, exec, read,
write, mmap, munmap, mprotect, madvise, brk, switch, exit, config, expect …;
see the examples/ folder and the package doc of cmd/vmsim/script). Every
kernel event is printed with the script line that caused it, then a summary
of the counters and of each process. --json prints one JSON object per line,
each with a "type" (command, fault, zero_fill, cow_copy, evict, swap_out,
swap_in, segv, oom_kill, tlb_shootdown, …, expect) and ends with a "summary".

--parts exercises runs the kernel on your own parts from this checkout
(exercise 20's functions in exercises/20-capstone, and through them your
exercises 03-13), part by part: a part whose function is not written yet
is the reference's. It builds them with the go command, run from inside
this module, and first prints whose each part is.

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
	whose := fs.String("parts", "reference", "whose parts the kernel runs on: reference, or exercises (yours, see exercise 20)")
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
		switch *whose {
		case "reference":
		case "exercises":
			return runYourParts(name, *asJSON, stdout)
		default:
			return usagef("--parts %q: want reference or exercises (see vmsim run -h)", *whose)
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
		if errors.As(err, &failed) || errors.As(err, &bad) {
			return exitError{script.Status(err), err}
		}
		return err
	}
}

// yourParts is the command that runs a script on the learner's parts.
const yourParts = "github.com/vmkata/vmkata/cmd/vmsim/internal/yourparts"

// runYourParts builds yourparts (and with it the learner's code of this
// checkout) with the go command, and runs it on the script: its output
// goes to stdout, its error and exit status are run's.
func runYourParts(name string, asJSON bool, stdout io.Writer) error {
	dir, err := os.MkdirTemp("", "vmsim-parts-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	bin := filepath.Join(dir, "yourparts")
	build := exec.Command("go", "build", "-o", bin, yourParts)
	if out, err := build.CombinedOutput(); err != nil {
		return exitError{2, fmt.Errorf("building your parts (exercises/20-capstone and the exercises it imports; run vmsim from inside this checkout): %v\n%s",
			err, strings.TrimSpace(string(out)))}
	}
	args := []string{name}
	if asJSON {
		args = append(args, "--json")
	}
	var stderr bytes.Buffer
	run := exec.Command(bin, args...)
	run.Stdout, run.Stderr = stdout, &stderr
	err = run.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		status, msg := exit.ExitCode(), strings.TrimSpace(stderr.String())
		if status < 0 || msg == "" { // killed by a signal
			return exitError{2, fmt.Errorf("running your parts: %v", err)}
		}
		return exitError{status, errors.New(msg)}
	}
	return err
}

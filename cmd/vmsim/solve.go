package main

import (
	"flag"
	"io"
	"os"

	"github.com/vmkata/vmkata/reference/ostep"
)

var solveCmd = command{
	name:     "solve",
	summary:  "answer a problem printed by OSTEP's paging homework simulators, as their -c prints it",
	operands: "KIND FILE",
	usage: `ostep-multilevel|ostep-linear FILE

FILE holds what OSTEP's paging-multilevel-translate.py (ostep-multilevel) or
paging-linear-translate.py (ostep-linear) printed without -c ("-" reads
standard input). solve prints each address's translation exactly as the
simulator prints it with -c, so you can check your own answers. A malformed
problem is reported as FILE:LINE: what is wrong.`,
	setup: setupSolve,
}

func setupSolve(fs *flag.FlagSet) func(io.Writer) error {
	return func(stdout io.Writer) error {
		if fs.NArg() != 2 {
			return usagef("want KIND FILE, e.g. vmsim solve ostep-multilevel problem.txt (see vmsim solve -h)")
		}
		kind, name := fs.Arg(0), fs.Arg(1)
		if kind != "ostep-multilevel" && kind != "ostep-linear" {
			return usagef("unknown kind %q; want ostep-multilevel or ostep-linear", kind)
		}
		in := io.Reader(os.Stdin)
		if name != "-" {
			f, err := os.Open(name)
			if err != nil {
				return err
			}
			defer f.Close()
			in = f
		}
		if kind == "ostep-linear" {
			p, err := ostep.ParseLinear(in, name)
			if err != nil {
				return exitError{status: 2, err: err}
			}
			return p.Solve(stdout)
		}
		p, err := ostep.ParseMultilevel(in, name)
		if err != nil {
			return exitError{status: 2, err: err}
		}
		return p.Solve(stdout)
	}
}

// Command vmsim is vmkata's simulator: it replays memory-reference traces
// through the page-replacement policies, compares their fault curves (and
// plots them), searches for Belady's anomaly, generates synthetic traces,
// computes the effective access time of demand paging, walks an x86-64
// page table level by level, steps a buddy allocator, compares radix and
// inverted page-table memory, shows thrashing and working-set load control,
// and answers OSTEP's paging homework problems.
//
// Usage:
//
//	vmsim replay  --policy lru --frames 3 --refs "7 0 1 2 0 3 0 4" [--json] [--steps]
//	vmsim replay  --policy clock --frames 64 --trace app.lackey --trace-format lackey
//	vmsim compare --policies fifo,lru,opt --frames 1-6 --refs "1 2 3 4 1 2 5 1 2 3 4 5" --png curve.png
//	vmsim belady  [--max-len 12 --pages 5 --frames 3]
//	vmsim gen     --kind zipf --n 100000 --pages 1000 --alpha 1 --seed 7 > zipf.refs
//	vmsim eat     --p 0.001 --mem 200ns --fault 8ms
//	vmsim walk    --va 0x7f1234567abc [--levels 4|5]
//	vmsim buddy   --frames 16 --max-order 4 --ops "alloc 0, alloc 1, free 0 0"
//	vmsim tables  --procs 32 --pages 6 --frames 4096
//	vmsim loadctl --frames 100 --loops 40,40,40
//	vmsim run     examples/fork-then-write.vms [--json]
//	vmsim solve   ostep-multilevel problem.txt   (or ostep-linear)
//	vmsim help [command]
//
// Every flag may be written with one dash or two. Errors are printed as one
// line, "vmsim: …", on standard error, and the exit status is 2; -h prints
// a command's usage and exits 0. vmsim run exits 1 when an expect line of
// its script does not hold.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

// command is one subcommand: its flags are declared on fs by setup, which
// returns the function that runs it once the flags are parsed.
type command struct {
	name    string
	summary string
	usage   string // the synopsis after "vmsim <name> "
	// operands names the command's positional arguments ("" for none):
	// they reach the command unparsed, in fs.Args().
	operands string
	setup    func(fs *flag.FlagSet) func(stdout io.Writer) error
}

var commands = []command{
	replayCmd, compareCmd, beladyCmd, genCmd, eatCmd, walkCmd, runCmd, solveCmd, buddyCmd, tablesCmd, loadctlCmd,
}

func findCommand(name string) (command, bool) {
	for _, c := range commands {
		if c.name == name {
			return c, true
		}
	}
	return command{}, false
}

// usageError marks an error in how vmsim was called, as opposed to one in
// the input it was given. Both exit with status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

// run is vmsim's main: it runs the command in args, writes its output to
// stdout and errors to stderr, and returns the exit status: 0 on success,
// 2 on any error (or the status an exitError carries).
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		printUsage(stderr)
		return 2
	}
	name, rest := args[0], args[1:]
	switch name {
	case "help", "-h", "-help", "--help":
		if len(rest) == 0 {
			printUsage(stdout)
			return 0
		}
		c, ok := findCommand(rest[0])
		if !ok {
			return fail(stderr, usagef("help: unknown command %q (commands: %s)", rest[0], commandNames()))
		}
		fs := newFlagSet(c)
		c.setup(fs)
		printCommandUsage(stdout, c, fs)
		return 0
	}
	c, ok := findCommand(name)
	if !ok {
		return fail(stderr, usagef("unknown command %q (commands: %s; see vmsim help)", name, commandNames()))
	}
	fs := newFlagSet(c)
	exec := c.setup(fs)
	if err := fs.Parse(rest); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			printCommandUsage(stdout, c, fs)
			return 0
		}
		return fail(stderr, usagef("%s: %v (see vmsim %s -h)", c.name, err, c.name))
	}
	if fs.NArg() > 0 && c.operands == "" {
		return fail(stderr, usagef("%s: unexpected argument %q (see vmsim %s -h)", c.name, fs.Arg(0), c.name))
	}
	if err := exec(stdout); err != nil {
		var ee exitError
		if errors.As(err, &ee) {
			fail(stderr, ee.err)
			return ee.status
		}
		return fail(stderr, fmt.Errorf("%s: %w", c.name, err))
	}
	return 0
}

// newFlagSet returns a silent flag set: run prints parse errors itself, on
// one line.
func newFlagSet(c command) *flag.FlagSet {
	fs := flag.NewFlagSet("vmsim "+c.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

// fail prints err as one line and returns the exit status 2.
func fail(stderr io.Writer, err error) int {
	msg := strings.Join(strings.Fields(err.Error()), " ")
	fmt.Fprintf(stderr, "vmsim: %s\n", msg)
	return 2
}

func commandNames() string {
	names := make([]string, len(commands))
	for i, c := range commands {
		names[i] = c.name
	}
	return strings.Join(names, ", ")
}

func printUsage(w io.Writer) {
	fmt.Fprintf(w, "vmsim simulates virtual memory: page replacement, Belady's anomaly, EAT, page walks,\n")
	fmt.Fprintf(w, "and scripted scenarios on the reference kernel.\n\n")
	fmt.Fprintf(w, "Usage:\n\n")
	for _, c := range commands {
		fmt.Fprintf(w, "  vmsim %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(w, "  vmsim help     [command]\n\n")
	fmt.Fprintf(w, "Run vmsim <command> -h for a command's flags. Flags take one dash or two.\n")
	fmt.Fprintf(w, "Errors print one line on stderr and exit with status 2.\n")
}

func printCommandUsage(w io.Writer, c command, fs *flag.FlagSet) {
	synopsis, details, _ := strings.Cut(c.usage, "\n")
	fmt.Fprintf(w, "Usage: vmsim %s %s\n\nvmsim %s: %s.\n", c.name, synopsis, c.name, c.summary)
	if details = strings.TrimSpace(details); details != "" {
		fmt.Fprintf(w, "\n%s\n", details)
	}
	fmt.Fprintf(w, "\nFlags:\n")
	fs.SetOutput(w)
	fs.PrintDefaults()
	fs.SetOutput(io.Discard)
}

package main

import (
	"flag"
	"fmt"
	"io"

	"github.com/vmkata/vmkata/reference/replace"
	"github.com/vmkata/vmkata/reference/trace"
)

var beladyCmd = command{
	name:    "belady",
	summary: "search for the shortest reference string on which FIFO faults more with one more frame",
	usage: `[--max-len N] [--pages P] [--frames F]

Tries every reference string over pages 1..P of length 1, 2, … up to N (up to
renaming pages) and prints the first one on which FIFO faults more with F+1
frames than with F. The defaults find the textbook example,
1 2 3 4 1 2 5 1 2 3 4 5: 9 faults with 3 frames, 10 with 4. The search is
exponential in N: keep N below about 16.`,
	setup: setupBelady,
}

func setupBelady(fs *flag.FlagSet) func(io.Writer) error {
	maxLen := fs.Int("max-len", 12, "longest reference string to try")
	pages := fs.Int("pages", 5, "number of distinct pages to use")
	frames := fs.Int("frames", 3, "frames F: compare FIFO with F and F+1 frames")
	return func(stdout io.Writer) error {
		if *frames < 1 {
			return usagef("--frames %d: need at least 1 frame", *frames)
		}
		refs, found, err := trace.FindBeladyAnomaly(*maxLen, *pages, *frames)
		if err != nil {
			return err
		}
		if !found {
			fmt.Fprintf(stdout, "no reference string over %d pages of length up to %d makes FIFO fault more with %d frames than with %d\n",
				*pages, *maxLen, *frames+1, *frames)
			return nil
		}
		fmt.Fprintf(stdout, "shortest reference string (length %d) on which FIFO faults more with %d frames than with %d:\n",
			len(refs), *frames+1, *frames)
		for i, r := range refs {
			if i > 0 {
				fmt.Fprint(stdout, " ")
			}
			fmt.Fprint(stdout, r)
		}
		fmt.Fprintln(stdout)
		for _, k := range []int{*frames, *frames + 1} {
			res, err := replace.Simulate("fifo", k, refs, replace.Options{}, nil)
			if err != nil {
				return err
			}
			fmt.Fprintf(stdout, "FIFO with %d frames: %d faults\n", k, res.Faults)
		}
		return nil
	}
}

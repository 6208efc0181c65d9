package main

import (
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/vmkata/vmkata/reference/mmu"
)

var eatCmd = command{
	name:    "eat",
	summary: "effective access time of demand paging: (1-p) × mem + p × fault",
	usage: `--p P --mem 200ns --fault 8ms

P is the page-fault rate (a probability), mem the memory access time, fault the
page-fault service time. Prints the EAT and how many times slower than memory
alone it is.`,
	setup: setupEAT,
}

func setupEAT(fs *flag.FlagSet) func(io.Writer) error {
	p := fs.Float64("p", 0.001, "page-fault rate, in [0, 1]")
	mem := fs.Duration("mem", 200*time.Nanosecond, "memory access `time`")
	fault := fs.Duration("fault", 8*time.Millisecond, "page-fault service `time`")
	return func(stdout io.Writer) error {
		eat, err := mmu.EAT(*p, *mem, *fault)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "EAT = (1 - p) × mem + p × fault = (1 - %v) × %v + %v × %v = %v\n", *p, *mem, *p, *fault, eat)
		if *mem > 0 {
			fmt.Fprintf(stdout, "slowdown: %.1fx memory alone\n", float64(eat)/float64(*mem))
		}
		return nil
	}
}

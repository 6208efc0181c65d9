package main

import (
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/vmkata/vmkata/reference/mmu"
	"github.com/vmkata/vmkata/reference/workingset"
)

var loadctlCmd = command{
	name:    "loadctl",
	summary: "thrashing and working-set load control on the reference kernel",
	usage: `--frames 100 --loops 40,40,40 [--quantum 10 --epoch 600 --epochs 4 --tau 100]

Runs processes that each loop over their own pages (--loops, one size per
process, in priority order) round robin on the reference kernel with global
LRU, twice: with every process running, and with working-set load control
(exercise 15's Admit): before each epoch the processes whose working sets
do not fit in --frames are suspended. Prints, epoch by epoch, who ran, the
page-fault rate and the effective access time (200 ns memory, 8 ms fault).`,
	setup: setupLoadctl,
}

func setupLoadctl(fs *flag.FlagSet) func(io.Writer) error {
	frames := fs.Int("frames", 100, "pageable frames of the machine")
	loops := fs.String("loops", "40,40,40", "pages each process loops over, comma-separated, most important first")
	quantum := fs.Int("quantum", 10, "references a process makes per turn")
	epoch := fs.Int("epoch", 600, "references per epoch")
	epochs := fs.Int("epochs", 4, "number of epochs")
	tau := fs.Int("tau", 100, "working-set window τ, in a process's own references")
	return func(stdout io.Writer) error {
		w := workingset.Workload{Frames: *frames, Quantum: *quantum, Epoch: *epoch, Epochs: *epochs, Tau: *tau}
		for _, f := range strings.Split(*loops, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(f))
			if err != nil {
				return usagef("--loops: %q is not a number of pages", strings.TrimSpace(f))
			}
			w.Loops = append(w.Loops, n)
		}
		for _, c := range []struct {
			what    string
			control workingset.Controller
		}{{"every process runs", nil}, {"working-set load control", workingset.Admit}} {
			r, err := workingset.Run(w, c.control)
			if err != nil {
				return err
			}
			fmt.Fprintf(stdout, "%s (%d frames, loops %v):\n", c.what, w.Frames, w.Loops)
			for e := range r.FaultRate {
				eat, err := mmu.EAT(r.FaultRate[e], 200*time.Nanosecond, 8*time.Millisecond)
				if err != nil {
					return err
				}
				fmt.Fprintf(stdout, "  epoch %d: running %v, %d faults in %d references (%.1f %%), EAT %v\n",
					e+1, r.Running[e], r.Faults[e], w.Epoch, 100*r.FaultRate[e], eat)
			}
		}
		return nil
	}
}

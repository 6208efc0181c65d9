package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/vmkata/vmkata/reference/replace"
)

// run is one simulation of compare: a policy with a number of frames.
type simRun struct {
	policy string
	frames int
	faults uint64
}

// progressEvery is how many references a run simulates between two updates
// of the shared progress count.
const progressEvery = 1 << 16

// runAll simulates every run over refs on up to workers goroutines (each
// run is independent: its own policy over the shared, read-only trace) and
// fills in their faults, adding the references simulated to done as it
// goes. optOpts are the options of an opt run (its future, computed once
// for all of them). It returns the first error of a run, if any.
func runAll(runs []simRun, refs []replace.Ref, opts, optOpts replace.Options, workers int, done *atomic.Uint64) error {
	jobs := make(chan int)
	errs := make(chan error, len(runs))
	var wg sync.WaitGroup
	for range max(1, min(workers, len(runs))) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				o := opts
				if !replace.Online(runs[i].policy) {
					o = optOpts
				}
				p, err := replace.NewFast(runs[i].policy, runs[i].frames, o)
				if err != nil {
					errs <- err
					continue
				}
				var faults uint64
				for start := 0; start < len(refs); start += progressEvery {
					for _, r := range refs[start:min(start+progressEvery, len(refs))] {
						if hit, _, _ := p.Access(r.Page, r.Write); !hit {
							faults++
						}
					}
					done.Add(uint64(min(progressEvery, len(refs)-start)))
				}
				runs[i].faults = faults
			}
		}()
	}
	for i := range runs {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	close(errs)
	return <-errs // nil when no run failed
}

// progressBar draws, on w, how far total references of work have got, at
// every tick (so that a run shorter than the first tick draws nothing),
// until stop is closed; it then erases its line and returns.
func progressBar(w io.Writer, label string, total uint64, done *atomic.Uint64, ticks <-chan time.Time, stop <-chan struct{}) {
	start := time.Now()
	drawn := false
	for {
		select {
		case <-stop:
			if drawn {
				fmt.Fprintf(w, "\r%s\r", strings.Repeat(" ", 79))
			}
			return
		case <-ticks:
			fmt.Fprint(w, "\r"+progressLine(label, done.Load(), total, time.Since(start)))
			drawn = true
		}
	}
}

// progressLine renders e.g. "compare [=======>            ]  37%  41.2 M refs/s  ETA 12s".
func progressLine(label string, done, total uint64, elapsed time.Duration) string {
	const width = 30
	frac := 0.0
	if total > 0 {
		frac = min(1, float64(done)/float64(total))
	}
	fill := int(frac * width)
	bar := strings.Repeat("=", fill)
	if fill < width {
		bar += ">" + strings.Repeat(" ", width-fill-1)
	}
	rate := float64(done) / max(elapsed.Seconds(), 1e-9)
	eta := "?"
	if done > 0 {
		eta = time.Duration(float64(total-min(done, total)) / rate * float64(time.Second)).Round(time.Second).String()
	}
	return fmt.Sprintf("%s [%s] %3.0f%%  %5.1f M refs/s  ETA %s ", label, bar, 100*frac, rate/1e6, eta)
}

// isTerminal reports whether f is a character device, such as a terminal.
func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

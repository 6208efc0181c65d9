package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"text/tabwriter"
	"time"

	"github.com/vmkata/vmkata/reference/replace"
	"github.com/vmkata/vmkata/vm"
)

var compareCmd = command{
	name:    "compare",
	summary: "fault counts of several policies over a range of frame counts, as a table and a plot",
	usage: `--policies fifo,lru,opt,… --frames 1-16 (--refs "…" | --trace FILE …) [--json] [--svg FILE] [--png FILE]

Rows are frame counts, columns policies; a count marked * is larger than the one
above it: more frames, more faults (Belady's anomaly, which only policies that
are not stack algorithms, such as FIFO, can show). --policies all compares every
policy. The trace is read into memory once (opt needs it whole).`,
	setup: setupCompare,
}

// compareJSON is compare's --json output.
type compareJSON struct {
	Accesses int              `json:"accesses"`
	Frames   []int            `json:"frames"`
	Policies []string         `json:"policies"`
	Faults   map[string][]int `json:"faults"`    // policy -> faults, one per entry of Frames
	Anomaly  map[string][]int `json:"anomalies"` // policy -> frame counts k where k faults more than k-1
}

func setupCompare(fs *flag.FlagSet) func(io.Writer) error {
	var (
		src      source
		pf       policyFlags
		policies = fs.String("policies", "fifo,lru,opt", "comma-separated `NAMES` of policies, or all: "+policyList())
		frames   = fs.String("frames", "1-8", "frame counts: a `RANGE` such as 1-16, or one number")
		asJSON   = fs.Bool("json", false, "print JSON instead of a table")
		svg      = fs.String("svg", "", "write the fault-curve plot as SVG to `file`")
		png      = fs.String("png", "", "write the fault-curve plot as PNG to `file`")
		title    = fs.String("title", "", "plot title (default: the policies and the trace)")
		jobs     = fs.Int("jobs", runtime.GOMAXPROCS(0), "run up to `N` simulations at once")
		progress = fs.String("progress", "auto", "progress bar on standard error: auto (when it is a terminal), always or never")
	)
	src.declare(fs)
	pf.declare(fs)
	return func(stdout io.Writer) error {
		names, err := parsePolicies(*policies)
		if err != nil {
			return err
		}
		lo, hi, err := parseFrameRange(*frames)
		if err != nil {
			return err
		}
		for _, name := range names {
			if _, err := replace.New(name, lo, pf.options()); err != nil {
				return err
			}
		}
		if *jobs < 1 {
			return usagef("--jobs %d: need at least 1", *jobs)
		}
		var bar bool
		switch *progress {
		case "auto":
			bar = isTerminal(os.Stderr)
		case "always", "never":
			bar = *progress == "always"
		default:
			return usagef("--progress %q: want auto, always or never", *progress)
		}
		refs, err := src.load()
		if err != nil {
			return err
		}
		out := compareJSON{Accesses: len(refs), Policies: names, Faults: map[string][]int{}, Anomaly: map[string][]int{}}
		for k := lo; k <= hi; k++ {
			out.Frames = append(out.Frames, k)
		}
		var runs []simRun
		optOpts := pf.options()
		for _, name := range names {
			if !replace.Online(name) && optOpts.Future == nil {
				optOpts.Future = make([]vm.PageID, len(refs))
				for i, r := range refs {
					optOpts.Future[i] = r.Page
				}
				optOpts.NextUse = replace.NextUses(optOpts.Future)
			}
			for k := lo; k <= hi; k++ {
				runs = append(runs, simRun{policy: name, frames: k})
			}
		}
		var done atomic.Uint64
		stop, drawn := make(chan struct{}), make(chan struct{})
		if bar {
			go func() {
				t := time.NewTicker(time.Second)
				defer t.Stop()
				progressBar(os.Stderr, "compare", uint64(len(runs))*uint64(len(refs)), &done, t.C, stop)
				close(drawn)
			}()
		} else {
			close(drawn)
		}
		err = runAll(runs, refs, pf.options(), optOpts, *jobs, &done)
		close(stop)
		<-drawn
		if err != nil {
			return err
		}
		for i, r := range runs {
			name, k := r.policy, r.frames
			out.Faults[name] = append(out.Faults[name], int(r.faults))
			if f := out.Faults[name]; k > lo && f[len(f)-1] > f[len(f)-2] {
				out.Anomaly[name] = append(out.Anomaly[name], runs[i].frames)
			}
		}
		if *svg != "" || *png != "" {
			t := *title
			if t == "" {
				t = plotTitle(&src, len(refs))
			}
			if err := writePlots(out, t, *svg, *png); err != nil {
				return err
			}
		}
		if *asJSON {
			enc := json.NewEncoder(stdout)
			enc.SetIndent("", "  ")
			return enc.Encode(out)
		}
		printTable(stdout, out)
		return nil
	}
}

func plotTitle(src *source, n int) string {
	what := src.path
	if src.refs != "" {
		what = src.refs
		if len(what) > 40 {
			what = what[:37] + "..."
		}
	}
	return fmt.Sprintf("Page faults vs frames: %s (%d references)", what, n)
}

func printTable(w io.Writer, out compareJSON) {
	tw := tabwriter.NewWriter(w, 4, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "frames\t")
	for _, name := range out.Policies {
		fmt.Fprintf(tw, "%s\t", name)
	}
	fmt.Fprintln(tw)
	anomalies := false
	for i, k := range out.Frames {
		fmt.Fprintf(tw, "%d\t", k)
		for _, name := range out.Policies {
			f := out.Faults[name]
			mark := ""
			if i > 0 && f[i] > f[i-1] {
				mark, anomalies = "*", true
			}
			fmt.Fprintf(tw, "%d%s\t", f[i], mark)
		}
		fmt.Fprintln(tw)
	}
	tw.Flush()
	fmt.Fprintf(w, "%d references; faults per policy and frame count.\n", out.Accesses)
	if anomalies {
		fmt.Fprintf(w, "* more faults than with one frame fewer: Belady's anomaly.\n")
	}
}

// parsePolicies splits a comma-separated list of policy names, dropping
// repeats; "all" is every policy.
func parsePolicies(s string) ([]string, error) {
	if strings.TrimSpace(s) == "all" {
		return replace.Names(), nil
	}
	var names []string
	for _, n := range strings.Split(s, ",") {
		if n = strings.TrimSpace(n); n != "" && !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	if len(names) == 0 {
		return nil, usagef("--policies %q: name at least one policy (%s)", s, policyList())
	}
	return names, nil
}

// parseFrameRange parses "lo-hi" or "n".
func parseFrameRange(s string) (lo, hi int, err error) {
	a, b, isRange := strings.Cut(strings.TrimSpace(s), "-")
	lo, err1 := strconv.Atoi(strings.TrimSpace(a))
	hi, err2 := lo, error(nil)
	if isRange {
		hi, err2 = strconv.Atoi(strings.TrimSpace(b))
	}
	switch {
	case err1 != nil || err2 != nil:
		return 0, 0, usagef("--frames %q: want a range such as 1-16, or one number", s)
	case lo < 1:
		return 0, 0, usagef("--frames %q: need at least 1 frame", s)
	case hi < lo:
		return 0, 0, usagef("--frames %q: the range is empty", s)
	case hi-lo > 4096:
		return 0, 0, usagef("--frames %q: at most 4097 frame counts at once", s)
	}
	return lo, hi, nil
}

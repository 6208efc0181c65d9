package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/vmkata/vmkata/reference/replace"
	"github.com/vmkata/vmkata/vm"
)

// policyList names every policy, for usage messages.
func policyList() string { return strings.Join(replace.Names(), ", ") }

var replayCmd = command{
	name:    "replay",
	summary: "replay a trace through one replacement policy and count faults",
	usage: `--policy NAME --frames N (--refs "1 2 3" | --trace FILE [--trace-format auto|refs|addr|lackey|oracle-general|csv] [--page-size BYTES] [--column N]) [--json] [--steps]

A trace file is streamed in constant memory, parsed and simulated on two cores,
except for opt, which reads its pages whole (8 bytes a reference; it plans with
the future) and uses an oracle-general trace's next-access times when it has
them. The format is detected from the content unless --trace-format names it. --steps prints what every reference did and the
resident pages after it, in the policy's documented order (FIFO: oldest load
first; LRU: least recently used first; clock: frame order).`,
	setup: setupReplay,
}

// replayJSON is replay's --json output.
type replayJSON struct {
	Policy    string     `json:"policy"`
	Frames    int        `json:"frames"`
	Accesses  uint64     `json:"accesses"`
	Hits      uint64     `json:"hits"`
	Faults    uint64     `json:"faults"`
	Evictions uint64     `json:"evictions"`
	FaultRate float64    `json:"fault_rate"`
	Steps     []stepJSON `json:"steps,omitempty"`
}

type stepJSON struct {
	Page     uint64   `json:"page"`
	Write    bool     `json:"write"`
	Hit      bool     `json:"hit"`
	Evicted  *uint64  `json:"evicted"`
	Resident []uint64 `json:"resident"`
}

// policyFlags are the flags that build a policy.
type policyFlags struct {
	seed   uint64
	window int
}

func (p *policyFlags) declare(fs *flag.FlagSet) {
	fs.Uint64Var(&p.seed, "seed", 1, "seed of the random policy")
	fs.IntVar(&p.window, "window", 0, "working-set window τ in references for ws and wsclock (0: 2 × frames)")
}

func (p *policyFlags) options() replace.Options {
	return replace.Options{Seed: p.seed, Window: p.window}
}

func setupReplay(fs *flag.FlagSet) func(io.Writer) error {
	var (
		src    source
		pf     policyFlags
		policy = fs.String("policy", "lru", "`NAME` of the replacement policy: "+policyList())
		frames = fs.Int("frames", 3, "`N` page frames (at least 1)")
		asJSON = fs.Bool("json", false, "print JSON instead of text")
		steps  = fs.Bool("steps", false, "show every reference: hit or fault, the victim, the resident pages")
	)
	src.declare(fs)
	pf.declare(fs)
	return func(stdout io.Writer) error {
		if *frames < 1 {
			return usagef("--frames %d: need at least 1 frame", *frames)
		}
		if _, err := replace.New(*policy, *frames, pf.options()); err != nil {
			return err // an unknown policy or a bad option, before reading a trace
		}
		out := replayJSON{}
		var resident []vm.PageID
		var onStep func(replace.Step, vm.Policy)
		if *steps {
			if !*asJSON {
				fmt.Fprintf(stdout, "%6s  %-8s %-6s %-8s %s\n", "step", "page", "result", "evicted", "resident")
			}
			onStep = func(s replace.Step, p vm.Policy) {
				resident = p.Resident(resident[:0])
				if *asJSON {
					out.Steps = append(out.Steps, toStepJSON(s, resident))
					return
				}
				printStep(stdout, s, resident)
			}
		}
		res, err := replay(&src, *policy, *frames, pf.options(), onStep)
		if err != nil {
			return err
		}
		if *asJSON {
			out.Policy, out.Frames, out.Accesses, out.Hits = res.Policy, res.Frames, res.Accesses, res.Hits
			out.Faults, out.Evictions, out.FaultRate = res.Faults, res.Evictions, res.FaultRate()
			enc := json.NewEncoder(stdout)
			enc.SetIndent("", "  ")
			return enc.Encode(out)
		}
		fmt.Fprintf(stdout, "%s\n%d hits (%.1f%%), %d evictions\n", res, res.Hits, 100*res.HitRatio(), res.Evictions)
		return nil
	}
}

// replay runs the source through the policy: streamed for an online policy,
// loaded whole for opt (its pages only, and the trace's next-use times when
// it has them). Without onStep the trace is parsed and simulated on two
// goroutines (see simulate).
func replay(src *source, policy string, frames int, opts replace.Options, onStep func(replace.Step, vm.Policy)) (replace.Result, error) {
	if !replace.Online(policy) && onStep != nil { // the steps show writes too
		refs, err := src.load()
		if err != nil {
			return replace.Result{}, err
		}
		return replace.Simulate(policy, frames, refs, opts, onStep)
	}
	if !replace.Online(policy) {
		pages, nextUse, err := src.future()
		if err != nil {
			return replace.Result{}, err
		}
		opts.Future, opts.NextUse = pages, nextUse
		p, err := replace.NewFast(policy, frames, opts)
		if err != nil {
			return replace.Result{}, err
		}
		return replace.Run(p, pagesIter(pages), nil)
	}
	p, err := replace.NewFast(policy, frames, opts)
	if err != nil {
		return replace.Result{}, err
	}
	r, err := src.open()
	if err != nil {
		return replace.Result{}, err
	}
	defer r.Close()
	if onStep != nil {
		return replace.Run(p, r.Next, onStep)
	}
	return simulate(p, r)
}

// pagesIter hands out reads of pages one at a time, as replace.Run takes them.
func pagesIter(pages []vm.PageID) func() (replace.Ref, bool, error) {
	i := 0
	return func() (replace.Ref, bool, error) {
		if i == len(pages) {
			return replace.Ref{}, false, nil
		}
		i++
		return replace.Ref{Page: pages[i-1]}, true, nil
	}
}

func toStepJSON(s replace.Step, resident []vm.PageID) stepJSON {
	j := stepJSON{Page: uint64(s.Page), Write: s.Write, Hit: s.Hit, Resident: make([]uint64, len(resident))}
	if s.HasEvicted {
		v := uint64(s.Evicted)
		j.Evicted = &v
	}
	for i, p := range resident {
		j.Resident[i] = uint64(p)
	}
	return j
}

func printStep(w io.Writer, s replace.Step, resident []vm.PageID) {
	page := s.Page.String()
	if s.Write {
		page += "w"
	}
	what, victim := "fault", ""
	if s.Hit {
		what = "hit"
	}
	if s.HasEvicted {
		victim = s.Evicted.String()
	}
	fmt.Fprintf(w, "%6d  %-8s %-6s %-8s %v\n", s.Index+1, page, what, victim, resident)
}

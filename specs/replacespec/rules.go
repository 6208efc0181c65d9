package replacespec

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/gomega"

	"github.com/vmkata/vmkata/reference/replace"
	"github.com/vmkata/vmkata/vm"
)

// exerciseOf maps a policy to the exercise whose rules it follows; the
// policies of no exercise carry no rule label.
var exerciseOf = map[string]string{
	"fifo": "06", "lru": "06", "opt": "06",
	"clock": "07", "second-chance": "07", "enhanced-clock": "07",
	"lfu": "08", "mfu": "08", "aging": "08",
	"arc": "18", "sieve": "18", "s3-fifo": "18",
}

// ruleLabels returns the labels of a spec worth points that checks the
// rules named by ids (short names, "fifo-evict") of policy's exercise.
func ruleLabels(policy string, points int, ids ...string) ginkgo.Labels {
	labels := ginkgo.Labels{fmt.Sprintf("points:%d", points)}
	if ex, ok := exerciseOf[policy]; ok {
		for _, id := range ids {
			labels = append(labels, "rule:"+ex+"."+id)
		}
	}
	return labels
}

// badOptions are the options each policy's constructor must refuse.
var badOptions = map[string][]replace.Options{
	"lfu":     {{DecayEvery: -1}},
	"mfu":     {{DecayEvery: -1}},
	"aging":   {{AgingTick: -1}},
	"s3-fifo": {{Small: -0.1}, {Small: 1}, {Ghost: -0.5}},
}

// ruleCase is a scripted run that pins down rules of one policy: calls and
// the outcome of each, then the resident pages in the documented order.
//
// The script is a list of calls: "3" reads page 3, "3w" writes it, "-3"
// removes it. want has one outcome per call: "h" a hit, "f" a fault that
// evicts nothing, "f7" a fault that evicts page 7, "t" or "n" what Remove
// reports (true, false).
type ruleCase struct {
	rules     string // the rules checked, space-separated short names
	what      string
	frames    int
	opts      replace.Options // DecayEvery, AgingTick, Small, Ghost
	future    []vm.PageID     // OPT's future when ownFuture is set; else the script's accesses
	ownFuture bool
	script    string
	want      string
	resident  []vm.PageID
	looks     bool // call every look (Contains, Len, Frames, Name, Resident) before each call
}

// params prints the parameters of a run that decide its outcome.
func params(policy string, frames int, opts replace.Options) string {
	s := fmt.Sprintf("%d frames", frames)
	switch policy {
	case "lfu", "mfu":
		if opts.DecayEvery > 0 {
			s += fmt.Sprintf(", counts halved every %d accesses", opts.DecayEvery)
		} else {
			s += ", no decay"
		}
	case "aging":
		if opts.AgingTick > 0 {
			s += fmt.Sprintf(", a tick every %d accesses", opts.AgingTick)
		} else {
			s += fmt.Sprintf(", a tick every %d accesses (tick 0: every frames accesses)", frames)
		}
	case "s3-fifo":
		if opts.Small > 0 {
			s += fmt.Sprintf(", small %v", opts.Small)
		}
		if opts.Ghost > 0 {
			s += fmt.Sprintf(", ghost %v", opts.Ghost)
		}
	}
	return s
}

// call is one parsed call of a script.
type call struct {
	page   vm.PageID
	write  bool
	remove bool
}

func (c call) String() string {
	switch {
	case c.remove:
		return fmt.Sprintf("Remove(%v)", c.page)
	case c.write:
		return fmt.Sprintf("Access(%v, write)", c.page)
	}
	return fmt.Sprintf("Access(%v, read)", c.page)
}

// parseScript reads a script; a malformed one is a bug of the spec.
func parseScript(script string) []call {
	var out []call
	for _, tok := range strings.Fields(script) {
		c := call{}
		if t, ok := strings.CutPrefix(tok, "-"); ok {
			c.remove, tok = true, t
		} else if t, ok := strings.CutSuffix(tok, "w"); ok {
			c.write, tok = true, t
		}
		n, err := strconv.ParseUint(tok, 10, 64)
		if err != nil {
			panic(fmt.Sprintf("replacespec: bad script %q: %v", script, err))
		}
		c.page = vm.PageID(n)
		out = append(out, c)
	}
	return out
}

// runRuleCase plays c on a policy newPolicy builds and compares every
// outcome and the resident pages at the end.
func runRuleCase(policy string, newPolicy Factory, c ruleCase) {
	calls := parseScript(c.script)
	want := strings.Fields(c.want)
	gomega.Expect(want).To(gomega.HaveLen(len(calls)), "spec bug: %q has %d calls, %q %d outcomes", c.script, len(calls), c.want, len(want))
	opts := c.opts
	if c.ownFuture {
		opts.Future = c.future
	} else {
		for _, cl := range calls {
			if !cl.remove {
				opts.Future = append(opts.Future, cl.page)
			}
		}
	}
	setting := params(policy, c.frames, opts)
	if policy == "opt" {
		setting += fmt.Sprintf(", future %v", opts.Future)
	}
	p, err := newPolicy(c.frames, opts)
	gomega.Expect(err).NotTo(gomega.HaveOccurred(), "New(%s)", setting)
	var trail []string
	for i, cl := range calls {
		if c.looks {
			look(p, calls)
		}
		var got string
		if cl.remove {
			got = map[bool]string{true: "t", false: "n"}[p.Remove(cl.page)]
		} else {
			hit, victim, evicted := p.Access(cl.page, cl.write)
			switch {
			case hit:
				got = "h"
			case evicted:
				got = "f" + victim.String()
			default:
				got = "f"
			}
		}
		trail = append(trail, fmt.Sprintf("%v = %s", cl, describeOutcome(got)))
		if got != want[i] {
			ginkgo.Fail(fmt.Sprintf("%s with %s, step %d: %v = %s, want %s\ncalls so far:\n  %s",
				c.script, setting, i, cl, describeOutcome(got), describeOutcome(want[i]), strings.Join(trail, "\n  ")))
		}
	}
	if res := p.Resident(nil); !equal(res, c.resident) {
		ginkgo.Fail(fmt.Sprintf("%s with %s: Resident() = %v at the end, want %v (in the documented order)\ncalls:\n  %s",
			c.script, setting, res, c.resident, strings.Join(trail, "\n  ")))
	}
	for _, cl := range calls {
		if got, want := p.Contains(cl.page), slices.Contains(c.resident, cl.page); got != want {
			ginkgo.Fail(fmt.Sprintf("%s with %s: Contains(%v) = %v at the end, want %v (the resident pages are %v)\ncalls:\n  %s",
				c.script, setting, cl.page, got, want, c.resident, strings.Join(trail, "\n  ")))
		}
	}
}

// look calls every method that must change nothing.
func look(p vm.Policy, calls []call) {
	_, _, _ = p.Name(), p.Frames(), p.Len()
	for _, c := range calls {
		p.Contains(c.page)
	}
	p.Resident(nil)
}

// describeOutcome spells out an outcome of a script, as outcome does.
func describeOutcome(o string) string {
	switch o {
	case "h":
		return outcome(true, 0, false)
	case "f":
		return outcome(false, 0, false)
	case "t":
		return "true"
	case "n":
		return "false"
	}
	n, err := strconv.ParseUint(strings.TrimPrefix(o, "f"), 10, 64)
	if err != nil {
		panic(fmt.Sprintf("replacespec: bad outcome %q", o))
	}
	return outcome(false, vm.PageID(n), true)
}

// describeRules declares policy's scripted rule cases.
func describeRules(policy string, newPolicy Factory) {
	cases := ruleCases[policy]
	if len(cases) == 0 {
		return
	}
	entries := []any{
		func(c ruleCase) { runRuleCase(policy, newPolicy, c) },
		func(c ruleCase) string {
			return fmt.Sprintf("%s: %s with %s", c.what, c.script, params(policy, c.frames, c.opts))
		},
	}
	for _, c := range cases {
		entries = append(entries, ginkgo.Entry(nil, ruleLabels(policy, 1, strings.Fields(c.rules)...), c))
	}
	ginkgo.DescribeTable("rules, scripted", entries...)
}

func ids(pages ...vm.PageID) []vm.PageID { return pages }

var (
	// Silberschatz, Operating System Concepts, ch. 10.
	silberschatz = replace.Reads(7, 0, 1, 2, 0, 3, 0, 4, 2, 3, 0, 3, 2, 1, 2, 0, 1, 7, 0, 1)
	// Belady, Nelson and Shedler (1969).
	belady = replace.Reads(1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5)
)

// The same strings as scripts, and a script of Remove calls.
const (
	silberschatzScript = "7 0 1 2 0 3 0 4 2 3 0 3 2 1 2 0 1 7 0 1"
	beladyScript       = "1 2 3 4 1 2 5 1 2 3 4 5"
	removeScript       = "1 2 -3 -1 -1 2 1 3" // Remove of a stranger, a resident, the same again; the removed page comes back
)

// ruleCases holds each policy's scripted cases, worked out by hand from
// the rules in the exercise stubs' doc comments.
var ruleCases = map[string][]ruleCase{
	"arc": arcCases, "sieve": sieveCases, "s3-fifo": s3fifoCases, // modern.go
	"fifo": {
		{rules: "fifo-evict fifo-belady fifo-order", what: "Belady's string: 9 faults with 3 frames", frames: 3,
			script: beladyScript, want: "f f f f1 f2 f3 f4 h h f1 f2 h", resident: ids(5, 3, 4)},
		{rules: "fifo-evict fifo-belady", what: "Belady's string: 10 faults with 4 frames, more than with 3", frames: 4,
			script: beladyScript, want: "f f f f h h f1 f2 f3 f4 f5 f1", resident: ids(2, 3, 4, 5)},
		{rules: "fifo-evict", what: "Silberschatz's string: 15 faults", frames: 3, script: silberschatzScript,
			want: "f f f f7 h f0 f1 f2 f3 f0 f4 h h f2 f3 h h f0 f1 f2", resident: ids(7, 0, 1)},
		{rules: "fifo-hit", what: "a hit, read or write, changes nothing", frames: 2,
			script: "1 2 1w 3", want: "f f h f1", resident: ids(2, 3)},
		{rules: "fifo-free-frame", what: "a page loaded into a freed frame is the newest", frames: 3,
			script: "1 2 3 -2 4 5", want: "f f f t f f1", resident: ids(3, 4, 5)},
		{rules: "fifo-order", what: "oldest load first, hits ignored", frames: 3,
			script: "1 2 3 1 4", want: "f f f h f1", resident: ids(2, 3, 4)},
		{rules: "remove", what: "Remove reports residency; a removed page comes back as new", frames: 2,
			script: removeScript, want: "f f n t n h f f2", resident: ids(1, 3)},
		{rules: "looks", what: "looks between the calls change nothing", frames: 2, looks: true,
			script: "1 2 1 3", want: "f f h f1", resident: ids(2, 3)},
	},
	"lru": {
		{rules: "lru-evict lru-order", what: "Silberschatz's string: 12 faults", frames: 3, script: silberschatzScript,
			want: "f f f f7 h f1 h f2 f3 f0 f4 h h f0 h f3 h f2 h h", resident: ids(7, 0, 1)},
		{rules: "lru-evict", what: "Belady's string: 10 faults with 3 frames", frames: 3, script: beladyScript,
			want: "f f f f1 f2 f3 f4 h h f5 f1 f2", resident: ids(3, 4, 5)},
		{rules: "lru-evict", what: "Belady's string: 8 faults with 4 frames", frames: 4, script: beladyScript,
			want: "f f f f h h f3 h h f4 f5 f1", resident: ids(2, 3, 4, 5)},
		{rules: "lru-hit", what: "a hit, read or write, makes the page the most recently used", frames: 2,
			script: "1 2 1w 3", want: "f f h f2", resident: ids(1, 3)},
		{rules: "lru-free-frame", what: "a page loaded into a freed frame is the most recently used", frames: 3,
			script: "1 2 3 -2 4 1 5", want: "f f f t f h f3", resident: ids(4, 1, 5)},
		{rules: "lru-order", what: "least recently used first", frames: 3,
			script: "1 2 3 2 1", want: "f f f h h", resident: ids(3, 2, 1)},
		{rules: "remove", what: "Remove reports residency; a removed page comes back as new", frames: 2,
			script: removeScript, want: "f f n t n h f f2", resident: ids(1, 3)},
		{rules: "looks", what: "Contains is not a reference", frames: 3, looks: true,
			script: "1 2 3 1 4", want: "f f f h f2", resident: ids(3, 1, 4)},
	},
	"opt": {
		{rules: "opt-evict", what: "Silberschatz's string: 9 faults", frames: 3, script: silberschatzScript,
			want: "f f f f7 h f1 h f0 h h f4 h h f3 h h h f2 h h", resident: ids(7, 0, 1)},
		{rules: "opt-evict", what: "Belady's string: 7 faults with 3 frames", frames: 3, script: beladyScript,
			want: "f f f f3 h h f4 h h f1 f2 h", resident: ids(3, 4, 5)},
		{rules: "opt-evict", what: "Belady's string: 6 faults with 4 frames", frames: 4, script: beladyScript,
			want: "f f f f h h f4 h h h f1 h", resident: ids(4, 2, 3, 5)},
		{rules: "opt-never-used", what: "pages never used again go first", frames: 3,
			script: "1 2 4 5 1 2 6", want: "f f f f4 h h f5", resident: ids(1, 2, 6)},
		{rules: "opt-never-used", what: "among pages never used again, the least recently used, not the first loaded", frames: 3,
			script: "1 2 3 2 1 4", want: "f f f h h f3", resident: ids(1, 2, 4)},
		{rules: "opt-hit", what: "a hit moves the page's next use to its following reference", frames: 3,
			script: "1 2 3 1 4 2 3 1", want: "f f f h f1 h h f4", resident: ids(1, 2, 3)},
		{rules: "opt-free-frame opt-order", what: "pages load into the lowest free frame; frame order", frames: 3,
			script: "1 2 3 -1 -2 4 5", want: "f f f t t f f", resident: ids(4, 5, 3)},
		{rules: "opt-free-frame opt-order", what: "frames freed out of order (3, 1, 4, 0) fill lowest first", frames: 5,
			script: "1 2 3 4 5 -4 -2 -5 -1 6 7 8 9", want: "f f f f f t t t t f f f f", resident: ids(6, 7, 3, 8, 9)},
		{rules: "opt-future", what: "a nil future: every page is never used again, so the least recently used goes", frames: 3,
			ownFuture: true, script: "1 2 3 1 4", want: "f f f h f2", resident: ids(1, 4, 3)},
		{rules: "opt-future", what: "an Access that is not future[i] is never used again", frames: 2,
			ownFuture: true, future: ids(1, 2, 1, 2, 1), script: "1 2 3 1 2", want: "f f f2 h f3", resident: ids(1, 2)},
		{rules: "opt-future", what: "Accesses past the end of future are never used again", frames: 2,
			ownFuture: true, future: ids(1, 2), script: "1 2 3 1", want: "f f f1 f2", resident: ids(3, 1)},
		{rules: "remove", what: "Remove reports residency; a removed page comes back as new", frames: 2,
			script: removeScript, want: "f f n t n h f f2", resident: ids(1, 3)},
	},
	"clock": {
		{rules: "clock-all-referenced clock-hand-start", what: "every R set: the hand clears all and evicts frame 0's page", frames: 3,
			script: "1 2 3 2 4 1 5", want: "f f f h f1 f2 f3", resident: ids(4, 1, 5)},
		{rules: "clock-evict clock-hit", what: "a hit after the sweep saves a page", frames: 3,
			script: "1 2 3 4 2 5", want: "f f f f1 h f3", resident: ids(4, 2, 5)},
		{rules: "clock-evict", what: "Silberschatz's string: 14 faults", frames: 3, script: silberschatzScript,
			want: "f f f f7 h f1 h f2 f0 h f3 f4 h f2 f0 f3 h f1 h f2", resident: ids(0, 7, 1)},
		{rules: "clock-free-frame", what: "a freed frame is filled first, with R=1, and the hand stays", frames: 3,
			script: "1 2 3 -1 4 5", want: "f f f t f f4", resident: ids(2, 3, 5)},
		{rules: "clock-free-frame", what: "frames freed out of order (3, 1, 4, 0) fill lowest first", frames: 5,
			script: "1 2 3 4 5 -4 -2 -5 -1 6 7 8 9", want: "f f f f f t t t t f f f f", resident: ids(6, 7, 3, 8, 9)},
		{rules: "clock-order", what: "frame order from the hand", frames: 3,
			script: "1 2 3 4", want: "f f f f1", resident: ids(2, 3, 4)},
		{rules: "hand-remove", what: "Remove of the page under the hand leaves the hand there", frames: 3,
			script: "1 2 3 4 -2 5 6 7", want: "f f f f1 t f f3 f5", resident: ids(6, 4, 7)},
		{rules: "hand-remove", what: "Remove of a page behind the hand leaves the hand there", frames: 3,
			script: "1 2 3 4 -4 5 6 7", want: "f f f f1 t f f2 f3", resident: ids(5, 6, 7)},
		{rules: "remove clock-free-frame", what: "Remove reports residency; a removed page comes back as new", frames: 3,
			script: removeScript + " 4", want: "f f n t n h f f f1", resident: ids(2, 3, 4)},
		{rules: "looks", what: "looks between the calls set no reference bit", frames: 3, looks: true,
			script: "1 2 3 4 2 5", want: "f f f f1 h f3", resident: ids(4, 2, 5)},
	},
	"second-chance": {
		{rules: "sc-evict sc-same-as-clock", what: "every R set: FIFO order", frames: 3,
			script: "1 2 3 2 4 1 5", want: "f f f h f1 f2 f3", resident: ids(4, 1, 5)},
		{rules: "sc-evict sc-hit", what: "a hit after the requeue saves a page", frames: 3,
			script: "1 2 3 4 2 5", want: "f f f f1 h f3", resident: ids(4, 2, 5)},
		{rules: "sc-same-as-clock", what: "Silberschatz's string: 14 faults, the clock's victims", frames: 3, script: silberschatzScript,
			want: "f f f f7 h f1 h f2 f0 h f3 f4 h f2 f0 f3 h f1 h f2", resident: ids(0, 7, 1)},
		{rules: "sc-hit", what: "a hit sets R and leaves the queue alone", frames: 3,
			script: "1 2 3 1 4", want: "f f f h f1", resident: ids(2, 3, 4)},
		{rules: "sc-free-frame", what: "a page loaded after a Remove joins the back", frames: 3,
			script: "1 2 3 -1 4 5", want: "f f f t f f2", resident: ids(3, 4, 5)},
		{rules: "sc-order", what: "queue order, the next page examined first", frames: 3,
			script: "1 2 3 4 -2 5 6 7", want: "f f f f1 t f f3 f4", resident: ids(5, 6, 7)},
		{rules: "remove", what: "Remove reports residency; a removed page comes back as new", frames: 3,
			script: removeScript + " 4", want: "f f n t n h f f f2", resident: ids(1, 3, 4)},
	},
	"enhanced-clock": {
		{rules: "ec-rev-clean ec-rev-dirty ec-rev-repeat ec-load", what: "a clean page goes before an older dirty one", frames: 3,
			script: "1w 2 3 4 5 6", want: "f f f f2 f3 f1", resident: ids(4, 5, 6)},
		{rules: "ec-rev-repeat ec-hand-start", what: "all clean: plain clock", frames: 3,
			script: "1 2 3 2 4 1 5", want: "f f f h f1 f2 f3", resident: ids(4, 1, 5)},
		{rules: "ec-rev-dirty ec-dirty-kept", what: "revolution 2 clears R and keeps D", frames: 3,
			script: "1w 2 3w 4", want: "f f f f2", resident: ids(3, 1, 4)},
		{rules: "ec-rev-clean", what: "revolution 1 clears no bit", frames: 3,
			script: "1 2 3 4 2 5 6", want: "f f f f1 h f3 f4", resident: ids(2, 5, 6)},
		{rules: "ec-rev-repeat", what: "all dirty: revolution 4 evicts at the hand", frames: 3,
			script: "1w 2w 3w 4w 5w 6", want: "f f f f1 f2 f3", resident: ids(4, 5, 6)},
		{rules: "ec-hit", what: "a write hit sets D", frames: 3,
			script: "1 2 3 1w 4", want: "f f f h f2", resident: ids(3, 1, 4)},
		{rules: "ec-load", what: "a page loaded by a write is dirty", frames: 3,
			script: "1 2 3 4w 5 6 7", want: "f f f f1 f2 f3 f5", resident: ids(6, 4, 7)},
		{rules: "ec-free-frame hand-remove", what: "Remove of the page under the hand; the freed frame is filled first", frames: 3,
			script: "1 2 3 4 -2 5 6 7", want: "f f f f1 t f f3 f4", resident: ids(5, 6, 7)},
		{rules: "ec-free-frame", what: "frames freed out of order (3, 1, 4, 0) fill lowest first", frames: 5,
			script: "1 2 3 4 5 -4 -2 -5 -1 6 7 8 9", want: "f f f f f t t t t f f f f", resident: ids(6, 7, 3, 8, 9)},
		{rules: "ec-order", what: "frame order from the hand", frames: 3,
			script: "1 2 3 4", want: "f f f f1", resident: ids(2, 3, 4)},
		{rules: "remove", what: "Remove reports residency; a removed page comes back as new", frames: 3,
			script: removeScript + " 4", want: "f f n t n h f f f1", resident: ids(2, 3, 4)},
	},
	"lfu": {
		{rules: "lfu-evict lfu-count", what: "the smallest count goes", frames: 3,
			script: "1 2 3 2 1 4 3", want: "f f f h h f3 f4", resident: ids(3, 2, 1)},
		{rules: "lfu-evict", what: "equal counts: the least recently used goes", frames: 3,
			script: "1 2 3 3 2 1 4", want: "f f f h h h f3", resident: ids(4, 2, 1)},
		{rules: "lfu-count lfu-order", what: "a new page has count 1", frames: 3,
			script: "1 1 2 3 4", want: "f h f f f2", resident: ids(3, 4, 1)},
		{rules: "lfu-order", what: "smallest count first, least recently used first among equal counts", frames: 3,
			script: "2 1 3 1 2", want: "f f f h h", resident: ids(3, 1, 2)},
		{rules: "lfu-decay", what: "counts halve after every 2nd access", frames: 2, opts: replace.Options{DecayEvery: 2},
			script: "1 1 1 2 2 3", want: "f h h f h f1", resident: ids(2, 3)},
		{rules: "lfu-decay", what: "decayEvery 0: counts never halve", frames: 2,
			script: "1 1 1 2 2 3", want: "f h h f h f2", resident: ids(3, 1)},
		{rules: "lfu-decay", what: "the decay comes after the access and rounds down: 1 becomes 0", frames: 2, opts: replace.Options{DecayEvery: 3},
			script: "1 1 2 3", want: "f h f f2", resident: ids(1, 3)},
		{rules: "lfu-decay-order", what: "counts that become equal by decay stay least recently used first", frames: 3, opts: replace.Options{DecayEvery: 5},
			script: "2 2 2 1 1 3 4", want: "f h h f h f f2", resident: ids(1, 3, 4)},
		{rules: "lfu-decay-order", what: "counts 2 and 3 both halve to 1, the page of frame 0 in the smaller", frames: 3, opts: replace.Options{DecayEvery: 6},
			script: "1 1 2 2 2 3 4", want: "f h f h h f f3", resident: ids(1, 2, 4)},
		{rules: "lfu-decay-order", what: "counts 2 and 3 both halve to 1, the page of frame 0 in the larger", frames: 3, opts: replace.Options{DecayEvery: 6},
			script: "1 1 1 2 2 3 4", want: "f h h f h f f3", resident: ids(1, 2, 4)},
		{rules: "lfu-decay-order", what: "the merged pages interleave by last use, the page of frame 0 the most recent of the smaller count", frames: 3, opts: replace.Options{DecayEvery: 6},
			script: "1 2 2 2 3 1 4", want: "f f h h f h f3", resident: ids(2, 1, 4)},
		{rules: "lfu-decay-order", what: "the merged pages interleave by last use, the page of frame 0 the most recent of the larger count", frames: 3, opts: replace.Options{DecayEvery: 6},
			script: "1 2 2 1 3 1 4", want: "f f h h f h f3", resident: ids(2, 1, 4)},
		{rules: "lfu-evict remove", what: "a page reloaded into frame 0 after a Remove stays the least recently used of its count once its elder moves up", frames: 3,
			script: "1 2 -1 1 2 3 4", want: "f f t f h f f1", resident: ids(3, 4, 2)},
		{rules: "lfu-count lfu-order", what: "every page with a count of its own", frames: 4,
			script: "1 2 2 3 3 3 4 4 4 4 5", want: "f f h f h h f h h h f1", resident: ids(5, 2, 3, 4)},
		{rules: "remove", what: "a removed page comes back with count 1", frames: 3,
			script: "1 1 1 2 2 3 3 -1 1 4", want: "f h h f h f h t f f1", resident: ids(4, 2, 3)},
		{rules: "remove", what: "Remove reports residency", frames: 2,
			script: removeScript, want: "f f n t n h f f1", resident: ids(3, 2)},
		{rules: "remove lfu-decay", what: "Remove is not an access: it does not count towards the decay period", frames: 2,
			opts: replace.Options{DecayEvery: 3}, script: "1 1 -5 2 3", want: "f h n f f2", resident: ids(1, 3)},
		{rules: "looks", what: "Contains is not a reference", frames: 3, looks: true,
			script: "1 2 3 3 2 1 4", want: "f f f h h h f3", resident: ids(4, 2, 1)},
	},
	"mfu": {
		{rules: "mfu-evict", what: "the largest count goes", frames: 3,
			script: "1 1 2 3 4", want: "f h f f f1", resident: ids(2, 3, 4)},
		{rules: "mfu-evict", what: "equal counts: the least recently used goes", frames: 3,
			script: "1 2 3 3 2 1 4", want: "f f f h h h f3", resident: ids(2, 1, 4)},
		{rules: "mfu-order", what: "largest count first, least recently used first among equal counts", frames: 3,
			script: "2 1 3 1 2", want: "f f f h h", resident: ids(1, 2, 3)},
		{rules: "mfu-decay", what: "counts halve after every 5th access, after it", frames: 2, opts: replace.Options{DecayEvery: 5},
			script: "1 1 2 2 2 3", want: "f h f h h f1", resident: ids(2, 3)},
		{rules: "mfu-decay", what: "the decay rounds down: 1 becomes 0", frames: 2, opts: replace.Options{DecayEvery: 3},
			script: "1 2 2 3", want: "f f h f2", resident: ids(3, 1)},
		{rules: "remove", what: "a removed page comes back with count 1", frames: 3,
			script: "1 1 1 2 2 3 3 -1 1 4", want: "f h h f h f h t f f2", resident: ids(3, 1, 4)},
	},
	"aging": {
		{rules: "aging-tick aging-evict", what: "counters after two ticks", frames: 3, opts: replace.Options{AgingTick: 2},
			script: "1 2 1 3 4", want: "f f h f f2", resident: ids(1, 4, 3)},
		{rules: "aging-evict aging-order", what: "equal counters and bits: the lowest frame", frames: 2, opts: replace.Options{AgingTick: 100},
			script: "1 2 3 4", want: "f f f1 f3", resident: ids(4, 2)},
		{rules: "aging-evict", what: "equal counters: a page referenced since the tick stays", frames: 3, opts: replace.Options{AgingTick: 3},
			script: "1 2 3 1 4", want: "f f f h f2", resident: ids(1, 4, 3)},
		{rules: "aging-tick-default", what: "tick 0 ticks every frames accesses", frames: 3,
			script: "1 2 2 3 4 1 5", want: "f f h f f3 h f2", resident: ids(1, 5, 4)},
		{rules: "aging-tick", what: "a tick every 2 accesses", frames: 3, opts: replace.Options{AgingTick: 2},
			script: "1 2 2 3 4 1 5", want: "f f h f f1 f4 f3", resident: ids(1, 2, 5)},
		{rules: "aging-tick", what: "a tick every access", frames: 3, opts: replace.Options{AgingTick: 1},
			script: "1 2 2 3 4 1 5", want: "f f h f f1 f2 f3", resident: ids(4, 1, 5)},
		{rules: "aging-hit", what: "a hit sets R and leaves the counter alone", frames: 2, opts: replace.Options{AgingTick: 100},
			script: "1 2 1 3", want: "f f h f1", resident: ids(3, 2)},
		{rules: "aging-load", what: "a page loaded into a victim's frame has counter 0", frames: 2, opts: replace.Options{AgingTick: 2},
			script: "1 2 3 4", want: "f f f1 f3", resident: ids(4, 2)},
		{rules: "aging-load", what: "a page loaded into a free frame has R=1", frames: 3, opts: replace.Options{AgingTick: 100},
			script: "1 2 3 -2 4 5", want: "f f f t f f1", resident: ids(5, 4, 3)},
		{rules: "aging-order remove", what: "frame order; a freed frame is filled first", frames: 3, opts: replace.Options{AgingTick: 100},
			script: "1 2 3 -1 4", want: "f f f t f", resident: ids(4, 2, 3)},
		{rules: "aging-load aging-order", what: "frames freed out of order (3, 1, 4, 0) fill lowest first", frames: 5, opts: replace.Options{AgingTick: 100},
			script: "1 2 3 4 5 -4 -2 -5 -1 6 7 8 9", want: "f f f f f t t t t f f f f", resident: ids(6, 7, 3, 8, 9)},
		{rules: "remove", what: "Remove reports residency; a removed page comes back as new", frames: 2, opts: replace.Options{AgingTick: 100},
			script: removeScript, want: "f f n t n h f f1", resident: ids(3, 2)},
		{rules: "remove aging-tick", what: "Remove is not an access: it does not count towards the tick", frames: 2,
			opts: replace.Options{AgingTick: 2}, script: "1 -5 2 3", want: "f n f f1", resident: ids(3, 2)},
	},
}

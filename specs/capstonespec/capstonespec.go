// Package capstonespec is the behaviour of exercise 20: a learner's own
// parts (the page table, TLB, MMU, replacement policies, page-fault
// handler, VMA set, brk and fault classification, frame allocator of
// exercises 03-13) wired into the reference kernel (reference/kernel) in
// place of the reference's, through kernel.Config's seams.
//
// A part the learner has not finished stands in for nothing: each part is
// probed once per suite (its function of exercise 20 is called on a small
// valid input); a panic saying "not implemented" (what every stub does),
// or NewPolicy refusing a name with vm.ErrInvalidConfig, leaves the
// reference's part in the kernel, and the specs of that part fail saying
// so. Any other outcome, an error or another panic included, makes the
// part the learner's, judged by the specs. The specs earn points only for
// the learner's parts:
//
//   - each part alone in the reference kernel (the others the
//     reference's): every shipped scenario script (examples/*.vms) runs
//     with its expected story holding and every invariant (kernel Check)
//     holding after every command, and seeded operation sequences (on
//     x86-64 and x86-32; for the policy part, on x86-64 once with each
//     policy the learner serves) give the reference kernel's results and
//     counters step by step, with Check after each; NewPolicy refuses an
//     unknown name and NewVMASet's set keeps to its limit;
//   - all the learner's parts together, only when every part is theirs:
//     the scenarios; the kit's real lackey traces (Valgrind recordings of
//     ls and sort) with the same fault counts as the reference kernel on
//     the same configuration; three seeded sequences (x86-64, x86-32,
//     two CPUs with PCIDs).
//
// Register it at package level in a _test.go file:
//
//	var _ = capstonespec.Describe("exercise 20", capstonespec.Parts{NewTLB: capstone.NewTLB, …})
//
// Every spec carries "topic:capstone" and "points:N"; a deterministic spec
// carries "rule:20.name" for each rule of the exercise's stub it checks;
// the random sequences carry "property".
package capstonespec

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/onsi/ginkgo/v2"
	"pgregory.net/rapid"

	"github.com/vmkata/vmkata/reference/kernel"
	"github.com/vmkata/vmkata/reference/kernel/parts"
	"github.com/vmkata/vmkata/reference/replace"
	_ "github.com/vmkata/vmkata/specs/internal/color" // Ginkgo without colour where it is not wanted
	"github.com/vmkata/vmkata/specs/internal/feedback"
	"github.com/vmkata/vmkata/specs/internal/speclabel"
)

// rules returns the labels of a spec worth pts points that checks the
// rules of exercise 20 named.
func rules(pts int, names ...string) ginkgo.Labels {
	return speclabel.Rules(pts, "rule:20.", names...)
}

// gradeNote names the report entries the grader shows beside the points.
const gradeNote = "grade note"

// partRules are the rules of exercise 20 that the spec of each part
// checks, one per part: the rule's short name is the part's ID.
var partRules = []string{"page-table", "tlb", "mmu", "policy", "fault-handler", "vma-set", "brk", "classify-fault", "frame-allocator"}

// partOf returns the part whose spec checks rule.
func partOf(rule string) parts.Part {
	for _, pt := range parts.All {
		if pt.ID == rule {
			return pt
		}
	}
	panic(fmt.Sprintf("capstonespec: no part for rule 20.%s", rule))
}

// tracePolicies are the policies the traces replay with.
var tracePolicies = []string{"fifo", "lru"}

// Parts are the learner's constructors, one per part.
type Parts = parts.Set

// Describe declares the capstone's specs for the parts p supplies.
func Describe(name string, p Parts) bool {
	var once sync.Once
	var owners parts.Owners
	whose := func() parts.Owners {
		once.Do(func() { owners = parts.Resolve(p) })
		return owners
	}
	// all returns the hook plugging every part in, or fails the spec when
	// a part is the reference's.
	all := func() func(*kernel.Config) error {
		o := whose()
		var not []string
		for _, w := range o.Whose() {
			if !w.Mine {
				not = append(not, fmt.Sprintf("%s (%s: %s)", w.Part.Name, w.Part.Function, w.Why))
			}
		}
		if len(not) > 0 {
			ginkgo.Fail(fmt.Sprintf("the whole system is not yours yet: not implemented: %s; the reference's stand in",
				strings.Join(not, "; ")))
		}
		return o.Plug(p, func(string) bool { return true })
	}
	return ginkgo.Describe("capstone ["+name+"]", ginkgo.Label("topic:capstone", "topic:kernel"), func() {
		entries := []any{func(pt parts.Part) {
			o := whose()
			for _, w := range o.Whose() {
				ginkgo.AddReportEntry(gradeNote, w.String()) // the grade lists whose each part is, in order
			}
			if !o.Mine(pt.ID) {
				ginkgo.Fail(fmt.Sprintf("your %s is not in use (%s not implemented): %s; the kernel runs the reference's", pt.Name, pt.Function, o.Why(pt.ID)))
			}
			if err := parts.Contract(p, pt); err != nil {
				ginkgo.Fail(err.Error())
			}
			plug := o.Plug(p, func(id string) bool { return id == pt.ID })
			var failed []string
			for _, s := range scenarioNames() {
				if err := runScenario(s, plug); err != nil {
					failed = append(failed, fmt.Sprintf("%s: %v", s, err))
				}
			}
			if len(failed) > 0 {
				ginkgo.Fail(fmt.Sprintf("with your %s (the other parts the reference's), %d scenario(s) go wrong:\n%s",
					pt.Name, len(failed), strings.Join(failed, "\n\n")))
			}
			if pt.ID != "policy" {
				for _, s := range sequences[:2] { // x86-64 and x86-32
					if err := s.run(plug, false); err != nil {
						ginkgo.Fail(fmt.Sprintf("with your %s (the other parts the reference's): %v", pt.Name, err))
					}
				}
				return
			}
			for _, name := range o.Served() { // the sequence once with each policy of yours
				s := sequences[0]
				s.cfg.Policy = name
				if err := s.run(plug, true); err != nil {
					ginkgo.Fail(fmt.Sprintf("with your %s policy (the other parts the reference's): %v", name, err))
				}
			}
		}}
		if len(partRules) != len(parts.All) {
			panic(fmt.Sprintf("capstonespec: %d part rules for %d parts", len(partRules), len(parts.All)))
		}
		for _, rule := range partRules {
			pt := partOf(rule)
			entries = append(entries, ginkgo.Entry(fmt.Sprintf("your %s (exercise %s, %s)", pt.Name, pt.Exercise, pt.Function), rules(4, rule), pt))
		}
		ginkgo.DescribeTable("each of your parts alone in the reference kernel: every scenario's story holds and seeded sequences match the reference kernel", entries...)

		ginkgo.It("all your parts together: every shipped scenario's story holds, every invariant after every command", rules(6, "scenarios"), func() {
			plug := all()
			for _, s := range scenarioNames() {
				if err := runScenario(s, plug); err != nil {
					ginkgo.Fail(fmt.Sprintf("%s: %v", s, err))
				}
			}
		})

		traceEntries := []any{func(trace, policy string) {
			plug := all()
			refs := traces()[trace]
			ref := traceConfig(policy, refs)
			ref.NewPolicy = parts.OwnBits(ref.PolicyOptions)
			want, err := replayTrace(ref, refs)
			if err != nil {
				panic(fmt.Sprintf("capstonespec: the reference kernel on %s: %v", trace, err))
			}
			cfg := traceConfig(policy, refs)
			if err := plug(&cfg); err != nil {
				ginkgo.Fail(fmt.Sprintf("plugging your parts in: %v", err))
			}
			got, err := replayTrace(cfg, refs)
			if err != nil {
				ginkgo.Fail(fmt.Sprintf("%s (%d references, %d frames, %s): %v", trace, len(refs), traceFrames, policy, err))
			}
			if got != want {
				ginkgo.Fail(fmt.Sprintf("%s (%d references, %d frames, %s): the counters differ from the reference kernel's:\n  yours      %v\n  reference  %v",
					trace, len(refs), traceFrames, policy, got, want))
			}
		}}
		for _, trace := range sortedKeys(traces()) {
			for _, policy := range tracePolicies {
				traceEntries = append(traceEntries, ginkgo.Entry(fmt.Sprintf("%s, %s", trace, policy), rules(2, "traces"), trace, policy))
			}
		}
		ginkgo.DescribeTable("all your parts together: real program traces (Valgrind lackey) fault exactly as on the reference kernel", traceEntries...)

		seqEntries := []any{func(s sequence) {
			if err := s.run(all(), true); err != nil {
				ginkgo.Fail(err.Error())
			}
		}}
		for _, s := range sequences {
			seqEntries = append(seqEntries, ginkgo.Entry(s.String(), rules(2, "sequences"), s))
		}
		ginkgo.DescribeTable("all your parts together: a seeded sequence matches the reference kernel step by step, with every invariant after each", seqEntries...)

		ginkgo.It("all your parts together: random sequences match the reference kernel step by step", ginkgo.Label("property"), func() {
			plug := all()
			feedback.Check(func(t *rapid.T) {
				s := sequences[rapid.IntRange(0, len(sequences)-1).Draw(t, "machine")]
				s.seed = rapid.Uint64().Draw(t, "seed")
				s.steps = 10
				if err := s.run(plug, true); err != nil {
					t.Fatal(err)
				}
			})
		})
	})
}

func sortedKeys(m map[string][]replace.Ref) []string {
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

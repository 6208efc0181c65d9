// Package replacespec is the behaviour of a page-replacement policy (a
// vm.Policy), written once and run against any implementation: the reference
// policies of reference/replace and a learner's (exercises 06 FIFO, LRU, OPT
// and Belady's anomaly; 07 clock, second chance, enhanced clock; 08 LFU,
// MFU, aging; 18 ARC, SIEVE, S3-FIFO).
//
// Register it at package level in a _test.go file of the package under test,
// once per policy, next to the usual Ginkgo bootstrap:
//
//	var _ = replacespec.Describe("reference", "lru", func(frames int, _ replace.Options) (vm.Policy, error) {
//		return replace.New("lru", frames, replace.Options{})
//	})
//	var _ = replacespec.DescribeBelady("reference", replace.BeladyAnomaly)
//
// The semantics every policy of an exercise must follow (tie-breaks, where a
// clock hand starts, the reference bit of a new page, when counts decay) are
// the rules written in the exercise stub's doc comments, each marked
// [rule:NN.name]. Each rule has scripted cases, labelled "rule:NN.name": a
// short reference string worked out by hand, the outcome of every call and
// the resident pages in the documented order (rules.go, modern.go). The
// policies of exercise 18 also replay windows of real programs' traces
// (traces.go) and must match the reference's outcome on every access.
// Random traces are a second net, labelled "property": the vm.Policy
// contract (replace.Check) and agreement, access by access, with the
// reference policy over a few pages, so that memory fills and evictions
// happen. rapid shrinks a
// disagreement to a short trace, printed with the parameters that decide
// it: "trace 1 2w 3 rm(2) 4 with 3 frames, a tick every 2 accesses: step 4
// (4) evicted 1, want 3".
//
// Every spec carries the labels "topic:replacement", "topic:<policy>" and
// "points:N".
package replacespec

import (
	"errors"
	"fmt"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/gomega"
	"pgregory.net/rapid"

	"github.com/vmkata/vmkata/reference/replace"
	_ "github.com/vmkata/vmkata/specs/internal/color" // Ginkgo without colour where it is not wanted
	"github.com/vmkata/vmkata/specs/internal/feedback"
	"github.com/vmkata/vmkata/vm"
)

// Factory builds the policy under test managing frames frames. opts carries
// what the policy needs: Future for opt, Seed for random, AgingTick for
// aging, DecayEvery for lfu and mfu, Window for ws and wsclock.
type Factory func(frames int, opts replace.Options) (vm.Policy, error)

// Describe declares the behaviour of the policy called policy (a name from
// replace.Names) for the implementation newPolicy builds; name labels the
// implementation ("reference", "exercise").
func Describe(name, policy string, newPolicy Factory) bool {
	return ginkgo.Describe(fmt.Sprintf("replacement policy %s [%s]", policy, name),
		ginkgo.Label("topic:replacement", "topic:"+policy), func() {
			ginkgo.It("starts empty with the frames it was given", ruleLabels(policy, 1, "new"), func() {
				p, err := newPolicy(3, replace.Options{})
				gomega.Expect(err).NotTo(gomega.HaveOccurred(), "New(3 frames)")
				gomega.Expect(p.Name()).To(gomega.Equal(policy), "Name() of a new %s policy", policy)
				gomega.Expect(p.Frames()).To(gomega.Equal(3), "Frames() of a new policy with 3 frames")
				gomega.Expect(p.Len()).To(gomega.Equal(0), "Len() of a new policy")
				gomega.Expect(p.Contains(1)).To(gomega.BeFalse(), "Contains(1) of a new policy")
				gomega.Expect(p.Resident(nil)).To(gomega.BeEmpty(), "Resident(nil) of a new policy")
			})

			ginkgo.It("rejects fewer than one frame and a negative decay period or tick", ruleLabels(policy, 1, "new"), func() {
				for _, frames := range []int{0, -1} {
					_, err := newPolicy(frames, replace.Options{})
					gomega.Expect(errors.Is(err, vm.ErrInvalidConfig)).To(gomega.BeTrue(),
						"New(%d frames) returned error %v, want an error wrapping %q", frames, err, vm.ErrInvalidConfig)
				}
				p, err := newPolicy(1, replace.Options{})
				gomega.Expect(err).NotTo(gomega.HaveOccurred(), "New(1 frame)")
				gomega.Expect(p.Frames()).To(gomega.Equal(1), "Frames() with 1 frame")
				for _, opts := range badOptions[policy] {
					_, err := newPolicy(3, opts)
					gomega.Expect(errors.Is(err, vm.ErrInvalidConfig)).To(gomega.BeTrue(),
						"New(%s) returned error %v, want an error wrapping %q", params(policy, 3, opts), err, vm.ErrInvalidConfig)
				}
			})

			describeRules(policy, newPolicy)
			describeGhosts(policy, newPolicy)
			describeTraces(policy, newPolicy)

			ginkgo.It("keeps the vm.Policy contract on random traces", ginkgo.Label("property"), func() {
				feedback.Check(func(t *rapid.T) {
					refs := drawRefs(t)
					opts := optionsFor(t, policy, refs)
					for frames := 1; frames <= maxFrames; frames++ {
						p, err := newPolicy(frames, opts)
						if err != nil {
							t.Fatalf("New(%s) = %v, want a policy", params(policy, frames, opts), err)
						}
						if err := replace.Check(p, refs); err != nil {
							t.Fatalf("trace %s with %s: %v", traceString(refs), params(policy, frames, opts), err)
						}
					}
				})
			})

			ginkgo.It("agrees with the reference "+policy+" on random traces, access by access", ginkgo.Label("property"), func() {
				feedback.Check(func(t *rapid.T) { differential(t, policy, newPolicy, false) })
			})

			if policy != "opt" {
				ginkgo.It("agrees with the reference "+policy+" when pages are also removed", ginkgo.Label("property"), func() {
					feedback.Check(func(t *rapid.T) { differential(t, policy, newPolicy, true) })
				})
			}
		})
}

// BeladyFunc finds Belady's anomaly of FIFO: the smallest k < maxFrames
// whose FIFO fault count on refs is below that of k+1 frames, or false.
// replace.BeladyAnomaly is the reference.
type BeladyFunc func(refs []vm.PageID, maxFrames int) (frames int, found bool)

// DescribeBelady declares the behaviour of a Belady's-anomaly detector.
func DescribeBelady(name string, detect BeladyFunc) bool {
	return ginkgo.Describe(fmt.Sprintf("Belady's anomaly detector [%s]", name),
		ginkgo.Label("topic:replacement", "topic:belady"), func() {
			rule := func(id string) ginkgo.Labels { return ginkgo.Label("points:1", "rule:06."+id) }
			ginkgo.DescribeTable("textbook strings",
				func(refs []vm.PageID, maxFrames, wantK int, wantFound bool) {
					k, found := detect(refs, maxFrames)
					gomega.Expect([]any{k, found}).To(gomega.Equal([]any{wantK, wantFound}),
						"BeladyAnomaly(%v, %d) = (%d, %v), want (%d, %v)", refs, maxFrames, k, found, wantK, wantFound)
				},
				ginkgo.Entry("Belady's string: 9 faults with 3 frames, 10 with 4", rule("belady-first"), pages(belady), 5, 3, true),
				ginkgo.Entry("Belady's string, looking up to 4 frames, the first count that goes up", rule("belady-first"), pages(belady), 4, 3, true),
				ginkgo.Entry("Belady's string, looking only up to 3 frames", rule("belady-none"), pages(belady), 3, 0, false),
				ginkgo.Entry("Silberschatz's string has none (15 faults with 2 and 3 frames: equal is not more)", rule("belady-none"), pages(silberschatz), 7, 0, false),
				ginkgo.Entry("maxFrames 1: nothing to compare", rule("belady-none"), pages(belady), 1, 0, false),
				ginkgo.Entry("maxFrames 0", rule("belady-none"), pages(belady), 0, 0, false),
				ginkgo.Entry("maxFrames -1", rule("belady-none"), pages(belady), -1, 0, false),
				ginkgo.Entry("an empty string", rule("belady-none"), []vm.PageID(nil), 5, 0, false),
			)
			ginkgo.It("agrees with the reference on random strings", ginkgo.Label("property"), func() {
				feedback.Check(func(t *rapid.T) {
					refs := pages(drawRefs(t))
					maxFrames := rapid.IntRange(1, 6).Draw(t, "maxFrames")
					k, found := detect(refs, maxFrames)
					wk, wf := replace.BeladyAnomaly(refs, maxFrames)
					if k != wk || found != wf {
						t.Fatalf("BeladyAnomaly(%v, %d) = (%d, %v), want (%d, %v)", refs, maxFrames, k, found, wk, wf)
					}
				})
			})
		})
}

// Adapt turns a constructor's (concrete policy, error) into what a Factory
// returns, with a nil vm.Policy (not a typed nil) on error:
//
//	func(frames int, _ replace.Options) (vm.Policy, error) {
//		return replacespec.Adapt(mine.NewFIFO(frames))
//	}
func Adapt[T vm.Policy](p T, err error) (vm.Policy, error) {
	if err != nil {
		return nil, err
	}
	return p, nil
}

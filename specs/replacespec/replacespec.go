// Package replacespec is the behaviour of a page-replacement policy (a
// vm.Policy), written once and run against any implementation: the reference
// policies of reference/replace and a learner's (exercises 06 FIFO, LRU, OPT
// and Belady's anomaly; 07 clock, second chance, enhanced clock; 08 LFU,
// MFU, aging).
//
// Register it at package level in a _test.go file of the package under test,
// once per policy, next to the usual Ginkgo bootstrap:
//
//	var _ = replacespec.Describe("reference", "lru", func(frames int, _ replace.Options) (vm.Policy, error) {
//		return replace.New("lru", frames, replace.Options{})
//	})
//	var _ = replacespec.DescribeBelady("reference", replace.BeladyAnomaly)
//
// The semantics every policy must follow (tie-breaks, where a clock hand
// starts, the reference bit of a new page) are those written in the doc
// comment of the reference type of the same name in reference/replace. The
// specs check them three ways: worked textbook examples, the vm.Policy
// contract (replace.Check) on random traces, and agreement, access by
// access, with the reference policy on random traces over a few pages, so
// that memory fills and evictions happen. rapid shrinks a disagreement to a
// short trace, printed as "trace 1 2w 3 rm(2) 4 with 3 frames: step 4 (4)
// evicted 1, want 3".
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
			ginkgo.It("starts empty with the frames it was given", ginkgo.Label("points:1"), func() {
				p, err := newPolicy(3, replace.Options{})
				gomega.Expect(err).NotTo(gomega.HaveOccurred(), "New(3 frames)")
				gomega.Expect(p.Name()).To(gomega.Equal(policy), "Name() of a new %s policy", policy)
				gomega.Expect(p.Frames()).To(gomega.Equal(3), "Frames() of a new policy with 3 frames")
				gomega.Expect(p.Len()).To(gomega.Equal(0), "Len() of a new policy")
				gomega.Expect(p.Contains(1)).To(gomega.BeFalse(), "Contains(1) of a new policy")
				gomega.Expect(p.Resident(nil)).To(gomega.BeEmpty(), "Resident(nil) of a new policy")
			})

			ginkgo.It("rejects fewer than one frame", ginkgo.Label("points:1"), func() {
				for _, frames := range []int{0, -1} {
					_, err := newPolicy(frames, replace.Options{})
					gomega.Expect(errors.Is(err, vm.ErrInvalidConfig)).To(gomega.BeTrue(),
						"New(%d frames) returned error %v, want an error wrapping %q", frames, err, vm.ErrInvalidConfig)
				}
				p, err := newPolicy(1, replace.Options{})
				gomega.Expect(err).NotTo(gomega.HaveOccurred(), "New(1 frame)")
				gomega.Expect(p.Frames()).To(gomega.Equal(1), "Frames() with 1 frame")
			})

			if cases := textbook[policy]; len(cases) > 0 {
				entries := []any{func(c textbookCase) { runTextbook(newPolicy, c) }}
				for _, c := range cases {
					entries = append(entries, ginkgo.Entry(c.what, ginkgo.Label("points:2"), c))
				}
				ginkgo.DescribeTable("textbook examples", entries...)
			}

			ginkgo.It("keeps the vm.Policy contract on random traces", ginkgo.Label("points:2"), func() {
				feedback.Check(func(t *rapid.T) {
					frames := rapid.IntRange(1, 5).Draw(t, "frames")
					refs := drawRefs(t)
					p, err := newPolicy(frames, optionsFor(policy, refs))
					if err != nil {
						t.Fatalf("New(%d frames) = %v, want a policy", frames, err)
					}
					if err := replace.Check(p, refs); err != nil {
						t.Fatalf("trace %s with %d frames: %v", traceString(refs), frames, err)
					}
				})
			})

			ginkgo.It("agrees with the reference "+policy+" on random traces, access by access", ginkgo.Label("points:3"), func() {
				feedback.Check(func(t *rapid.T) { differential(t, policy, newPolicy, false) })
			})

			if policy != "opt" {
				ginkgo.It("agrees with the reference "+policy+" when pages are also removed", ginkgo.Label("points:2"), func() {
					feedback.Check(func(t *rapid.T) { differential(t, policy, newPolicy, true) })
				})
			}
		})
}

// runTextbook plays c and compares faults and victims.
func runTextbook(newPolicy Factory, c textbookCase) {
	opts := c.opts
	opts.Future = pages(c.refs)
	p, err := newPolicy(c.frames, opts)
	gomega.Expect(err).NotTo(gomega.HaveOccurred(), "New(%d frames)", c.frames)
	var faults uint64
	var victims []vm.PageID
	var trail []string
	for i, r := range c.refs {
		hit, victim, evicted := p.Access(r.Page, r.Write)
		trail = append(trail, stepString(i, r, hit, victim, evicted))
		if !hit {
			faults++
		}
		if evicted {
			victims = append(victims, victim)
		}
	}
	ginkgo.GinkgoWriter.Printf("%v\n", trail)
	gomega.Expect(faults).To(gomega.Equal(c.faults),
		"trace %s with %d frames: %d faults, want %d\nsteps: %v", traceString(c.refs), c.frames, faults, c.faults, trail)
	if c.victims != nil {
		gomega.Expect(victims).To(gomega.Equal(c.victims),
			"trace %s with %d frames: victims %v, want %v\nsteps: %v", traceString(c.refs), c.frames, victims, c.victims, trail)
	}
}

// BeladyFunc finds Belady's anomaly of FIFO: the smallest k < maxFrames
// whose FIFO fault count on refs is below that of k+1 frames, or false.
// replace.BeladyAnomaly is the reference.
type BeladyFunc func(refs []vm.PageID, maxFrames int) (frames int, found bool)

// DescribeBelady declares the behaviour of a Belady's-anomaly detector.
func DescribeBelady(name string, detect BeladyFunc) bool {
	return ginkgo.Describe(fmt.Sprintf("Belady's anomaly detector [%s]", name),
		ginkgo.Label("topic:replacement", "topic:belady"), func() {
			ginkgo.DescribeTable("textbook strings",
				func(refs []vm.PageID, maxFrames, wantK int, wantFound bool) {
					k, found := detect(refs, maxFrames)
					gomega.Expect([]any{k, found}).To(gomega.Equal([]any{wantK, wantFound}),
						"BeladyAnomaly(%v, %d) = (%d, %v), want (%d, %v)", refs, maxFrames, k, found, wantK, wantFound)
				},
				ginkgo.Entry("Belady's string: 9 faults with 3 frames, 10 with 4", ginkgo.Label("points:2"),
					pages(belady), 5, 3, true),
				ginkgo.Entry("Belady's string, looking only up to 3 frames", ginkgo.Label("points:1"),
					pages(belady), 3, 0, false),
				ginkgo.Entry("Silberschatz's string has none", ginkgo.Label("points:1"),
					pages(silberschatz), 7, 0, false),
			)
			ginkgo.It("agrees with the reference on random strings", ginkgo.Label("points:2"), func() {
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

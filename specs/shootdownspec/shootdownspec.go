// Package shootdownspec is the behaviour of a TLB shootdown decision (which
// CPUs flush which entries when an address space's translations change,
// now by IPI or at their next switch-in), written once and run against any
// implementation: the reference (reference/shootdown) and a learner's
// package (exercise 17).
//
// Register it at package level in a _test.go file of the package under
// test, next to the usual Ginkgo bootstrap:
//
//	var _ = shootdownspec.Describe("reference", shootdown.Shootdown)
//
//	func TestShootdown(t *testing.T) {
//		RegisterFailHandler(Fail)
//		RunSpecs(t, "TLB shootdown")
//	}
//
// The specs hold the function to the contract of exercise 17, stated rule
// by rule in the doc comments of exercises/17-tlb-shootdown/shootdown.go,
// two ways: on single requests (the plan must be the reference's, up to
// the order of its flushes), and inside the reference kernel
// (kernel.Config.Shootdown) on 2 to 4 CPUs, with and without PCIDs, where
// threads of one process run on several CPUs while munmap, mprotect, fork
// and eviction change its translations; the kernel's Check looks for a TLB
// entry a CPU could use stale after every step, and the IPIs sent and the
// TLB hits of the entries that survived must be the reference's.
//
// Every spec carries "points:N" and the topic label "topic:shootdown";
// every deterministic spec carries one "rule:17.name" label per rule it
// checks; the two random properties (random requests, random workloads in
// the kernel) carry "property" instead: a second net, never the only spec
// of a rule.
package shootdownspec

import (
	"cmp"
	"errors"
	"fmt"
	"slices"

	"github.com/onsi/ginkgo/v2"
	"pgregory.net/rapid"

	"github.com/vmkata/vmkata/reference/shootdown"
	_ "github.com/vmkata/vmkata/specs/internal/color" // Ginkgo without colour where it is not wanted
	"github.com/vmkata/vmkata/specs/internal/feedback"
	"github.com/vmkata/vmkata/specs/internal/speclabel"
	"github.com/vmkata/vmkata/vm"
)

// ShootdownFunc decides a TLB shootdown (see
// reference/shootdown.Shootdown).
type ShootdownFunc func(r vm.ShootdownRequest) (vm.ShootdownPlan, error)

// Describe declares the shootdown behaviour for fn. Call it at package
// level in a _test.go file:
//
//	var _ = shootdownspec.Describe("reference", shootdown.Shootdown)
func Describe(name string, fn ShootdownFunc) bool {
	return ginkgo.Describe("TLB shootdown ["+name+"]", ginkgo.Label("topic:shootdown"), func() {
		describeRequests(fn)
		describeKernel(fn)
		describeRandom(fn)
	})
}

// rules returns the labels of a deterministic spec worth pts points that
// checks the named rules of exercise 17.
func rules(pts int, names ...string) ginkgo.Labels {
	return speclabel.Rules(pts, "rule:17.", names...)
}

// canonical returns p's flushes in CPU order (a stable sort: a CPU named
// twice stays twice), with empty page lists as nil: the form plans are
// compared in, since the contract does not fix the order.
func canonical(p vm.ShootdownPlan) []vm.CPUFlush {
	fs := slices.Clone(p.Flushes)
	for i := range fs {
		if len(fs[i].Pages) == 0 {
			fs[i].Pages = nil
		}
	}
	slices.SortStableFunc(fs, func(a, b vm.CPUFlush) int { return cmp.Compare(a.CPU, b.CPU) })
	return fs
}

// same reports whether two plans make the same flushes.
func same(a, b vm.ShootdownPlan) bool {
	return slices.EqualFunc(canonical(a), canonical(b), func(x, y vm.CPUFlush) bool {
		return x.CPU == y.CPU && x.Kind == y.Kind && slices.Equal(x.Pages, y.Pages)
	})
}

// pages returns n consecutive pages from 0x400000.
func pages(n int) []vm.VAddr {
	ps := make([]vm.VAddr, n)
	for i := range ps {
		ps[i] = 0x400000 + vm.VAddr(i)*0x1000
	}
	return ps
}

// one is the page most requests change.
var one = []vm.VAddr{0x7000}

func now(cpu int, ps ...vm.VAddr) vm.CPUFlush {
	return vm.CPUFlush{CPU: cpu, Kind: vm.FlushPages, Pages: ps}
}
func all(cpu int) vm.CPUFlush   { return vm.CPUFlush{CPU: cpu, Kind: vm.FlushAll} }
func later(cpu int) vm.CPUFlush { return vm.CPUFlush{CPU: cpu, Kind: vm.FlushDeferred} }
func plan(fs ...vm.CPUFlush) vm.ShootdownPlan {
	return vm.ShootdownPlan{Flushes: fs}
}

func describeRequests(fn ShootdownFunc) {
	ginkgo.DescribeTable("Shootdown decides who flushes what",
		func(r vm.ShootdownRequest, want vm.ShootdownPlan) {
			got, err := fn(r)
			if err != nil {
				ginkgo.Fail(fmt.Sprintf("Shootdown(%v) returned error %v, want %v", r, err, want))
			}
			if !same(got, want) {
				ginkgo.Fail(fmt.Sprintf("Shootdown(%v) = %v (%d IPIs), want %v (%d IPIs)", r, got, got.IPIs(r.Self), want, want.IPIs(r.Self)))
			}
		},
		ginkgo.Entry("one CPU, the page flushed locally", rules(1, "local-flush"),
			vm.ShootdownRequest{CPUs: 1, Running: 0b1, Cached: 0b1, Pages: one}, plan(now(0, one...))),
		ginkgo.Entry("two threads on two CPUs: both flush now, the other by IPI", rules(1, "flush-running", "local-flush"),
			vm.ShootdownRequest{CPUs: 2, Running: 0b11, Cached: 0b11, Pages: one}, plan(now(0, one...), now(1, one...))),
		ginkgo.Entry("made on cpu2 while cpu0 and cpu2 run it", rules(1, "flush-running", "local-flush"),
			vm.ShootdownRequest{CPUs: 4, Self: 2, Running: 0b101, Cached: 0b101, Pages: pages(2)}, plan(now(0, pages(2)...), now(2, pages(2)...))),
		ginkgo.Entry("made on a CPU that does not run it (eviction): only the CPU running it flushes", rules(1, "flush-running", "untouched"),
			vm.ShootdownRequest{CPUs: 3, Self: 0, Running: 0b010, Cached: 0b010, Pages: one}, plan(now(1, one...))),
		ginkgo.Entry("PCIDs on, cpu1 caches it but runs another: deferred, no IPI", rules(1, "defer-cached"),
			vm.ShootdownRequest{CPUs: 2, PCID: true, Running: 0b01, Cached: 0b11, Pages: one}, plan(now(0, one...), later(1))),
		ginkgo.Entry("PCIDs on, four CPUs: running, cached, never ran it", rules(1, "flush-running", "defer-cached", "untouched"),
			vm.ShootdownRequest{CPUs: 4, Self: 1, PCID: true, Running: 0b0011, Cached: 0b1011, Pages: pages(3)},
			plan(now(0, pages(3)...), now(1, pages(3)...), later(3))),
		ginkgo.Entry("PCIDs on, made on a CPU that only caches it: that one defers too", rules(1, "defer-cached"),
			vm.ShootdownRequest{CPUs: 2, Self: 0, PCID: true, Running: 0b10, Cached: 0b11, Pages: one}, plan(later(0), now(1, one...))),
		ginkgo.Entry("PCIDs on, nobody runs it: nothing now, no IPI", rules(1, "defer-cached"),
			vm.ShootdownRequest{CPUs: 3, PCID: true, Running: 0, Cached: 0b110, Pages: one}, plan(later(1), later(2))),
		ginkgo.Entry("PCIDs off: a CPU named cached but not running holds nothing of it", rules(1, "no-pcid"),
			vm.ShootdownRequest{CPUs: 2, Running: 0b01, Cached: 0b11, Pages: one}, plan(now(0, one...))),
		ginkgo.Entry("PCIDs off, nobody runs it: an empty plan", rules(1, "no-pcid"),
			vm.ShootdownRequest{CPUs: 2, Cached: 0b10, Pages: one}, plan()),
		ginkgo.Entry("33 pages, the ceiling: still page by page", rules(1, "ceiling"),
			vm.ShootdownRequest{CPUs: 2, Running: 0b11, Cached: 0b11, Pages: pages(vm.FlushCeiling)},
			plan(now(0, pages(vm.FlushCeiling)...), now(1, pages(vm.FlushCeiling)...))),
		ginkgo.Entry("34 pages, past the ceiling: the whole address space", rules(1, "ceiling"),
			vm.ShootdownRequest{CPUs: 2, Running: 0b11, Cached: 0b11, Pages: pages(vm.FlushCeiling + 1)}, plan(all(0), all(1))),
		ginkgo.Entry("past the ceiling, PCIDs on: the lazy CPU still defers", rules(1, "ceiling", "defer-cached"),
			vm.ShootdownRequest{CPUs: 3, PCID: true, Running: 0b001, Cached: 0b101, Pages: pages(40)}, plan(all(0), later(2))),
		ginkgo.Entry("all of the space (fork): a full flush on every running CPU", rules(1, "ceiling", "flush-running"),
			vm.ShootdownRequest{CPUs: 3, Self: 1, Running: 0b011, Cached: 0b011, All: true}, plan(all(0), all(1))),
		ginkgo.Entry("all of the space, PCIDs on: running flush, cached defer", rules(1, "ceiling", "defer-cached"),
			vm.ShootdownRequest{CPUs: 4, PCID: true, Running: 0b0001, Cached: 0b1101, All: true}, plan(all(0), later(2), later(3))),
		ginkgo.Entry("64 CPUs, the last one runs it", rules(1, "flush-running", "untouched"),
			vm.ShootdownRequest{CPUs: 64, Running: 1 << 63, Cached: 1 << 63, Pages: one}, plan(now(63, one...))),
	)

	ginkgo.DescribeTable("Shootdown names each CPU once, whatever the pages",
		func(r vm.ShootdownRequest) {
			got, err := fn(r)
			if err != nil {
				ginkgo.Fail(fmt.Sprintf("Shootdown(%v) returned error %v, want a plan", r, err))
			}
			seen := map[int]bool{}
			for _, f := range got.Flushes {
				if seen[f.CPU] {
					ginkgo.Fail(fmt.Sprintf("Shootdown(%v) = %v: cpu%d named twice, want one flush (one IPI) per CPU", r, got, f.CPU))
				}
				seen[f.CPU] = true
			}
			want, _ := shootdown.Shootdown(r)
			if !same(got, want) {
				ginkgo.Fail(fmt.Sprintf("Shootdown(%v) = %v, want %v", r, got, want))
			}
		},
		ginkgo.Entry("five pages on two running CPUs", rules(2, "one-per-cpu"),
			vm.ShootdownRequest{CPUs: 2, Running: 0b11, Cached: 0b11, Pages: pages(5)}),
		ginkgo.Entry("twenty pages, three running CPUs and a lazy one", rules(2, "one-per-cpu"),
			vm.ShootdownRequest{CPUs: 4, Self: 3, PCID: true, Running: 0b1011, Cached: 0b1111, Pages: pages(20)}),
	)

	ginkgo.DescribeTable("Shootdown refuses a request that cannot be",
		func(r vm.ShootdownRequest) {
			got, err := fn(r)
			if !errors.Is(err, vm.ErrInvalidConfig) {
				ginkgo.Fail(fmt.Sprintf("Shootdown(%v) returned error %v, want one wrapping %q", r, err, vm.ErrInvalidConfig))
			}
			if len(got.Flushes) != 0 {
				ginkgo.Fail(fmt.Sprintf("Shootdown(%v) = %v with its error, want the zero plan", r, got))
			}
		},
		ginkgo.Entry("no CPU", rules(1, "bad-request"), vm.ShootdownRequest{Pages: one}),
		ginkgo.Entry("65 CPUs", rules(1, "bad-request"), vm.ShootdownRequest{CPUs: 65, Pages: one}),
		ginkgo.Entry("self past the last CPU", rules(1, "bad-request"),
			vm.ShootdownRequest{CPUs: 2, Self: 2, Running: 0b1, Cached: 0b1, Pages: one}),
		ginkgo.Entry("a negative self", rules(1, "bad-request"),
			vm.ShootdownRequest{CPUs: 2, Self: -1, Running: 0b1, Cached: 0b1, Pages: one}),
		ginkgo.Entry("a cached CPU that does not exist", rules(1, "bad-request"),
			vm.ShootdownRequest{CPUs: 2, Running: 0b1, Cached: 0b101, Pages: one}),
		ginkgo.Entry("a CPU running it that is not cached", rules(1, "bad-request"),
			vm.ShootdownRequest{CPUs: 2, PCID: true, Running: 0b11, Cached: 0b01, Pages: one}),
		ginkgo.Entry("no pages and not all", rules(1, "bad-request"),
			vm.ShootdownRequest{CPUs: 2, Running: 0b11, Cached: 0b11}),
		ginkgo.Entry("both pages and all", rules(1, "bad-request"),
			vm.ShootdownRequest{CPUs: 2, Running: 0b11, Cached: 0b11, Pages: one, All: true}),
	)

	ginkgo.It("agrees with the reference on random requests", ginkgo.Label("property"), func() {
		feedback.Check(func(t *rapid.T) {
			cpus := rapid.IntRange(0, 6).Draw(t, "cpus")
			cached := vm.CPUSet(rapid.Uint64Range(0, 1<<7-1).Draw(t, "cached"))
			r := vm.ShootdownRequest{
				CPUs:    cpus,
				Self:    rapid.IntRange(-1, 6).Draw(t, "self"),
				PCID:    rapid.Bool().Draw(t, "pcid"),
				Cached:  cached,
				Running: cached & vm.CPUSet(rapid.Uint64Range(0, 1<<7-1).Draw(t, "running")),
				All:     rapid.IntRange(0, 4).Draw(t, "all?") == 0,
			}
			if n := rapid.SampledFrom([]int{0, 1, 2, vm.FlushCeiling, vm.FlushCeiling + 1}).Draw(t, "pages"); n > 0 && (!r.All || rapid.Bool().Draw(t, "both?")) {
				r.Pages = pages(n)
			}
			want, wantErr := shootdown.Shootdown(r)
			got, err := fn(r)
			if (err != nil) != (wantErr != nil) || !same(got, want) {
				t.Fatalf("Shootdown(%v) = %v, %v; want %v, %v", r, got, err, want, wantErr)
			}
		})
	})
}

// Package workingsetspec is the behaviour of the working-set model and of
// working-set load control, written once and run against any
// implementation: the reference (reference/workingset) and a learner's
// package (exercise 15).
//
// Register it at package level in a _test.go file of the package under
// test, next to the usual Ginkgo bootstrap:
//
//	var _ = workingsetspec.Describe("reference", workingsetspec.Impl{
//		Window: workingset.Window, Sizes: workingset.Sizes, PFF: workingset.PFF, Admit: workingset.Admit,
//	})
//
// The contract is the rules of exercise 15, written in
// exercises/15-working-set-thrashing/workingset.go. Textbook tables give
// each call and its result; scenarios run the reference kernel with several
// processes and Admit as load control (workingset.Run), and require the
// thrashing that the same workload shows without control to stop, in fault
// rate and in effective access time. A random comparison with the reference
// is a second net.
//
// Every spec carries the label "topic:working-set" and "points:N"; the
// kernel scenarios also "topic:kernel"; every deterministic spec one
// "rule:15.name" label per rule it checks, the random property "property"
// instead.
package workingsetspec

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/gomega"

	_ "github.com/vmkata/vmkata/specs/internal/color" // Ginkgo without colour where it is not wanted
	"github.com/vmkata/vmkata/specs/internal/speclabel"
	"github.com/vmkata/vmkata/vm"
)

// Impl is the implementation under test: exercise 15's functions.
type Impl struct {
	Window func(refs []vm.PageID, t, tau int) ([]vm.PageID, error)
	Sizes  func(refs []vm.PageID, tau int) ([]int, error)
	PFF    func(refs []vm.PageID, threshold int) (int, []int, error)
	Admit  func(wss []int, frames int) ([]int, error)
}

// rules returns the labels of a spec worth pts points that checks the
// rules of exercise 15 named.
func rules(pts int, names ...string) ginkgo.Labels {
	return speclabel.Rules(pts, "rule:15.", names...)
}

// refs parses a reference string of page numbers separated by spaces.
func refs(s string) []vm.PageID {
	var out []vm.PageID
	for _, f := range strings.Fields(s) {
		var n uint64
		if _, err := fmt.Sscan(f, &n); err != nil {
			panic(fmt.Sprintf("workingsetspec: bad reference %q in %q", f, s))
		}
		out = append(out, vm.PageID(n))
	}
	return out
}

// silberschatz is the reference string of Silberschatz, Galvin and Gagne's
// working-set figure: with τ = 10, W(10) = {1, 2, 5, 6, 7} and W(26) = {3, 4}.
const silberschatz = "2 6 1 5 7 7 7 7 5 1 6 2 3 4 1 2 3 4 4 4 3 4 3 4 4 4 1 3 2 3 4 4 4 3 4 4 4"

// show prints a reference string the way the tables write it.
func show(rs []vm.PageID) string {
	parts := make([]string, len(rs))
	for i, p := range rs {
		parts[i] = fmt.Sprint(uint64(p))
	}
	return "[" + strings.Join(parts, " ") + "]"
}

// Describe declares the working-set behaviour for impl. Call it at package
// level in a _test.go file.
func Describe(name string, impl Impl) bool {
	return ginkgo.Describe("working set and load control ["+name+"]", ginkgo.Label("topic:working-set"), func() {
		ginkgo.DescribeTable("Window: W(t, τ), the distinct pages of the last τ references",
			func(s string, t, tau int, want string) {
				rs := refs(s)
				got, err := impl.Window(rs, t, tau)
				gomega.Expect(err).NotTo(gomega.HaveOccurred(), "Window(%s, t=%d, τ=%d)", show(rs), t, tau)
				if w := refs(want); !slices.Equal(got, w) && !(len(got) == 0 && len(w) == 0) {
					ginkgo.Fail(fmt.Sprintf("Window(%s, t=%d, τ=%d) = %s, want %s", show(rs), t, tau, show(got), show(w)))
				}
			},
			func(s string, t, tau int, want string) string {
				return fmt.Sprintf("W(%d, %d) of %q = {%s}", t, tau, s, want)
			},
			ginkgo.Entry(nil, rules(2, "window"), silberschatz, 10, 10, "1 2 5 6 7"),
			ginkgo.Entry(nil, rules(2, "window"), silberschatz, 26, 10, "3 4"),
			ginkgo.Entry(nil, rules(1, "window"), silberschatz, 3, 10, "1 2 6"),
			ginkgo.Entry(nil, rules(1, "window"), silberschatz, 37, 1, "4"),
			ginkgo.Entry(nil, rules(1, "window"), silberschatz, 37, 100, "1 2 3 4 5 6 7"),
			ginkgo.Entry(nil, rules(1, "window"), "9 3 9 3 9 1", 6, 4, "1 3 9"),
			ginkgo.Entry(nil, rules(1, "window-empty"), silberschatz, 0, 10, ""),
			ginkgo.Entry(nil, rules(1, "window-empty"), "", 0, 3, ""),
		)
		ginkgo.DescribeTable("Window refuses a bad window or time",
			func(t, tau int, sentinel error) {
				rs := refs("1 2 3 4")
				_, err := impl.Window(rs, t, tau)
				if !errors.Is(err, sentinel) {
					ginkgo.Fail(fmt.Sprintf("Window(%s, t=%d, τ=%d) = %v, want an error wrapping %q", show(rs), t, tau, err, sentinel))
				}
			},
			func(t, tau int, sentinel error) string { return fmt.Sprintf("t=%d τ=%d: %v", t, tau, sentinel) },
			ginkgo.Entry(nil, rules(1, "window-invalid"), 2, 0, vm.ErrInvalidConfig),
			ginkgo.Entry(nil, rules(1, "window-invalid"), 2, -3, vm.ErrInvalidConfig),
			ginkgo.Entry(nil, rules(1, "window-invalid"), -1, 2, vm.ErrOutOfRange),
			ginkgo.Entry(nil, rules(1, "window-invalid"), 5, 2, vm.ErrOutOfRange),
		)
		ginkgo.DescribeTable("Sizes: |W(t, τ)| at every time t",
			func(s string, tau int, want []int) {
				rs := refs(s)
				got, err := impl.Sizes(rs, tau)
				gomega.Expect(err).NotTo(gomega.HaveOccurred(), "Sizes(%s, τ=%d)", show(rs), tau)
				if !slices.Equal(got, want) && !(len(got) == 0 && len(want) == 0) {
					ginkgo.Fail(fmt.Sprintf("Sizes(%s, τ=%d) = %v, want %v", show(rs), tau, got, want))
				}
			},
			func(s string, tau int, want []int) string { return fmt.Sprintf("Sizes(%q, %d) = %v", s, tau, want) },
			ginkgo.Entry(nil, rules(2, "sizes"), "1 2 1 3 2 2 4 1", 3, []int{1, 2, 2, 3, 3, 2, 2, 3}),
			ginkgo.Entry(nil, rules(2, "sizes"), silberschatz, 10,
				[]int{1, 2, 3, 4, 5, 5, 5, 5, 5, 5, 4, 5, 6, 7, 7, 7, 7, 6, 5, 5, 4, 4, 4, 4, 3, 2, 3, 3, 4, 4, 4, 4, 4, 4, 4, 4, 3}),
			ginkgo.Entry(nil, rules(1, "sizes"), "7 7 7 8", 1, []int{1, 1, 1, 1}),
			ginkgo.Entry(nil, rules(1, "sizes"), "", 4, []int{}),
		)
		ginkgo.It("Sizes refuses a window below 1", rules(1, "sizes-invalid"), func() {
			for _, tau := range []int{0, -1} {
				_, err := impl.Sizes(refs("1 2"), tau)
				if !errors.Is(err, vm.ErrInvalidConfig) {
					ginkgo.Fail(fmt.Sprintf("Sizes([1 2], τ=%d) = %v, want an error wrapping %q", tau, err, vm.ErrInvalidConfig))
				}
			}
		})
		ginkgo.DescribeTable("PFF: frames by page-fault frequency",
			func(s string, threshold, faults int, sizes []int) {
				rs := refs(s)
				gotFaults, gotSizes, err := impl.PFF(rs, threshold)
				gomega.Expect(err).NotTo(gomega.HaveOccurred(), "PFF(%s, T=%d)", show(rs), threshold)
				if gotFaults != faults || !slices.Equal(gotSizes, sizes) && !(len(gotSizes) == 0 && len(sizes) == 0) {
					ginkgo.Fail(fmt.Sprintf("PFF(%s, T=%d) = %d faults, resident-set sizes %v; want %d faults, %v",
						show(rs), threshold, gotFaults, gotSizes, faults, sizes))
				}
			},
			func(s string, threshold, faults int, sizes []int) string {
				return fmt.Sprintf("PFF(%q, T=%d): %d faults, sizes %v", s, threshold, faults, sizes)
			},
			ginkgo.Entry(nil, rules(2, "pff-shrink", "pff-grow", "pff-hit", "pff-result"), "1 2 1 3 4 4 4 4 5 1", 2, 6, []int{1, 2, 2, 3, 4, 4, 4, 4, 2, 3}),
			ginkgo.Entry(nil, rules(2, "pff-grow", "pff-hit", "pff-result"), "1 2 1 3 4 4 4 4 5 1", 10, 5, []int{1, 2, 2, 3, 4, 4, 4, 4, 5, 5}),
			ginkgo.Entry(nil, rules(2, "pff-shrink", "pff-grow", "pff-result"), "1 2 3 1 2 3 4 5 6 4 5 6 4 5 6 7", 2, 7, []int{1, 2, 3, 3, 3, 3, 4, 5, 6, 6, 6, 6, 6, 6, 6, 4}),
			ginkgo.Entry(nil, rules(1, "pff-shrink", "pff-result"), "7 7 7 8 9", 1, 3, []int{1, 1, 1, 2, 3}),
			ginkgo.Entry(nil, rules(1, "pff-shrink", "pff-result"), "1 2 1 1 1 3", 2, 3, []int{1, 2, 2, 2, 2, 2}),
			ginkgo.Entry(nil, rules(1, "pff-grow", "pff-result"), "5 6 5 7", 3, 3, []int{1, 2, 2, 3}),
			ginkgo.Entry(nil, rules(1, "pff-result"), "", 3, 0, []int{}),
		)
		ginkgo.It("PFF refuses a threshold below 1", rules(1, "pff-invalid"), func() {
			for _, threshold := range []int{0, -2} {
				_, _, err := impl.PFF(refs("1 2"), threshold)
				if !errors.Is(err, vm.ErrInvalidConfig) {
					ginkgo.Fail(fmt.Sprintf("PFF([1 2], T=%d) = %v, want an error wrapping %q", threshold, err, vm.ErrInvalidConfig))
				}
			}
		})
		ginkgo.DescribeTable("Admit: load control by working-set size",
			func(wss []int, frames int, want []int) {
				got, err := impl.Admit(slices.Clone(wss), frames)
				gomega.Expect(err).NotTo(gomega.HaveOccurred(), "Admit(%v, %d)", wss, frames)
				if !slices.Equal(got, want) && !(len(got) == 0 && len(want) == 0) {
					ginkgo.Fail(fmt.Sprintf("Admit(%v, frames=%d) = %v, want %v", wss, frames, got, want))
				}
			},
			func(wss []int, frames int, want []int) string {
				return fmt.Sprintf("Admit(%v, %d) = %v", wss, frames, want)
			},
			ginkgo.Entry(nil, rules(2, "admit-fit", "admit-result"), []int{40, 40, 40}, 100, []int{0, 1}),
			ginkgo.Entry(nil, rules(2, "admit-fit", "admit-result"), []int{40, 70, 10}, 100, []int{0, 2}),
			ginkgo.Entry(nil, rules(2, "admit-fit", "admit-result"), []int{50, 60, 50, 1}, 101, []int{0, 2, 3}),
			ginkgo.Entry(nil, rules(1, "admit-fit", "admit-result"), []int{30, 30, 40}, 100, []int{0, 1, 2}),
			ginkgo.Entry(nil, rules(1, "admit-fit", "admit-result"), []int{0, 0, 5}, 4, []int{0, 1}),
			ginkgo.Entry(nil, rules(2, "admit-first"), []int{120, 10}, 100, []int{0}),
			ginkgo.Entry(nil, rules(1, "admit-first"), []int{101}, 100, []int{0}),
			ginkgo.Entry(nil, rules(1, "admit-result"), []int{}, 100, []int{}),
			ginkgo.Entry(nil, rules(1, "admit-invalid", "admit-fit"), []int{1, 1, 0}, 1, []int{0, 2}),
		)
		ginkgo.DescribeTable("Admit refuses a bad memory size or working-set size",
			func(wss []int, frames int) {
				_, err := impl.Admit(wss, frames)
				if !errors.Is(err, vm.ErrInvalidConfig) {
					ginkgo.Fail(fmt.Sprintf("Admit(%v, %d) = %v, want an error wrapping %q", wss, frames, err, vm.ErrInvalidConfig))
				}
			},
			func(wss []int, frames int) string { return fmt.Sprintf("Admit(%v, %d)", wss, frames) },
			ginkgo.Entry(nil, rules(1, "admit-invalid"), []int{4}, 0),
			ginkgo.Entry(nil, rules(1, "admit-invalid"), []int{4}, -8),
			ginkgo.Entry(nil, rules(1, "admit-invalid"), []int{-5, 40}, 30),
		)
		describeKernel(impl)
		describeProperty(impl)
	})
}

// Package vmaspec is the behaviour of a set of virtual memory areas (a
// vm.VMASet), written once and run against any implementation: the
// reference (reference/vma) and a learner's set (exercise 11).
//
// Register it at package level in a _test.go file of the package under
// test, next to the usual Ginkgo bootstrap:
//
//	var _ = vmaspec.Describe("reference", vma.NewSet)
//
//	func TestVMA(t *testing.T) {
//		RegisterFailHandler(Fail)
//		RunSpecs(t, "VMA set")
//	}
//
// The specs hold a set to the contract of exercise 11, stated rule by rule
// in the doc comments of exercises/11-mmap-vmas/vma.go (Linux's mmap(2),
// munmap(2) and mprotect(2) on the VMA list). Textbook cases and edge cases
// are scripted calls with the results they must give; after every call the
// specs also check on All() that the VMAs are sorted, well-formed and
// merged, that Len, TotalBytes and Check agree, and that a failing call
// changed nothing. When several arguments are wrong at once, the error of
// any of them will do. Random sequences compare the set with a model that
// keeps one entry per page.
//
// DescribeInKernel runs a set inside the reference kernel instead
// (Config.NewVMASet): mmap, munmap, mprotect and fork through the kernel's
// API, judged by the bytes read, the SIGSEGVs and the kernel's Check:
//
//	var _ = vmaspec.DescribeInKernel("reference", vma.NewSet)
//
// Every spec carries the label "topic:vma" and "points:N"; the kernel
// stories also "topic:kernel". Every deterministic spec carries one
// "rule:11.name" label per rule of exercise 11's contract it checks (the
// rule ids are marked in exercises/11-mmap-vmas/vma.go); the random
// sequences carry "property" instead: they are a second net, never the only
// spec of a rule.
package vmaspec

import (
	"errors"
	"fmt"
	"iter"
	"slices"
	"strings"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/gomega"
	"pgregory.net/rapid"

	_ "github.com/vmkata/vmkata/specs/internal/color" // Ginkgo without colour where it is not wanted
	"github.com/vmkata/vmkata/specs/internal/feedback"
	"github.com/vmkata/vmkata/specs/internal/speclabel"
	"github.com/vmkata/vmkata/vm"
)

// Set is what the specs need of an implementation: the vm.VMASet contract
// and Clone, the copy fork makes, returning the implementation's own type.
type Set[T any] interface {
	vm.VMASet
	// Clone returns an independent copy of the set.
	Clone() T
}

// collect returns the VMAs of s in the order All yields them.
func collect(all iter.Seq[vm.VMA]) []vm.VMA { return slices.Collect(all) }

// Describe declares the VMA-set behaviour for the implementation newSet
// builds. Call it at package level in a _test.go file:
//
//	var _ = vmaspec.Describe("reference", vma.NewSet)
func Describe[T Set[T]](name string, newSet func(pageSize vm.PageSize, limit vm.AddrRange) (T, error)) bool {
	build := func(ps vm.PageSize, limit vm.AddrRange) (vm.VMASet, error) {
		s, err := newSet(ps, limit)
		return s, err
	}

	return ginkgo.Describe("VMA set ["+name+"]", ginkgo.Label("topic:vma"), func() {
		ginkgo.DescribeTable("NewSet validates its page size and limit",
			func(badPS vm.PageSize, bad vm.AddrRange, sentinel error, goodPS vm.PageSize, good vm.AddrRange) {
				_, err := build(badPS, bad)
				gomega.Expect(errors.Is(err, sentinel)).To(gomega.BeTrue(),
					"NewSet(%v, %v) returned error %v, want an error wrapping %q", badPS, bad, err, sentinel)
				s, err := build(goodPS, good)
				gomega.Expect(err).NotTo(gomega.HaveOccurred(), "NewSet(%v, %v) returned an error, want a set", goodPS, good)
				gomega.Expect(s.Len()).To(gomega.Equal(0), "NewSet(%v, %v).Len() of a new set", goodPS, good)
				gomega.Expect(s.TotalBytes()).To(gomega.Equal(uint64(0)), "NewSet(%v, %v).TotalBytes() of a new set", goodPS, good)
				gomega.Expect(collect(s.All())).To(gomega.BeEmpty(), "NewSet(%v, %v).All() of a new set", goodPS, good)
			},
			func(badPS vm.PageSize, bad vm.AddrRange, sentinel error, goodPS vm.PageSize, good vm.AddrRange) string {
				return fmt.Sprintf("rejects (%v, %v) with %q, accepts (%v, %v)", badPS, bad, sentinel, goodPS, good)
			},
			ginkgo.Entry(nil, rules(1, "newset"), vm.PageSize(0), defaultLimit, vm.ErrInvalidConfig, vm.Size4K, defaultLimit),
			ginkgo.Entry(nil, rules(1, "newset"), vm.PageSize(0x1800), defaultLimit, vm.ErrInvalidConfig, vm.PageSize(0x2000), defaultLimit),
			ginkgo.Entry(nil, rules(1, "newset"), vm.Size4K, rng(0x10000, 0x10000), vm.ErrInvalidConfig, vm.Size4K, rng(0x10000, 0x11000)),
			ginkgo.Entry(nil, rules(1, "newset"), vm.Size4K, rng(0x20000, 0x10000), vm.ErrInvalidConfig, vm.Size4K, rng(0, 0x10000)),
			ginkgo.Entry(nil, rules(1, "newset", "all-len-total"), vm.Size4K, rng(0x10000, 0x20800), vm.ErrNotAligned, vm.PageSize(64), rng(0x10000, 0x20800)),
		)

		play := func(st story) { runStory(build, st) }
		ginkgo.DescribeTable("textbook cases", append([]any{play}, asAny(stories())...)...)
		ginkgo.DescribeTable("edge cases", append([]any{play}, asAny(edges())...)...)
		ginkgo.DescribeTable("bad arguments fail and change nothing", append([]any{play}, asAny(badArguments())...)...)

		ginkgo.It("Clone makes an independent copy (fork)", rules(2, "clone-independent"), func() {
			s, err := newSet(vm.Size4K, defaultLimit)
			gomega.Expect(err).NotTo(gomega.HaveOccurred(), "NewSet(4K, %v)", defaultLimit)
			a, f := anon(0x100000, 0x104000, rw), fileVMA(0x200000, 0x204000, rx, "lib.so", 0)
			runSteps(s, vm.Size4K, defaultLimit, []step{fixedMap(a), fixedMap(f)})
			c := s.Clone()
			gomega.Expect(collect(c.All())).To(gomega.Equal(vmas(a, f)), "Clone().All() after mapping %v and %v", a, f)
			runSteps(c, vm.Size4K, defaultLimit, []step{expect(protectOp(a.Range, ro), pieces(perm(a, ro)))})
			gomega.Expect(collect(s.All())).To(gomega.Equal(vmas(a, f)),
				"All() of the original after Protect(%v, r--) on its clone; the clone shares the original's VMAs", a.Range)
			runSteps(c, vm.Size4K, defaultLimit, []step{expect(protectOp(a.Range, rw), pieces(a))})
			runSteps(c, vm.Size4K, defaultLimit, []step{expect(unmapOp(rng(0x101000, 0x102000)), pieces(anon(0x101000, 0x102000, rw)))})
			gomega.Expect(collect(s.All())).To(gomega.Equal(vmas(a, f)),
				"All() of the original after Unmap([0x101000, 0x102000)) on its clone; the clone shares the original's VMAs")
			runSteps(s, vm.Size4K, defaultLimit, []step{expect(protectOp(f.Range, ro), pieces(perm(f, ro)))})
			gomega.Expect(collect(c.All())).To(gomega.Equal(vmas(anon(0x100000, 0x101000, rw), anon(0x102000, 0x104000, rw), f)),
				"All() of the clone after Protect(%v, r--) on the original", f.Range)
		})

		ginkgo.It("agrees with a page-by-page model on random operation sequences", ginkgo.Label("property"), func() {
			feedback.Check(func(t *rapid.T) { runMachine(t, newSet) })
		})
	})
}

// asAny converts table entries for DescribeTable's variadic arguments.
func asAny(es []ginkgo.TableEntry) []any {
	out := make([]any, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// runStory plays a textbook case on a new set and checks every result, the
// VMAs at the end and Check().
func runStory(build func(vm.PageSize, vm.AddrRange) (vm.VMASet, error), st story) {
	limit := st.limit
	if limit == (vm.AddrRange{}) {
		limit = defaultLimit
	}
	s, err := build(vm.Size4K, limit)
	gomega.Expect(err).NotTo(gomega.HaveOccurred(), "NewSet(4K, %v)", limit)
	var steps []step
	for _, v := range st.setup {
		steps = append(steps, fixedMap(v))
	}
	trail := runSteps(s, vm.Size4K, limit, append(steps, st.steps...))
	got := collect(s.All())
	if !slices.Equal(got, st.after) {
		ginkgo.Fail(fmt.Sprintf("All() = %s\nwant     %s\nsequence: NewSet(4K, %v) · %s",
			listing(got), listing(st.after), limit, strings.Join(trail, " · ")))
	}
}

// runSteps makes each call on s and fails at the first result that
// differs, printing the calls so far. After every call, successful or not,
// it also checks the invariants on All() itself (sorted, well-formed,
// merged), that Len, TotalBytes and Check agree with them, and that a
// failing call changed nothing. It returns the calls made.
func runSteps(s vm.VMASet, ps vm.PageSize, limit vm.AddrRange, steps []step) []string {
	var trail []string
	for _, st := range steps {
		before := collect(s.All())
		got := st.op.apply(s)
		trail = append(trail, fmt.Sprintf("%v = %s", st.op, st.op.describe(got)))
		ginkgo.GinkgoWriter.Printf("%v = %s\n", st.op, st.op.describe(got))
		seq := "\nsequence: " + strings.Join(trail, " · ")
		if !st.op.matches(got, st.want) {
			ginkgo.Fail(fmt.Sprintf("%v = %s, want %s%s",
				st.op, st.op.describe(got), st.op.describeWant(st.want), seq))
		}
		after := collect(s.All())
		if got.err != nil && !slices.Equal(after, before) {
			ginkgo.Fail(fmt.Sprintf("All() after the failing %v = %s\nwant it unchanged %s (a failing call changes nothing)%s",
				st.op, listing(after), listing(before), seq))
		}
		if msg := brokenInvariant(after, ps, limit); msg != "" {
			ginkgo.Fail(fmt.Sprintf("after %v, All() = %s\n%s%s", st.op, listing(after), msg, seq))
		}
		if n := s.Len(); n != len(after) {
			ginkgo.Fail(fmt.Sprintf("Len() = %d after %v, want %d, the number of VMAs All() yields%s", n, st.op, len(after), seq))
		}
		var bytes uint64
		for _, v := range after {
			bytes += v.Len()
		}
		if n := s.TotalBytes(); n != bytes {
			ginkgo.Fail(fmt.Sprintf("TotalBytes() = %#x after %v, want %#x, the bytes of the VMAs All() yields%s", n, st.op, bytes, seq))
		}
		if err := s.Check(); err != nil {
			ginkgo.Fail(fmt.Sprintf("Check() = %v after %v, want nil%s", err, st.op, seq))
		}
	}
	return trail
}

// brokenInvariant returns "" if vs, as All() yields them, keep the
// invariants of a set with pages of ps inside limit, else the first one
// broken, named by its rule.
func brokenInvariant(vs []vm.VMA, ps vm.PageSize, limit vm.AddrRange) string {
	aligned := func(va vm.VAddr) bool { return uint64(va)%uint64(ps) == 0 }
	for i, v := range vs {
		switch {
		case v.Range.End <= v.Range.Start || !aligned(v.Range.Start) || !aligned(v.Range.End):
			return fmt.Sprintf("VMA %d, %v, is empty or not page-aligned (rule:11.well-formed)", i, v)
		case v.Range.Start < limit.Start || v.Range.End > limit.End:
			return fmt.Sprintf("VMA %d, %v, lies outside the limit %v (rule:11.well-formed)", i, v, limit)
		case v.Perm&^vm.PermRWX != 0:
			return fmt.Sprintf("VMA %d, %v, has permission bits other than rwx (rule:11.well-formed)", i, v)
		case i == 0:
			continue
		case vs[i-1].Range.End > v.Range.Start:
			return fmt.Sprintf("VMA %d, %v, overlaps or comes before VMA %d, %v (rule:11.sorted)", i, v, i-1, vs[i-1])
		case vs[i-1].Range.End == v.Range.Start && compatible(vs[i-1], v):
			return fmt.Sprintf("VMAs %d and %d, %v and %v, touch and are compatible but are not merged (rule:11.merged)", i-1, i, vs[i-1], v)
		}
	}
	return ""
}

// rules returns the labels of a spec worth pts points that checks the
// rules of exercise 11 named (without the "rule:11." prefix).
func rules(pts int, names ...string) ginkgo.Labels {
	return speclabel.Rules(pts, "rule:11.", names...)
}

// badArguments lists calls with one bad argument each: every one must
// fail with the error named and leave the set as it was (runSteps checks
// that a failing call changes nothing).
func badArguments() []ginkgo.TableEntry {
	a := anon(0x100000, 0x104000, rw)
	bad := func(o op, sentinel error) story {
		return story{setup: vmas(a), steps: []step{expect(o, fails(sentinel))}, after: vmas(a)}
	}
	e := func(rule, desc string, o op, sentinel error) ginkgo.TableEntry {
		return ginkgo.Entry(fmt.Sprintf("%s: %v fails with %q", desc, o, sentinel), rules(1, rule, "failure-changes-nothing"), bad(o, sentinel))
	}
	return []ginkgo.TableEntry{
		e("map-not-aligned", "mmap at an address that is not page-aligned", mapOp(anon(0x102800, 0x106000, rw), true), vm.ErrNotAligned),
		e("map-not-aligned", "mmap of a length that is not a whole number of pages", mapOp(anon(0x200000, 0x200800, rw), false), vm.ErrNotAligned),
		e("map-not-aligned", "mmap of a file at an offset that is not page-aligned", mapOp(fileVMA(0x101000, 0x102000, rw, "f", 0x10), true), vm.ErrNotAligned),
		e("map-out-of-range", "mmap of nothing", mapOp(anon(0x200000, 0x200000, rw), true), vm.ErrOutOfRange),
		e("map-out-of-range", "mmap of an inverted range", mapOp(anon(0x202000, 0x200000, rw), false), vm.ErrOutOfRange),
		e("map-out-of-range", "MAP_FIXED below the user range", mapOp(anon(0xf000, 0x11000, rw), true), vm.ErrOutOfRange),
		e("map-out-of-range", "MAP_FIXED beyond the user range", mapOp(anon(0x7fff_f000, 0x8000_1000, rw), true), vm.ErrOutOfRange),
		e("map-bad-permission", "mmap with the user bit, which a VMA never stores", mapOp(anon(0x200000, 0x201000, rw|vm.PermUser), true), vm.ErrBadPermission),
		e("map-invalid-config", "mmap of a file with no file", mapOp(fileVMA(0x101000, 0x102000, rw, "", 0), true), vm.ErrInvalidConfig),
		e("map-invalid-config", "mmap of anonymous memory at a file offset", mapOp(vm.VMA{Range: rng(0x101000, 0x102000), Perm: rw, Offset: 0x1000}, true), vm.ErrInvalidConfig),
		e("map-invalid-config", "mmap with an unknown backing", mapOp(vm.VMA{Range: rng(0x200000, 0x201000), Perm: rw, Backing: vm.BackingFile + 1, File: "f"}, true), vm.ErrInvalidConfig),
		e("map-invalid-config", "mmap with an unknown role", mapOp(vm.VMA{Range: rng(0x200000, 0x201000), Perm: rw, Role: vm.RoleMmap + 1}, true), vm.ErrInvalidConfig),
		e("unmap-range-errors", "munmap of a range that is not page-aligned", unmapOp(rng(0x101000, 0x101800)), vm.ErrNotAligned),
		e("unmap-range-errors", "munmap of nothing", unmapOp(rng(0x101000, 0x101000)), vm.ErrOutOfRange),
		e("unmap-range-errors", "munmap of an inverted range", unmapOp(rng(0x103000, 0x101000)), vm.ErrOutOfRange),
		e("unmap-range-errors", "munmap reaching outside the user range", unmapOp(rng(0x7fff_0000, 0x8001_0000)), vm.ErrOutOfRange),
		e("unmap-range-errors", "munmap starting below the user range", unmapOp(rng(0xf000, 0x101000)), vm.ErrOutOfRange),
		e("protect-bad-permission", "mprotect with the user bit", protectOp(rng(0x101000, 0x102000), vm.PermRead|vm.PermUser), vm.ErrBadPermission),
		e("protect-range-errors", "mprotect of a range that is not page-aligned", protectOp(rng(0x100800, 0x102000), ro), vm.ErrNotAligned),
		e("protect-range-errors", "mprotect of nothing", protectOp(rng(0x101000, 0x101000), ro), vm.ErrOutOfRange),
		e("protect-range-errors", "mprotect of an inverted range", protectOp(rng(0x103000, 0x101000), ro), vm.ErrOutOfRange),
		e("protect-range-errors", "mprotect reaching outside the user range", protectOp(rng(0x7fff_f000, 0x8000_1000), ro), vm.ErrOutOfRange),
		e("resize-errors", "brk of a VMA that does not start there", resizeOp(0x101000, 0x106000), vm.ErrNotMapped),
		e("resize-errors", "brk to an end that is not page-aligned", resizeOp(0x100000, 0x104800), vm.ErrNotAligned),
		e("resize-errors", "brk down to nothing", resizeOp(0x100000, 0x100000), vm.ErrOutOfRange),
		e("resize-errors", "brk to an end below the start", resizeOp(0x100000, 0xff000), vm.ErrOutOfRange),
		e("resize-errors", "brk beyond the user range", resizeOp(0x100000, 0x8000_1000), vm.ErrOutOfRange),

		// Argument errors come before errors about the set's contents.
		e("argument-errors-first", "an unaligned mmap too long to fit anywhere is refused for its alignment, not for want of room",
			mapOp(anon(0, 0x7fff_0800, rw), false), vm.ErrNotAligned),
		e("argument-errors-first", "an mmap with a bad permission too long to fit anywhere is refused for its permission",
			mapOp(anon(0, 0x7fff_0000, rw|vm.PermUser), false), vm.ErrBadPermission),
		e("argument-errors-first", "mprotect with a bad permission over a hole is refused for its permission",
			protectOp(rng(0x200000, 0x201000), vm.PermRead|vm.PermUser), vm.ErrBadPermission),
		e("argument-errors-first", "mprotect of an unaligned range over a hole is refused for its alignment",
			protectOp(rng(0x200000, 0x200800), ro), vm.ErrNotAligned),
		e("argument-errors-first", "mprotect beyond the user range over a hole is refused for its range",
			protectOp(rng(0x7fff_f000, 0x8000_1000), ro), vm.ErrOutOfRange),
		e("argument-errors-first", "brk of a start without a VMA to an unaligned end is refused for its alignment",
			resizeOp(0x200000, 0x201800), vm.ErrNotAligned),
		e("argument-errors-first", "brk of a start without a VMA beyond the user range is refused for its range",
			resizeOp(0x200000, 0x8000_1000), vm.ErrOutOfRange),
	}
}

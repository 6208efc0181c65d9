package heapstackspec

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/gomega"
	"pgregory.net/rapid"

	"github.com/vmkata/vmkata/specs/internal/feedback"
	"github.com/vmkata/vmkata/vm"
)

// brkStep is one call of Brk and what it must return. The heap passed is
// the one the previous step returned.
type brkStep struct {
	req      vm.VAddr
	want     vm.VAddr     // the break afterwards
	released vm.AddrRange // the pages given back
	err      error        // nil, or the sentinel the error must wrap
}

func (s brkStep) String() string { return fmt.Sprintf("brk(%v)", s.req) }

// brkStory is a textbook case on the textbook layout (text, data, bss) plus
// extra VMAs: calls from heap, and the VMAs above bss afterwards.
type brkStory struct {
	extra []vm.VMA
	heap  vm.Heap
	steps []brkStep
	after []vm.VMA
}

func grows(req vm.VAddr) brkStep { return brkStep{req: req, want: req} }
func shrinks(req vm.VAddr, released vm.AddrRange) brkStep {
	return brkStep{req: req, want: req, released: released}
}
func stays(req, brk vm.VAddr) brkStep { return brkStep{req: req, want: brk} }
func refused(req, brk vm.VAddr, sentinel error) brkStep {
	return brkStep{req: req, want: brk, err: sentinel}
}

func describeBrk(brk BrkFunc) {
	ginkgo.Describe("Brk", ginkgo.Label("topic:heap"), func() {
		fresh := func(limit uint64) vm.Heap { return vm.Heap{Start: heapStart, Brk: heapStart, Limit: limit} }
		const big = 1 << 30
		h := heapVMA
		next := at(lib, 0x605000, 0x606000) // a mapping a few pages above the heap's start

		ginkgo.DescribeTable("textbook cases", func(st brkStory) { playBrk(brk, st) },
			ginkgo.Entry("brk(0) reports the break and changes nothing", rules(1, "brk-query"), brkStory{
				heap: fresh(big), steps: []brkStep{grows(0x602010), stays(0, 0x602010)}, after: []vm.VMA{h(0x602000, 0x603000)}}),
			ginkgo.Entry("a request below the heap's start reports the break", rules(1, "brk-query"), brkStory{
				heap: fresh(big), steps: []brkStep{stays(0x601fff, 0x602000), stays(0x400000, 0x602000)}}),
			ginkgo.Entry("malloc(100): the first growth creates a one-page heap VMA", rules(1, "brk-grow", "brk-result"), brkStory{
				heap: fresh(big), steps: []brkStep{grows(0x602064)}, after: []vm.VMA{h(0x602000, 0x603000)}}),
			ginkgo.Entry("a growth within the last page moves only the break", rules(1, "brk-same-page"), brkStory{
				heap: fresh(big), steps: []brkStep{grows(0x602064), grows(0x603000)}, after: []vm.VMA{h(0x602000, 0x603000)}}),
			ginkgo.Entry("a growth across pages extends the heap VMA to the break's page", rules(1, "brk-grow"), brkStory{
				heap: fresh(big), steps: []brkStep{grows(0x602064), grows(0x604001)}, after: []vm.VMA{h(0x602000, 0x605000)}}),
			ginkgo.Entry("the heap grows right up to the next mapping", rules(1, "brk-no-overlap", "brk-grow"), brkStory{
				extra: []vm.VMA{next}, heap: fresh(big), steps: []brkStep{grows(0x602064), grows(0x605000)},
				after: []vm.VMA{h(0x602000, 0x605000), next}}),
			ginkgo.Entry("the heap may not grow over the next mapping: the break stays, the mapping too", rules(2, "brk-no-overlap", "brk-failure-unchanged"), brkStory{
				extra: []vm.VMA{next}, heap: fresh(big),
				steps: []brkStep{grows(0x602064), refused(0x605001, 0x602064, vm.ErrOutOfMemory), refused(0x700000, 0x602064, vm.ErrOutOfMemory)},
				after: []vm.VMA{h(0x602000, 0x603000), next}}),
			ginkgo.Entry("the first growth over a mapping at the heap's start fails", rules(1, "brk-no-overlap", "brk-failure-unchanged"), brkStory{
				extra: []vm.VMA{at(lib, 0x602000, 0x603000)}, heap: fresh(big),
				steps: []brkStep{refused(0x602001, 0x602000, vm.ErrOutOfMemory)}, after: []vm.VMA{at(lib, 0x602000, 0x603000)}}),
			ginkgo.Entry("the heap grows up to RLIMIT_DATA, not a byte more", rules(2, "brk-limit", "brk-failure-unchanged"), brkStory{
				heap: fresh(0x2800), steps: []brkStep{grows(0x604800), refused(0x604801, 0x604800, vm.ErrOutOfMemory)},
				after: []vm.VMA{h(0x602000, 0x605000)}}),
			ginkgo.Entry("shrinking within a page releases nothing", rules(1, "brk-same-page", "brk-result"), brkStory{
				heap: fresh(big), steps: []brkStep{grows(0x605001), shrinks(0x605800, vm.AddrRange{}), shrinks(0x605001, vm.AddrRange{})},
				after: []vm.VMA{h(0x602000, 0x606000)}}),
			ginkgo.Entry("shrinking releases the whole pages above the new break", rules(2, "brk-shrink"), brkStory{
				heap: fresh(big), steps: []brkStep{grows(0x605001), shrinks(0x602fff, rng(0x603000, 0x606000))},
				after: []vm.VMA{h(0x602000, 0x603000)}}),
			ginkgo.Entry("shrinking back to the start removes the heap VMA", rules(1, "brk-shrink"), brkStory{
				heap: fresh(big), steps: []brkStep{grows(0x605001), shrinks(0x602000, rng(0x602000, 0x606000))}}),
			ginkgo.Entry("grow, shrink, grow again: the heap comes back", rules(1, "brk-grow", "brk-shrink"), brkStory{
				extra: []vm.VMA{next}, heap: fresh(big),
				steps: []brkStep{grows(0x604000), shrinks(0x602000, rng(0x602000, 0x604000)), grows(0x603010)},
				after: []vm.VMA{h(0x602000, 0x604000), next}}),
			ginkgo.Entry("a limit lowered under the heap refuses a shrink that stays above it", rules(1, "brk-limit-first", "brk-failure-unchanged"), brkStory{
				extra: []vm.VMA{h(0x602000, 0x605000)}, heap: vm.Heap{Start: heapStart, Brk: 0x605000, Limit: 0x1000},
				steps: []brkStep{refused(0x604000, 0x605000, vm.ErrOutOfMemory), shrinks(0x603000, rng(0x603000, 0x605000))},
				after: []vm.VMA{h(0x602000, 0x603000)}}),
			ginkgo.Entry("a break whose page would overflow the address space fails", rules(1, "brk-overflow"), brkStory{
				heap: fresh(math.MaxUint64), steps: []brkStep{refused(math.MaxUint64, 0x602000, vm.ErrOutOfMemory)}}),
			ginkgo.Entry("a limit of 0 allows only the empty heap", rules(1, "brk-limit"), brkStory{
				heap: fresh(0), steps: []brkStep{stays(heapStart, heapStart), refused(heapStart+1, heapStart, vm.ErrOutOfMemory)}}),
			ginkgo.Entry("brk(0) on a heap that grew reports its break and keeps its pages", rules(1, "brk-query"), brkStory{
				heap: fresh(big), steps: []brkStep{grows(0x604001), stays(0, 0x604001), grows(0x605000)},
				after: []vm.VMA{h(0x602000, 0x605000)}}),
			ginkgo.Entry("after a shrink to a break inside a page, growth resumes at that page's end", rules(2, "brk-same-page", "brk-shrink", "brk-grow"), brkStory{
				heap:  fresh(big),
				steps: []brkStep{grows(0x605001), shrinks(0x602fff, rng(0x603000, 0x606000)), grows(0x603000), grows(0x603001)},
				after: []vm.VMA{h(0x602000, 0x604000)}}),
			ginkgo.Entry("a shrink of less than a page from a page boundary releases nothing", rules(1, "brk-same-page", "brk-result"), brkStory{
				heap: fresh(big), steps: []brkStep{grows(0x604000), shrinks(0x603001, vm.AddrRange{})},
				after: []vm.VMA{h(0x602000, 0x604000)}}),
		)

		ginkgo.DescribeTable("a heap that breaks its invariant is refused and comes back unchanged",
			func(h vm.Heap, p vm.PageSize, req vm.VAddr, sentinel error) {
				s := newSet([]vm.VMA{text, data, bss})
				got, released, err := brk(s, p, h, req)
				gomega.Expect(errors.Is(err, sentinel)).To(gomega.BeTrue(),
					"Brk(%v pages, %v, %v) returned error %v, want one wrapping %q", p, h, req, err, sentinel)
				gomega.Expect(got).To(gomega.Equal(h), "Brk(%v pages, %v, %v) returned heap %v, want it unchanged", p, h, req, got)
				gomega.Expect(released).To(gomega.Equal(vm.AddrRange{}), "Brk(%v pages, %v, %v) released pages", p, h, req)
				gomega.Expect(slices.Collect(s.All())).To(gomega.Equal([]vm.VMA{text, data, bss}), "the VMAs after Brk(%v pages, %v, %v)", p, h, req)
			},
			ginkgo.Entry("a start off a page boundary", rules(1, "brk-invalid-heap"), vm.Heap{Start: 0x602010, Brk: 0x602010, Limit: 1 << 30}, ps, vm.VAddr(0x604000), vm.ErrNotAligned),
			ginkgo.Entry("a break below the start", rules(1, "brk-invalid-heap"), vm.Heap{Start: 0x602000, Brk: 0x601000, Limit: 1 << 30}, ps, vm.VAddr(0x604000), vm.ErrInvalidConfig),
			ginkgo.Entry("a page size that is not a power of two", rules(1, "brk-invalid-heap"), vm.Heap{Start: 0x602000, Brk: 0x602000, Limit: 1 << 30}, vm.PageSize(0x1800), vm.VAddr(0x604000), vm.ErrInvalidConfig),
			ginkgo.Entry("a page size of 0, even for brk(0)", rules(1, "brk-invalid-heap"), vm.Heap{Start: 0x602000, Brk: 0x602000, Limit: 1 << 30}, vm.PageSize(0), vm.VAddr(0), vm.ErrInvalidConfig),
			ginkgo.Entry("a break below the start, even for brk(0)", rules(1, "brk-invalid-heap"), vm.Heap{Start: 0x602000, Brk: 0x601000, Limit: 1 << 30}, ps, vm.VAddr(0), vm.ErrInvalidConfig),
			ginkgo.Entry("a break in the last page of the address space, even for brk(0)", rules(1, "brk-invalid-heap"),
				vm.Heap{Start: 0x602000, Brk: math.MaxUint64 - 0x10, Limit: math.MaxUint64}, ps, vm.VAddr(0), vm.ErrInvalidConfig),
		)

		ginkgo.It("accepts a page size of 1, a power of two: brk(0) reports the break", rules(1, "brk-invalid-heap", "brk-query"), func() {
			h := vm.Heap{Start: 0x602000, Brk: 0x602010, Limit: 1 << 30}
			s := newSet([]vm.VMA{text, data, bss})
			got, released, err := brk(s, 1, h, 0)
			gomega.Expect(err).NotTo(gomega.HaveOccurred(), "Brk(1-byte pages, %v, 0)", h)
			gomega.Expect(got).To(gomega.Equal(h), "Brk(1-byte pages, %v, 0) returned heap %v, want it unchanged", h, got)
			gomega.Expect(released).To(gomega.Equal(vm.AddrRange{}), "Brk(1-byte pages, %v, 0) released pages", h)
		})

		describeRefusals(brk)

		ginkgo.It("agrees with a model of the heap on random layouts and break requests", ginkgo.Label("property"), func() {
			feedback.Check(func(t *rapid.T) { brkMachine(t, brk) })
		})
	})
}

// playBrk runs a story and fails at the first result that differs,
// printing the calls so far.
func playBrk(brk BrkFunc, st brkStory) {
	s := newSet(append([]vm.VMA{text, data, bss}, st.extra...))
	h := st.heap
	var trail []string
	for _, step := range st.steps {
		got, released, err := brk(s, ps, h, step.req)
		call := fmt.Sprintf("Brk(%v, %v)", h, step.req)
		trail = append(trail, fmt.Sprintf("%s = %v, %v, %v", call, got.Brk, released, err))
		seq := "\nsequence: " + strings.Join(trail, " · ")
		want := h
		want.Brk = step.want
		switch {
		case step.err == nil && err != nil:
			ginkgo.Fail(fmt.Sprintf("%s returned error %v, want none%s", call, err, seq))
		case step.err != nil && !errors.Is(err, step.err):
			ginkgo.Fail(fmt.Sprintf("%s returned error %v, want one wrapping %q%s", call, err, step.err, seq))
		case got != want:
			ginkgo.Fail(fmt.Sprintf("%s returned %v, want %v%s", call, got, want, seq))
		case released != step.released:
			ginkgo.Fail(fmt.Sprintf("%s released %v, want %v%s", call, released, step.released, seq))
		}
		h = got
	}
	after := slices.Collect(s.All())
	want := append([]vm.VMA{text, data, bss}, st.after...)
	if !slices.Equal(after, want) {
		ginkgo.Fail(fmt.Sprintf("the VMAs afterwards are%s\nwant%s\nsequence: %s", listing(after), listing(want), strings.Join(trail, " · ")))
	}
}

// brkMachine draws a layout (bss below the heap's start, a few mappings
// above it), a limit, and a sequence of break requests, and checks every
// result and the VMAs after each call against a model: the other mappings
// never change, the heap VMA is [Start, pageUp(Brk)) while Brk > Start.
func brkMachine(t *rapid.T, brk BrkFunc) {
	const window = 24 // pages above the heap's start where things happen
	start := heapStart
	bssAt := at(bss, start-0x1000, start)
	var others []vm.VMA
	for i, n := 0, rapid.IntRange(0, 3).Draw(t, "mappings above the heap"); i < n; i++ {
		lo := start + vm.VAddr(rapid.IntRange(0, window).Draw(t, "mapping page")*0x1000)
		v := at(block, lo, lo+vm.VAddr(rapid.IntRange(1, 3).Draw(t, "mapping pages")*0x1000))
		if !slices.ContainsFunc(others, func(o vm.VMA) bool {
			return o.Range.Overlaps(v.Range) || o.Range.End == v.Range.Start || v.Range.End == o.Range.Start
		}) {
			others = append(others, v)
		}
	}
	slices.SortFunc(others, func(a, b vm.VMA) int { return int(int64(a.Range.Start) - int64(b.Range.Start)) })
	limit := uint64(math.MaxUint64)
	if rapid.Bool().Draw(t, "limited") {
		limit = uint64(rapid.IntRange(0, window*0x1000).Draw(t, "limit"))
	}
	h := vm.Heap{Start: start, Brk: start, Limit: limit}
	s := newSet(append([]vm.VMA{bssAt}, others...))
	t.Logf("layout:%s\nheap: %v", listing(slices.Collect(s.All())), h)

	pageUp := func(va vm.VAddr) vm.VAddr { return (va + 0xfff) &^ 0xfff }
	for i, n := 0, rapid.IntRange(1, 12).Draw(t, "calls"); i < n; i++ {
		var req vm.VAddr
		switch rapid.IntRange(0, 5).Draw(t, "kind of request") {
		case 0:
			req = vm.VAddr(rapid.SampledFrom([]uint64{0, uint64(start) - 1, uint64(start)}).Draw(t, "low request"))
		case 1:
			req = pageUp(h.Brk) + vm.VAddr(rapid.IntRange(-1, 1).Draw(t, "near the break's page"))
		default:
			req = start + vm.VAddr(rapid.IntRange(0, window*0x1000+0x800).Draw(t, "request"))
		}
		// The model.
		want, wantReleased, wantErr := h, vm.AddrRange{}, false
		if req >= start {
			oldEnd, newEnd := pageUp(h.Brk), pageUp(req)
			clash := slices.ContainsFunc(others, func(o vm.VMA) bool { return o.Range.Overlaps(rng(oldEnd, newEnd)) })
			switch {
			case uint64(req-start) > limit, newEnd > oldEnd && clash:
				wantErr = true
			default:
				want.Brk = req
				if newEnd < oldEnd {
					wantReleased = rng(newEnd, oldEnd)
				}
			}
		}
		got, released, err := brk(s, ps, h, req)
		t.Logf("Brk(%v, %v) = %v, %v, %v", h, req, got, released, err)
		if wantErr != (err != nil) || (err != nil && !errors.Is(err, vm.ErrOutOfMemory)) {
			if wantErr {
				t.Fatalf("Brk(%v, %v) returned error %v, want one wrapping %q", h, req, err, vm.ErrOutOfMemory)
			}
			t.Fatalf("Brk(%v, %v) returned error %v, want none", h, req, err)
		}
		if got != want || released != wantReleased {
			t.Fatalf("Brk(%v, %v) = %v, %v, want %v, %v", h, req, got, released, want, wantReleased)
		}
		h = got
		wantVMAs := append([]vm.VMA{bssAt}, others...)
		if h.Brk > start {
			wantVMAs = append(wantVMAs, heapVMA(start, pageUp(h.Brk)))
			slices.SortFunc(wantVMAs, func(a, b vm.VMA) int { return int(int64(a.Range.Start) - int64(b.Range.Start)) })
		}
		if vs := slices.Collect(s.All()); !slices.Equal(vs, wantVMAs) {
			t.Fatalf("after Brk(%v) the VMAs are%s\nwant%s", req, listing(vs), listing(wantVMAs))
		}
	}
}

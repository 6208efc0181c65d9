package heapstackspec

import (
	"fmt"
	"slices"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/gomega"
	"pgregory.net/rapid"

	"github.com/vmkata/vmkata/specs/internal/feedback"
	"github.com/vmkata/vmkata/vm"
)

// The textbook layout with a heap of two pages, and the stack rules of the
// textbook cases: a 1 MiB stack limit and a 64 KiB guard gap.
var (
	heap   = heapVMA(0x602000, 0x604000)
	layout = []vm.VMA{text, data, bss, heap, guard, lib, block, stack}
	limits = vm.Stack{Limit: 0x10_0000, GuardGap: 0x1_0000}
	roomy  = vm.Stack{Limit: 0x40_0000, GuardGap: 0x1_0000} // room to grow down to the mmap area
)

// fault is a textbook case: a fault, the stack rules and the verdict, on
// the textbook layout unless vmas is set.
type fault struct {
	va    vm.VAddr
	a     vm.Access
	rules vm.Stack
	want  vm.Verdict
	vmas  []vm.VMA
}

func lazy(v vm.VMA) vm.Verdict   { return vm.Verdict{Kind: vm.VerdictLazy, VMA: v} }
func accErr(v vm.VMA) vm.Verdict { return vm.Verdict{Kind: vm.VerdictAccErr, VMA: v} }
func mapErr(v vm.VMA) vm.Verdict { return vm.Verdict{Kind: vm.VerdictMapErr, VMA: v} }
func growTo(start vm.VAddr) vm.Verdict {
	return vm.Verdict{Kind: vm.VerdictGrowStack, VMA: stack, NewStart: start}
}

func describeClassify(classify ClassifyFunc) {
	ginkgo.Describe("ClassifyFault", ginkgo.Label("topic:stack"), func() {
		e := func(desc string, labels ginkgo.Labels, va vm.VAddr, a vm.Access, st vm.Stack, want vm.Verdict) ginkgo.TableEntry {
			return ginkgo.Entry(fmt.Sprintf("%s: %v at %v is %v", desc, a, va, want.Kind), labels, fault{va: va, a: a, rules: st, want: want})
		}
		ginkgo.DescribeTable("textbook cases on the textbook layout", func(f fault) { playFault(classify, f) },
			e("running the program: an instruction fetch from text is demand paging", rules(1, "classify-lazy", "classify-reason"), 0x400123, vm.UserExec, limits, lazy(text)),
			e("a read of initialized data", rules(1, "classify-lazy"), 0x600008, vm.UserRead, limits, lazy(data)),
			e("a write to the heap below the break", rules(1, "classify-lazy", "classify-changes-nothing"), 0x603ff8, vm.UserWrite, limits, lazy(heap)),
			e("the kernel writing to the heap on the process's behalf", rules(1, "classify-lazy"), 0x602008, vm.SupervisorWrite, limits, lazy(heap)),
			e("a write to the text segment", rules(2, "classify-accerr", "classify-reason"), 0x400123, vm.UserWrite, limits, accErr(text)),
			e("the kernel writing to text on the process's behalf", rules(1, "classify-accerr"), 0x400123, vm.SupervisorWrite, limits, accErr(text)),
			e("an exec of the heap (it is not executable: NX)", rules(2, "classify-accerr"), 0x602010, vm.UserExec, limits, accErr(heap)),
			e("the kernel executing heap bytes", rules(1, "classify-accerr"), 0x602010, vm.SupervisorExec, limits, accErr(heap)),
			e("a read of a PROT_NONE page is ACCERR, not MAPERR: a VMA holds it", rules(2, "classify-accerr"), 0x7fc0_0010, vm.UserRead, limits, accErr(guard)),
			e("the kernel reading a PROT_NONE page", rules(1, "classify-accerr"), 0x7fc0_0ff8, vm.SupervisorRead, limits, accErr(guard)),
			e("a read just above the heap's last page", rules(2, "classify-hole", "classify-reason"), 0x604000, vm.UserRead, limits, mapErr(vm.VMA{})),
			e("a NULL pointer", rules(1, "classify-hole"), 0, vm.UserRead, limits, mapErr(vm.VMA{})),
			e("a read between text and data", rules(1, "classify-hole"), 0x500000, vm.UserRead, limits, mapErr(vm.VMA{})),
			e("a read above every VMA", rules(1, "classify-hole"), 0x9000_0000, vm.UserRead, limits, mapErr(vm.VMA{})),
			e("a read inside the stack", rules(1, "classify-lazy"), 0x7fff_fff8, vm.UserRead, limits, lazy(stack)),
			e("a push just below the stack grows it by a page", rules(2, "classify-grow", "classify-reason", "classify-changes-nothing"), 0x7ffe_fff8, vm.UserWrite, limits, growTo(0x7ffe_f000)),
			e("a deeper access grows the stack to that access's page", rules(1, "classify-grow"), 0x7ffc_0123, vm.UserRead, limits, growTo(0x7ffc_0000)),
			e("the stack may grow to exactly its limit", rules(1, "classify-stack-limit", "classify-grow"), 0x7ff0_0000, vm.UserWrite, limits, growTo(0x7ff0_0000)),
			e("a byte beyond the limit is a stack overflow", rules(2, "classify-stack-limit", "classify-reason"), 0x7fef_ffff, vm.UserWrite, limits, mapErr(stack)),
			e("a stray pointer far below the stack", rules(1, "classify-stack-limit"), 0x7fe3_0000, vm.UserWrite, limits, mapErr(stack)),
			e("an instruction fetch just below the stack (the stack is not executable)", rules(1, "classify-stack-accerr", "classify-reason"), 0x7ffe_fff8, vm.UserExec, limits, accErr(stack)),
			e("an instruction fetch beyond the stack's limit is a stack overflow first", rules(1, "classify-stack-accerr", "classify-stack-limit"), 0x7fef_f000, vm.UserExec, limits, mapErr(stack)),
			e("with room to grow, the stack may come down to the guard gap", rules(2, "classify-guard-gap", "classify-grow"), 0x7fe3_1000, vm.UserWrite, roomy, growTo(0x7fe3_1000)),
			e("with room to grow, a fault anywhere in the guard gap's boundary page grows to that page", rules(1, "classify-guard-gap"), 0x7fe3_1ff8, vm.UserWrite, roomy, growTo(0x7fe3_1000)),
			e("with room to grow, a page into the guard gap is a stack overflow", rules(2, "classify-guard-gap", "classify-reason"), 0x7fe3_0fff, vm.UserWrite, roomy, mapErr(stack)),
			e("with room to grow, an instruction fetch in the guard gap is a stack overflow first", rules(1, "classify-stack-accerr", "classify-guard-gap"), 0x7fe3_0000, vm.UserExec, roomy, mapErr(stack)),
			e("without a guard gap the stack may grow right up to the mapping below", rules(1, "classify-guard-gap", "classify-grow"), 0x7fe2_1000, vm.UserWrite,
				vm.Stack{Limit: roomy.Limit}, growTo(0x7fe2_1000)),
		)

		low := vm.VMA{Range: rng(0x20000, 0x22000), Perm: vm.PermRW, Role: vm.RoleStack, GrowsDown: true}
		lowText := at(text, 0x10000, 0x11000)
		big := vm.Stack{Limit: 0x10_0000, GuardGap: 0x10_0000} // a gap larger than the addresses below the stack
		ginkgo.DescribeTable("a stack near the bottom of the address space", func(f fault) { playFault(classify, f) },
			ginkgo.Entry("with nothing below, it grows whatever the guard gap", rules(1, "classify-guard-gap", "classify-grow"),
				fault{va: 0x1f008, a: vm.UserWrite, rules: big, vmas: []vm.VMA{low},
					want: vm.Verdict{Kind: vm.VerdictGrowStack, VMA: low, NewStart: 0x1f000}}),
			ginkgo.Entry("with a VMA below, a guard gap larger than the address still counts", rules(1, "classify-guard-gap"),
				fault{va: 0x1f008, a: vm.UserWrite, rules: big, vmas: []vm.VMA{lowText, low}, want: mapErr(low)}),
		)

		ginkgo.It("agrees with a model on random layouts, addresses and accesses", ginkgo.Label("property"), func() {
			feedback.Check(func(t *rapid.T) { classifyProperty(t, classify) })
		})
	})
}

// playFault classifies f on the textbook layout and checks the verdict, and
// that the VMAs did not change.
func playFault(classify ClassifyFunc, f fault) {
	vs, where := layout, "the textbook layout"
	if f.vmas != nil {
		vs, where = f.vmas, "the layout"
	}
	s := &watchedSet{VMASet: newSet(vs)}
	got := classify(s, ps, f.va, f.a, f.rules)
	call := fmt.Sprintf("ClassifyFault(%v, %v, %v) on %s%s\n", f.va, f.a, f.rules, where, listing(vs))
	if len(s.changes) > 0 {
		ginkgo.Fail(fmt.Sprintf("%scalled %v: classifying changes nothing (the kernel grows the stack)", call, s.changes))
	}
	if msg := compareVerdicts(got, f.want); msg != "" {
		ginkgo.Fail(call + msg)
	}
	gomega.Expect(slices.Collect(s.All())).To(gomega.Equal(vs), "the VMAs after %s (classifying changes nothing)", call)
}

// compareVerdicts returns "" if got matches want in Kind, VMA and
// NewStart, and carries a Reason exactly when it is a SIGSEGV; else what
// differs.
func compareVerdicts(got, want vm.Verdict) string {
	switch {
	case got.Kind != want.Kind:
		return fmt.Sprintf("verdict %v, want %s", got, wanted(want))
	case got.VMA != want.VMA:
		if want.VMA == (vm.VMA{}) {
			return fmt.Sprintf("verdict %v, want the zero VMA (no stack above)", got)
		}
		return fmt.Sprintf("verdict %v, want it about VMA %v", got, want.VMA)
	case got.NewStart != want.NewStart:
		return fmt.Sprintf("verdict %v, want NewStart %v", got, want.NewStart)
	}
	segv := want.Kind == vm.VerdictMapErr || want.Kind == vm.VerdictAccErr
	if segv && got.Reason == "" {
		return fmt.Sprintf("verdict %v has no Reason; a SIGSEGV says why", got)
	}
	if !segv && got.Reason != "" {
		return fmt.Sprintf("verdict %v has Reason %q; only a SIGSEGV carries one", got, got.Reason)
	}
	return ""
}

// wanted describes an expected verdict (which has no Reason).
func wanted(want vm.Verdict) string {
	switch {
	case want.Kind == vm.VerdictGrowStack:
		return fmt.Sprintf("%v to %v: %v", want.Kind, want.NewStart, want.VMA)
	case want.VMA == (vm.VMA{}):
		return fmt.Sprintf("%v with the zero VMA (no stack above)", want.Kind)
	}
	return fmt.Sprintf("%v about %v", want.Kind, want.VMA)
}

// classifyProperty draws a few VMAs (some growing down) in a small window
// and stack rules, and compares the verdict on every page around them, for
// every access, with a model that scans the VMAs one by one.
func classifyProperty(t *rapid.T, classify ClassifyFunc) {
	const base, window = vm.VAddr(0x100000), 32 // pages
	perms := []vm.Perm{0, vm.PermRead, vm.PermRW, vm.PermRX, vm.PermRWX}
	var vs []vm.VMA
	for i, n := 0, rapid.IntRange(1, 5).Draw(t, "VMAs"); i < n; i++ {
		lo := base + vm.VAddr(rapid.IntRange(0, window).Draw(t, "start page")*0x1000)
		v := vm.VMA{Range: rng(lo, lo+vm.VAddr(rapid.IntRange(1, 4).Draw(t, "pages")*0x1000)),
			Perm: rapid.SampledFrom(perms).Draw(t, "perm"), Role: vm.RoleMmap}
		if rapid.IntRange(0, 2).Draw(t, "grows down (1 in 3)") == 0 {
			v.Role, v.GrowsDown = vm.RoleStack, true
		}
		if !slices.ContainsFunc(vs, func(o vm.VMA) bool { return o.Range.Overlaps(v.Range) }) {
			vs = append(vs, v)
		}
	}
	s := newSet(vs)
	vs = slices.Collect(s.All()) // sorted, and merged where alike
	st := vm.Stack{
		Limit:    uint64(rapid.IntRange(0, 16).Draw(t, "stack limit (pages)")) * 0x1000,
		GuardGap: uint64(rapid.IntRange(0, 8).Draw(t, "guard gap (pages)")) * 0x1000,
	}
	// Every page of the window and around it, at its first and last byte,
	// for every kind of access: each drawn layout is checked everywhere, so
	// that a rule is judged on every layout rapid draws, not on one address.
	accesses := []vm.Access{vm.UserRead, vm.UserWrite, vm.UserExec, vm.SupervisorRead, vm.SupervisorWrite}
	for page := base - 0x8000; page < base+(window+12)*0x1000; page += 0x1000 {
		for _, va := range []vm.VAddr{page, page + 0xfff} {
			for _, a := range accesses {
				want := modelVerdict(vs, va, a, st)
				got := classify(s, ps, va, a, st)
				if msg := compareVerdicts(got, want); msg != "" {
					t.Fatalf("VMAs:%s\nClassifyFault(%v, %v, %v): %s", listing(vs), va, a, st, msg)
				}
			}
		}
	}
	if after := slices.Collect(s.All()); !slices.Equal(after, vs) {
		t.Fatalf("ClassifyFault changed the VMAs%s\nto%s", listing(vs), listing(after))
	}
}

// modelVerdict is the rules of ClassifyFault, scanning vs (sorted).
func modelVerdict(vs []vm.VMA, va vm.VAddr, a vm.Access, st vm.Stack) vm.Verdict {
	allows := func(v vm.VMA) bool { return v.Perm.Has(a.Needs() &^ vm.PermUser) }
	for _, v := range vs {
		if v.Range.Contains(va) {
			if allows(v) {
				return lazy(v)
			}
			return accErr(v)
		}
	}
	i := slices.IndexFunc(vs, func(v vm.VMA) bool { return v.Range.End > va })
	if i < 0 || !vs[i].GrowsDown {
		return mapErr(vm.VMA{})
	}
	above, start := vs[i], va&^0xfff
	if uint64(above.Range.End-start) > st.Limit {
		return mapErr(above)
	}
	if i > 0 && uint64(start-vs[i-1].Range.End) < st.GuardGap {
		return mapErr(above)
	}
	if !allows(above) {
		return accErr(above)
	}
	return vm.Verdict{Kind: vm.VerdictGrowStack, VMA: above, NewStart: start}
}

package heapstack_test

import (
	"testing"

	"github.com/vmkata/vmkata/reference/heapstack"
	"github.com/vmkata/vmkata/vm"
)

func TestClassifyFault(t *testing.T) {
	heap := heapVMA(0x602000, 0x604000)
	layout := []vm.VMA{text, data, bss, heap, lib, block, none, stack}
	// A mapping 1 MiB under the stack's top, for the guard gap.
	near := at(block, 0x7fe0_0000, 0x7fe1_0000)
	roomy := vm.Stack{Limit: 0x40_0000, GuardGap: 0x1_0000}
	low := vm.Stack{Limit: 1 << 40, GuardGap: 0x4_0000} // a gap larger than the faulting address
	grow := func(va vm.VAddr, v vm.VMA) vm.Verdict {
		return vm.Verdict{Kind: vm.VerdictGrowStack, VMA: v, NewStart: va &^ 0xfff}
	}
	tests := []struct {
		name   string
		layout []vm.VMA // nil: layout
		extra  []vm.VMA // mapped on top of layout
		rules  vm.Stack
		va     vm.VAddr
		access vm.Access
		want   vm.Verdict
	}{
		{name: "read of text", va: 0x400010, access: vm.UserRead, want: vm.Verdict{Kind: vm.VerdictLazy, VMA: text}},
		{name: "exec of text", va: 0x400ff0, access: vm.UserExec, want: vm.Verdict{Kind: vm.VerdictLazy, VMA: text}},
		{name: "write to text", va: 0x400010, access: vm.UserWrite, want: vm.Verdict{Kind: vm.VerdictAccErr, VMA: text, Reason: "the VMA does not allow writing"}},
		{name: "supervisor write to text", va: 0x400010, access: vm.SupervisorWrite, want: vm.Verdict{Kind: vm.VerdictAccErr, VMA: text, Reason: "the VMA does not allow writing"}},
		{name: "write to data", va: 0x600008, access: vm.UserWrite, want: vm.Verdict{Kind: vm.VerdictLazy, VMA: data}},
		{name: "write to the heap", va: 0x603fff, access: vm.UserWrite, want: vm.Verdict{Kind: vm.VerdictLazy, VMA: heap}},
		{name: "exec of the heap", va: 0x602000, access: vm.UserExec, want: vm.Verdict{Kind: vm.VerdictAccErr, VMA: heap, Reason: "the VMA does not allow executing"}},
		{name: "read of PROT_NONE", va: 0x3000_0000, access: vm.UserRead, want: vm.Verdict{Kind: vm.VerdictAccErr, VMA: none, Reason: "the VMA does not allow reading"}},
		{name: "read above the break", va: 0x604000, access: vm.UserRead, want: vm.Verdict{Kind: vm.VerdictMapErr, Reason: "no VMA contains the address"}},
		{name: "read between text and data", va: 0x500000, access: vm.UserRead, want: vm.Verdict{Kind: vm.VerdictMapErr, Reason: "no VMA contains the address"}},
		{name: "read of a null pointer", va: 0, access: vm.UserRead, want: vm.Verdict{Kind: vm.VerdictMapErr, Reason: "no VMA contains the address"}},
		{name: "read far below the stack", va: 0x4000_0000, access: vm.UserRead,
			want: vm.Verdict{Kind: vm.VerdictMapErr, VMA: stack, Reason: "no VMA contains the address"}},
		{name: "read inside the stack", va: 0x7fff_fff8, access: vm.UserRead, want: vm.Verdict{Kind: vm.VerdictLazy, VMA: stack}},
		{name: "write just below the stack grows it", va: 0x7ffe_fff8, access: vm.UserWrite, want: grow(0x7ffe_fff8, stack)},
		{name: "read pages below the stack grows it", va: 0x7ffc_0123, access: vm.UserRead, want: grow(0x7ffc_0123, stack)},
		{name: "growth to exactly the limit", va: 0x7ff0_0000, access: vm.UserWrite, want: grow(0x7ff0_0000, stack)},
		{name: "growth a byte past the limit overflows", va: 0x7fef_ffff, access: vm.UserWrite,
			want: vm.Verdict{Kind: vm.VerdictMapErr, VMA: stack, Reason: "stack overflow: the stack would grow past its size limit"}},
		{name: "exec below the stack", va: 0x7ffe_fff8, access: vm.UserExec,
			want: vm.Verdict{Kind: vm.VerdictAccErr, VMA: stack, Reason: "the VMA does not allow executing"}},
		{name: "growth keeping the guard gap", extra: []vm.VMA{near}, rules: roomy, va: 0x7fe2_0000, access: vm.UserWrite, want: grow(0x7fe2_0000, stack)},
		{name: "growth into the guard gap overflows", extra: []vm.VMA{near}, rules: roomy, va: 0x7fe1_ffff, access: vm.UserWrite,
			want: vm.Verdict{Kind: vm.VerdictMapErr, VMA: stack, Reason: "stack overflow: the stack would grow into the guard gap above the mapping below it"}},
		{name: "no guard gap: growth right up to the mapping", extra: []vm.VMA{near}, rules: vm.Stack{Limit: roomy.Limit}, va: 0x7fe1_0000,
			access: vm.UserWrite, want: grow(0x7fe1_0000, stack)},
		{name: "below the mapping under the stack", extra: []vm.VMA{near}, rules: roomy, va: 0x7fdf_ffff, access: vm.UserWrite,
			want: vm.Verdict{Kind: vm.VerdictMapErr, Reason: "no VMA contains the address"}},
		{name: "a guard gap reaching below address zero", layout: []vm.VMA{at(text, 0x10000, 0x11000), stack}, rules: low, va: 0x1_8000,
			access: vm.UserWrite, want: vm.Verdict{Kind: vm.VerdictMapErr, VMA: stack, Reason: "stack overflow: the stack would grow into the guard gap above the mapping below it"}},
		{name: "a guard gap reaching below address zero, nothing below", layout: []vm.VMA{stack}, rules: low, va: 0x1_8000,
			access: vm.UserWrite, want: grow(0x1_8000, stack)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vs := layout
			if tt.layout != nil {
				vs = tt.layout
			}
			s := newSet(t, append(vs, tt.extra...)...)
			r := rules
			if tt.rules != (vm.Stack{}) {
				r = tt.rules
			}
			if got := heapstack.ClassifyFault(s, ps, tt.va, tt.access, r); got != tt.want {
				t.Fatalf("ClassifyFault(%v, %v, %v) = %v, want %v", tt.va, tt.access, r, got, tt.want)
			}
		})
	}
}

func TestClassifyFaultAllocatesNothing(t *testing.T) {
	s := newSet(t, text, data, bss, lib, block, stack)
	addrs := []vm.VAddr{0x400000, 0x500000, 0x7ffe_fff8, 0x7fef_ffff, 0x4000_0000}
	allocs := testing.AllocsPerRun(100, func() {
		for _, va := range addrs {
			_ = heapstack.ClassifyFault(s, ps, va, vm.UserWrite, rules)
		}
	})
	if allocs != 0 {
		t.Fatalf("ClassifyFault allocates %v times per run, want 0", allocs)
	}
}

func BenchmarkClassifyFault(b *testing.B) {
	s := newSet(b, text, data, bss, lib, block, stack)
	for b.Loop() {
		_ = heapstack.ClassifyFault(s, ps, 0x7ffe_fff8, vm.UserWrite, rules)
	}
}

func BenchmarkBrk(b *testing.B) {
	s := newSet(b, text, data, bss)
	h := vm.Heap{Start: heapStart, Brk: heapStart, Limit: 1 << 30}
	for b.Loop() {
		h, _, _ = heapstack.Brk(s, ps, h, heapStart+0x10_0000)
		h, _, _ = heapstack.Brk(s, ps, h, heapStart)
	}
}

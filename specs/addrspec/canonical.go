package addrspec

import (
	"errors"
	"fmt"

	"github.com/onsi/ginkgo/v2"

	"github.com/vmkata/vmkata/vm"
)

// canonCase is an address, whether it is canonical in g, and its canonical
// form.
type canonCase struct {
	g         vm.Geometry
	va        vm.VAddr
	canonical bool
	form      vm.VAddr
}

var canonCases = []canonCase{
	{g: vm.X86_64, va: 0x0000_7fff_ffff_ffff, canonical: true, form: 0x0000_7fff_ffff_ffff},
	{g: vm.X86_64, va: 0xffff_8000_0000_0000, canonical: true, form: 0xffff_8000_0000_0000},
	{g: vm.X86_64, va: 0x0000_8000_0000_0000, form: 0xffff_8000_0000_0000},
	{g: vm.X86_64, va: 0xffff_7fff_ffff_ffff, form: 0x0000_7fff_ffff_ffff},
	{g: vm.X86_64, va: 0x8000_0000_0000_1000, form: 0x1000},
	{g: vm.X86_64_5Level, va: 0x0000_8000_0000_0000, canonical: true, form: 0x0000_8000_0000_0000},
	{g: vm.X86_64_5Level, va: 0x0100_0000_0000_0000, form: 0xff00_0000_0000_0000},
	{g: vm.X86_32, va: 0xffff_ffff, canonical: true, form: 0xffff_ffff},
	{g: vm.X86_64, va: 0x0001_0000_0000_0000, form: 0},
	{g: vm.X86_64, va: 0xffff_ffff_ffff_ffff, canonical: true, form: 0xffff_ffff_ffff_ffff},
	{g: vm.X86_32, va: 0x1_0000_0000, form: 0},
	{g: vm.X86_32, va: 0x8000_0000, canonical: true, form: 0x8000_0000},
	{g: vm.Textbook, va: 0x4000, form: 0},
	{g: uneven, va: 0x2_0000_1000, form: 0x1000},
}

// splitRule is the rule an address Split refuses in g falls under.
func splitRule(g vm.Geometry) string {
	if g.SignExtended {
		return "rule:01.split-non-canonical"
	}
	return "rule:01.split-out-of-range"
}

func describeCanonical(f Funcs) {
	entries := func(keep func(canonCase) bool, labels func(canonCase) []string) []ginkgo.TableEntry {
		var out []ginkgo.TableEntry
		for _, c := range canonCases {
			if !keep(c) {
				continue
			}
			what := "not canonical"
			if c.canonical {
				what = "canonical"
			}
			out = append(out, ginkgo.Entry(fmt.Sprintf("%v in %v is %s", c.va, c.g, what), ginkgo.Label(append(labels(c), "points:1")...), c))
		}
		return out
	}
	all := func(canonCase) bool { return true }
	refused := func(c canonCase) bool { return !c.canonical }
	rule := func(id string) func(canonCase) []string { return func(canonCase) []string { return []string{id} } }

	ginkgo.DescribeTable("IsCanonical",
		func(c canonCase) {
			if got := f.IsCanonical(c.g, c.va); got != c.canonical {
				failf("IsCanonical(%v, %v) = %v, want %v", c.g, c.va, got, c.canonical)
			}
		},
		entries(all, rule("rule:01.is-canonical")))

	ginkgo.DescribeTable("Canonical",
		func(c canonCase) {
			if got := f.Canonical(c.g, c.va); got != c.form {
				failf("Canonical(%v, %v) = %v, want %v", c.g, c.va, got, c.form)
			}
		},
		entries(all, rule("rule:01.canonical")))

	ginkgo.DescribeTable("Canonical of a canonical form is that form, and IsCanonical accepts it",
		func(c canonCase) {
			if got := f.Canonical(c.g, c.form); got != c.form {
				failf("Canonical(%v, %v) = %v, want %v unchanged: Canonical(Canonical(va)) must equal Canonical(va)", c.g, c.form, got, c.form)
			}
			if !f.IsCanonical(c.g, c.form) {
				failf("IsCanonical(%v, %v) = false for the canonical form of %v, want true", c.g, c.form, c.va)
			}
		},
		entries(all, rule("rule:01.canonical-idempotent")))

	ginkgo.DescribeTable("Split refuses an address the geometry cannot translate",
		func(c canonCase) {
			want := errWord(c.g)
			if vpn, off, err := f.Split(c.g, c.va); !errors.Is(err, want) {
				failf("Split(%v, %v) = %v, %#x, %v, want an error wrapping %q", c.g, c.va, vpn, off, err, want)
			}
		},
		entries(refused, func(c canonCase) []string { return []string{splitRule(c.g)} }))

	ginkgo.DescribeTable("Index refuses the addresses Split refuses",
		func(c canonCase) {
			want := errWord(c.g)
			for level := 1; level <= int(c.g.Levels); level++ {
				if idx, err := f.Index(c.g, c.va, level); !errors.Is(err, want) {
					failf("Index(%v, %v, %d) = %d, %v, want an error wrapping %q", c.g, c.va, level, idx, err, want)
				}
			}
		},
		entries(refused, rule("rule:01.index-checks-address")))

	ginkgo.It("takes every address as canonical when VABits is 64", ginkgo.Label("rule:01.full-width", "points:2"), func() {
		for _, va := range []vm.VAddr{0, 0x0000_8000_0000_0000, 0x8000_0000_0000_0000, 0xffff_ffff_ffff_ffff} {
			if !f.IsCanonical(full64, va) {
				failf("IsCanonical(%v, %v) = false, want true: all 64 bits are address bits", full64, va)
			}
			if got := f.Canonical(full64, va); got != va {
				failf("Canonical(%v, %v) = %v, want it unchanged", full64, va, got)
			}
			vpn, off, err := f.Split(full64, va)
			if wantVPN, wantOff := vm.VPN(uint64(va)>>14), uint64(va)&0x3fff; err != nil || vpn != wantVPN || off != wantOff {
				failf("Split(%v, %v) = %v, %#x, %v, want %v, %#x, nil", full64, va, vpn, off, err, wantVPN, wantOff)
			}
			if idx, err := f.Index(full64, va, 5); err != nil || idx != int(uint64(va)>>54) {
				failf("Index(%v, %v, 5) = %d, %v, want %d, nil", full64, va, idx, err, uint64(va)>>54)
			}
		}
	})
}

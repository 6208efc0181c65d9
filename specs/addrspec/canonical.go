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
	{g: vm.X86_32, va: 0x1_0000_0000, form: 0},
	{g: vm.Textbook, va: 0x4000, form: 0},
}

func describeCanonical(f Funcs) {
	var entries []ginkgo.TableEntry
	for _, c := range canonCases {
		what := "not canonical"
		if c.canonical {
			what = "canonical"
		}
		entries = append(entries, ginkgo.Entry(fmt.Sprintf("%v in %v is %s", c.va, c.g, what), ginkgo.Label("points:1"), c))
	}

	ginkgo.DescribeTable("IsCanonical and Canonical",
		func(c canonCase) {
			if got := f.IsCanonical(c.g, c.va); got != c.canonical {
				failf("IsCanonical(%v, %v) = %v, want %v", c.g, c.va, got, c.canonical)
			}
			if got := f.Canonical(c.g, c.va); got != c.form {
				failf("Canonical(%v, %v) = %v, want %v", c.g, c.va, got, c.form)
			}
		},
		entries)

	ginkgo.DescribeTable("Split and Index refuse an address the geometry cannot translate",
		func(c canonCase) {
			want := errWord(c.g)
			if vpn, off, err := f.Split(c.g, c.va); !errors.Is(err, want) {
				failf("Split(%v, %v) = %v, %#x, %v, want an error wrapping %q", c.g, c.va, vpn, off, err, want)
			}
			if idx, err := f.Index(c.g, c.va, 1); !errors.Is(err, want) {
				failf("Index(%v, %v, 1) = %d, %v, want an error wrapping %q", c.g, c.va, idx, err, want)
			}
		},
		func() []ginkgo.TableEntry {
			var out []ginkgo.TableEntry
			for _, c := range canonCases {
				if !c.canonical {
					out = append(out, ginkgo.Entry(fmt.Sprintf("%v in %v", c.va, c.g), ginkgo.Label("points:1"), c))
				}
			}
			return out
		}())
}

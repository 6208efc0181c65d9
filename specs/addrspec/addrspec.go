// Package addrspec is the behaviour of address splitting (exercise 01),
// written once and run against any implementation of the functions in
// Funcs: the reference (reference/addr) and a learner's package.
//
// Register it at package level in a _test.go file, next to the usual Ginkgo
// bootstrap:
//
//	var _ = addrspec.Describe("reference", addrspec.Funcs{
//		Split: addr.Split, Join: addr.Join, Index: addr.Index,
//		IsCanonical: addr.IsCanonical, Canonical: addr.Canonical, LevelSpan: addr.LevelSpan,
//	})
//
//	func TestAddr(t *testing.T) {
//		RegisterFailHandler(Fail)
//		RunSpecs(t, "addr")
//	}
//
// The contract is the rules of exercise 01, written in
// exercises/01-address-split/addr.go: each has deterministic specs labelled
// "rule:01.name"; the random properties (labelled "property") are a second
// net.
//
// Every spec carries the labels "topic:address" and "points:N".
package addrspec

import (
	"errors"
	"fmt"

	"github.com/onsi/ginkgo/v2"
	"pgregory.net/rapid"

	_ "github.com/vmkata/vmkata/specs/internal/color" // Ginkgo without colour where it is not wanted
	"github.com/vmkata/vmkata/specs/internal/feedback"
	"github.com/vmkata/vmkata/vm"
)

// Funcs are the functions under test. Each has the signature and meaning of
// the function of the same name in reference/addr.
type Funcs struct {
	Split       func(g vm.Geometry, va vm.VAddr) (vm.VPN, uint64, error)
	Join        func(g vm.Geometry, vpn vm.VPN, offset uint64) (vm.VAddr, error)
	Index       func(g vm.Geometry, va vm.VAddr, level int) (int, error)
	IsCanonical func(g vm.Geometry, va vm.VAddr) bool
	Canonical   func(g vm.Geometry, va vm.VAddr) vm.VAddr
	LevelSpan   func(g vm.Geometry, level int) (vm.PageSize, error)
}

// Describe declares the address-split behaviour for f. Call it at package
// level in a _test.go file:
//
//	var _ = addrspec.Describe("reference", funcs)
func Describe(name string, f Funcs) bool {
	return ginkgo.Describe("Address split ["+name+"]", ginkgo.Label("topic:address"), func() {
		describeTextbook(f)
		describeCanonical(f)
		describeProperties(f)
	})
}

// failf fails the current spec with a formatted message.
func failf(format string, args ...any) {
	ginkgo.GinkgoHelper()
	ginkgo.Fail(fmt.Sprintf(format, args...))
}

// errWord names the sentinel an address error must wrap in g.
func errWord(g vm.Geometry) error {
	if g.SignExtended {
		return vm.ErrNonCanonical
	}
	return vm.ErrOutOfRange
}

// describeProperties declares the random checks against the model.
func describeProperties(f Funcs) {
	ginkgo.Context("on random geometries and addresses", func() {
		ginkgo.It("Split agrees with the definition, and refuses exactly the non-canonical addresses", ginkgo.Label("property"), func() {
			feedback.Check(func(t *rapid.T) {
				g := geometries.Draw(t, "geometry").Geometry
				va := address(g).Draw(t, "va")
				vpn, off, err := f.Split(g, va)
				if !modelCanonical(g, va) {
					if !errors.Is(err, errWord(g)) {
						t.Fatalf("Split(%v, %v) = %v, %#x, %v, want an error wrapping %q", g, va, vpn, off, err, errWord(g))
					}
					return
				}
				wantVPN, wantOff := modelSplit(g, va)
				if err != nil || vpn != wantVPN || off != wantOff {
					t.Fatalf("Split(%v, %v) = %v, %#x, %v, want %v, %#x, nil", g, va, vpn, off, err, wantVPN, wantOff)
				}
			})
		})

		ginkgo.It("Join undoes Split, and Split undoes Join", ginkgo.Label("property"), func() {
			feedback.Check(func(t *rapid.T) {
				g := geometries.Draw(t, "geometry").Geometry
				va := modelCanonicalize(g, address(g).Draw(t, "va"))
				vpn, off := modelSplit(g, va)
				got, err := f.Join(g, vpn, off)
				if err != nil || got != va {
					t.Fatalf("Join(%v, %v, %#x) = %v, %v, want %v, nil (the canonical address)", g, vpn, off, got, err, va)
				}
				vpn2, off2, err := f.Split(g, got)
				if err != nil || vpn2 != vpn || off2 != off {
					t.Fatalf("Split(%v, Join(…) = %v) = %v, %#x, %v, want %v, %#x, nil", g, got, vpn2, off2, err, vpn, off)
				}
			})
		})

		ginkgo.It("the indices of every level recombine into the VPN", ginkgo.Label("property"), func() {
			feedback.Check(func(t *rapid.T) {
				g := geometries.Draw(t, "geometry").Geometry
				va := modelCanonicalize(g, address(g).Draw(t, "va"))
				var vpn uint64
				for level := int(g.Levels); level >= 1; level-- { // root first: its bits are highest
					idx, err := f.Index(g, va, level)
					if want := modelIndex(g, va, level); err != nil || idx != want {
						t.Fatalf("Index(%v, %v, %d) = %d, %v, want %d, nil", g, va, level, idx, err, want)
					}
					vpn = vpn<<uint(levelBits(g, level)) | uint64(idx)
				}
				if want, _ := modelSplit(g, va); vm.VPN(vpn) != want {
					t.Fatalf("indices of %v in %v recombine to %v, want the VPN %v", va, g, vm.VPN(vpn), want)
				}
			})
		})

		ginkgo.It("Canonical is idempotent and IsCanonical accepts its result", ginkgo.Label("property"), func() {
			feedback.Check(func(t *rapid.T) {
				g := geometries.Draw(t, "geometry").Geometry
				va := address(g).Draw(t, "va")
				c := f.Canonical(g, va)
				if want := modelCanonicalize(g, va); c != want {
					t.Fatalf("Canonical(%v, %v) = %v, want %v", g, va, c, want)
				}
				if cc := f.Canonical(g, c); cc != c {
					t.Fatalf("Canonical(%v, %v) = %v, not idempotent: Canonical of that = %v", g, va, c, cc)
				}
				if !f.IsCanonical(g, c) {
					t.Fatalf("IsCanonical(%v, Canonical(…) = %v) = false, want true", g, c)
				}
				if got, want := f.IsCanonical(g, va), modelCanonical(g, va); got != want {
					t.Fatalf("IsCanonical(%v, %v) = %v, want %v", g, va, got, want)
				}
			})
		})

		ginkgo.It("LevelSpan is the page size times the entries of every level below", ginkgo.Label("property"), func() {
			feedback.Check(func(t *rapid.T) {
				g := geometries.Draw(t, "geometry").Geometry
				level := rapid.IntRange(1, int(g.Levels)).Draw(t, "level")
				got, err := f.LevelSpan(g, level)
				if want := modelSpan(g, level); err != nil || got != want {
					t.Fatalf("LevelSpan(%v, %d) = %v, %v, want %v, nil", g, level, got, err, want)
				}
			})
		})
	})
}

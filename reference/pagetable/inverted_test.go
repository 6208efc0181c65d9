package pagetable

import (
	"errors"
	"testing"

	"pgregory.net/rapid"

	"github.com/vmkata/vmkata/vm"
)

func TestInverted(t *testing.T) {
	inv, err := NewInverted(vm.X86_64, 16)
	if err != nil {
		t.Fatal(err)
	}
	a, b := inv.Space(1), inv.Space(2)
	ma := vm.Mapping{VA: 0x40_0000, PFN: 3, Size: vm.Size4K, Perm: vm.PermRW | vm.PermUser}
	mb := vm.Mapping{VA: 0x40_0000, PFN: 4, Size: vm.Size4K, Perm: vm.PermRead}
	if err := a.Map(ma); err != nil {
		t.Fatalf("space 1: Map(%v) = %v", ma, err)
	}
	if err := b.Map(mb); err != nil {
		t.Fatalf("space 2: Map(%v) = %v", mb, err)
	}
	for _, tt := range []struct {
		space vm.PageTable
		want  vm.Mapping
	}{{a, ma}, {b, mb}} {
		w, err := tt.space.Walk(0x40_0abc)
		if err != nil || !w.Present() || w.Leaf().PFN() != tt.want.PFN || w.Perm != tt.want.Perm {
			t.Errorf("Walk(0x400abc) = %v, %v; want pfn %v %v", w, err, tt.want.PFN, tt.want.Perm)
		}
	}
	errs := []struct {
		name string
		err  error
		want error
	}{
		{"frame taken by another space", inv.Space(3).Map(vm.Mapping{VA: 0x1000, PFN: 3, Size: vm.Size4K, Perm: vm.PermRead}), vm.ErrAlreadyMapped},
		{"page mapped twice", a.Map(vm.Mapping{VA: 0x40_0000, PFN: 5, Size: vm.Size4K, Perm: vm.PermRead}), vm.ErrAlreadyMapped},
		{"frame beyond the table", a.Map(vm.Mapping{VA: 0x1000, PFN: 16, Size: vm.Size4K, Perm: vm.PermRead}), vm.ErrOutOfRange},
		{"huge page", a.Map(vm.Mapping{VA: 0, PFN: 0, Size: vm.Size2M, Perm: vm.PermRead}), vm.ErrInvalidConfig},
		{"unmap unmapped", func() error { _, err := b.Unmap(0x1000); return err }(), vm.ErrNotMapped},
		{"non-canonical walk", func() error { _, err := b.Walk(0x8000_0000_0000); return err }(), vm.ErrNonCanonical},
	}
	for _, tt := range errs {
		if !errors.Is(tt.err, tt.want) {
			t.Errorf("%s: got %v, want %v", tt.name, tt.err, tt.want)
		}
	}
	if err := a.MarkAccessed(0x40_0000, true); err != nil {
		t.Fatal(err)
	}
	if w, _ := a.Walk(0x40_0000); !w.Leaf().Has(vm.PTEAccessed | vm.PTEDirty) {
		t.Errorf("after MarkAccessed(write): %v, want A and D", w)
	}
	if w, _ := b.Walk(0x40_0000); w.Leaf().Has(vm.PTEAccessed) {
		t.Errorf("space 2 after MarkAccessed in space 1: %v, want no A", w)
	}
	if got, err := a.Unmap(0x40_0000); err != nil || got.PFN != 3 {
		t.Errorf("Unmap = %v, %v; want pfn 3", got, err)
	}
	if w, err := a.Walk(0x40_0000); err != nil || w.Present() {
		t.Errorf("Walk after Unmap = %v, %v; want not present", w, err)
	}
	if err := inv.Space(3).Map(vm.Mapping{VA: 0x1000, PFN: 3, Size: vm.Size4K, Perm: vm.PermRead}); err != nil {
		t.Errorf("Map of the freed frame 3 = %v, want nil", err)
	}
	if inv.Len() != 2 {
		t.Errorf("Len() = %d, want 2", inv.Len())
	}
	if n := testing.AllocsPerRun(100, func() { _, _ = b.Walk(0x40_0abc) }); n != 0 {
		t.Errorf("Walk allocates %v times per call, want 0", n)
	}
	if n := testing.AllocsPerRun(100, func() { _ = b.MarkAccessed(0x40_0abc, true) }); n != 0 {
		t.Errorf("MarkAccessed allocates %v times per call, want 0", n)
	}
}

// TestInvertedChains forces every page onto one chain (a one-slot anchor
// table) and checks probes, recorded steps and unlinking from the middle.
func TestInvertedChains(t *testing.T) {
	inv, err := NewInverted(vm.X86_64, 1)
	if err != nil {
		t.Fatal(err)
	}
	s := inv.Space(7)
	if err := s.Map(vm.Mapping{VA: 0x5000, PFN: 0, Size: vm.Size4K, Perm: vm.PermRead}); err != nil {
		t.Fatal(err)
	}
	if got := inv.Probes(7, 0x5000); got != 1 {
		t.Errorf("Probes(7, 0x5000) = %d, want 1", got)
	}

	big, err := NewInverted(vm.X86_64, 64)
	if err != nil {
		t.Fatal(err)
	}
	big.bits, big.anchors = 0, big.anchors[:1] // one chain for everyone
	s = big.Space(1)
	for i := range 8 {
		if err := s.Map(vm.Mapping{VA: vm.VAddr(i) << 12, PFN: vm.PFN(i), Size: vm.Size4K, Perm: vm.PermRead}); err != nil {
			t.Fatal(err)
		}
	}
	// Newest first: page 0 is at the end of an 8-entry chain.
	if got := big.Probes(1, 0); got != 8 {
		t.Errorf("Probes(1, 0x0) = %d, want 8", got)
	}
	w, err := s.Walk(0)
	if err != nil || w.Steps != vm.MaxLevels || !w.Present() || w.Leaf().PFN() != 0 {
		t.Errorf("Walk(0) = %v, %v; want %d recorded probes ending at pfn 0", w, err, vm.MaxLevels)
	}
	if _, err := s.Unmap(0x4000); err != nil {
		t.Fatal(err)
	}
	for i := range 8 {
		w, err := s.Walk(vm.VAddr(i) << 12)
		if want := i != 4; err != nil || w.Present() != want {
			t.Errorf("after Unmap(0x4000): Walk(%#x) present = %v, %v; want %v", i<<12, w.Present(), err, want)
		}
	}
}

// TestInvertedModel checks random Map/Unmap/Walk sequences over a few
// address spaces against a map model, on a table small enough that chains
// collide and frames run out.
func TestInvertedModel(t *testing.T) {
	type key struct {
		asid vm.ASID
		vpn  uint64
	}
	rapid.Check(t, func(t *rapid.T) {
		const frames = 8
		inv, err := NewInverted(vm.X86_64, frames)
		if err != nil {
			t.Fatal(err)
		}
		model := map[key]vm.PFN{}
		owner := map[vm.PFN]key{}
		t.Repeat(map[string]func(*rapid.T){
			"Map": func(t *rapid.T) {
				k := key{vm.ASID(rapid.IntRange(0, 2).Draw(t, "asid")), uint64(rapid.IntRange(0, 11).Draw(t, "vpn"))}
				pfn := vm.PFN(rapid.IntRange(0, frames).Draw(t, "pfn"))
				m := vm.Mapping{VA: vm.VAddr(k.vpn << 12), PFN: pfn, Size: vm.Size4K, Perm: vm.PermRead}
				err := inv.Space(k.asid).Map(m)
				t.Logf("Space(%d).Map(%v) = %v", k.asid, m, err)
				_, mapped := model[k]
				_, taken := owner[pfn]
				switch {
				case pfn >= frames:
					if !errors.Is(err, vm.ErrOutOfRange) {
						t.Fatalf("Map(%v) = %v, want ErrOutOfRange", m, err)
					}
				case mapped || taken:
					if !errors.Is(err, vm.ErrAlreadyMapped) {
						t.Fatalf("Map(%v) = %v, want ErrAlreadyMapped", m, err)
					}
				case err != nil:
					t.Fatalf("Map(%v) = %v, want nil", m, err)
				default:
					model[k], owner[pfn] = pfn, k
				}
			},
			"Unmap": func(t *rapid.T) {
				k := key{vm.ASID(rapid.IntRange(0, 2).Draw(t, "asid")), uint64(rapid.IntRange(0, 11).Draw(t, "vpn"))}
				got, err := inv.Space(k.asid).Unmap(vm.VAddr(k.vpn << 12))
				t.Logf("Space(%d).Unmap(%#x) = %v, %v", k.asid, k.vpn<<12, got, err)
				pfn, ok := model[k]
				if !ok {
					if !errors.Is(err, vm.ErrNotMapped) {
						t.Fatalf("Unmap = %v, want ErrNotMapped", err)
					}
					return
				}
				if err != nil || got.PFN != pfn {
					t.Fatalf("Unmap = %v, %v; want %v", got, err, pfn)
				}
				delete(model, k)
				delete(owner, pfn)
			},
			"": func(t *rapid.T) {
				for asid := range vm.ASID(3) {
					for vpn := range uint64(12) {
						w, err := inv.Space(asid).Walk(vm.VAddr(vpn << 12))
						pfn, ok := model[key{asid, vpn}]
						if err != nil || w.Present() != ok || (ok && w.Leaf().PFN() != pfn) {
							t.Fatalf("Space(%d).Walk(%#x) = %v, %v; want present %v pfn %v", asid, vpn<<12, w, err, ok, pfn)
						}
					}
				}
				if inv.Len() != len(model) {
					t.Fatalf("Len() = %d, want %d", inv.Len(), len(model))
				}
			},
		})
	})
}

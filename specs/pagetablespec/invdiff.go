package pagetablespec

import (
	"github.com/vmkata/vmkata/reference/pagetable"
	"github.com/vmkata/vmkata/vm"
	"pgregory.net/rapid"
)

// differential is the inverted table's property: random Map, Unmap,
// Protect and MarkAccessed calls in three address spaces of a small table
// give the errors the reference gives, and after each call every walk
// (the entries read, in order), Probes and Len agree with the reference.
func differential[T Inverted](t *rapid.T, newInverted func(vm.Geometry, int) (T, error)) {
	g := []vm.Geometry{vm.X86_64, vm.Textbook}[rapid.IntRange(0, 1).Draw(t, "geometry")]
	frames := rapid.IntRange(1, 12).Draw(t, "frames")
	got, err := newInverted(g, frames)
	if err != nil {
		t.Fatalf("NewInverted(%v, %d) = %v", g, frames, err)
	}
	want, err := pagetable.NewInverted(g, frames)
	if err != nil {
		t.Fatalf("reference NewInverted(%v, %d) = %v", g, frames, err)
	}
	page := uint64(g.PageSize())
	// Sixteen pages per space: enough for chains of several entries.
	drawVA := func(t *rapid.T) vm.VAddr {
		return vm.VAddr(rapid.Uint64Range(0, 15).Draw(t, "page")*page + rapid.Uint64Range(0, page-1).Draw(t, "offset"))
	}
	drawASID := func(t *rapid.T) vm.ASID { return vm.ASID(rapid.IntRange(1, 3).Draw(t, "asid")) }
	compare := func(t *rapid.T, call string) {
		if a, b := got.Len(), want.Len(); a != b {
			t.Fatalf("after %s: Len() = %d, want %d", call, a, b)
		}
		for asid := vm.ASID(1); asid <= 3; asid++ {
			for p := range uint64(16) {
				va := vm.VAddr(p * page)
				gw, gerr := got.Space(asid).Walk(va)
				ww, werr := want.Space(asid).Walk(va)
				if gw != ww || errKind(gerr) != errKind(werr) {
					t.Fatalf("after %s: Walk(%v) in %v = %v, %v\nwant %v, %v", call, va, asid, gw, gerr, ww, werr)
				}
				if a, b := got.Probes(asid, va), want.Probes(asid, va); a != b {
					t.Fatalf("after %s: Probes(%v, %v) = %d, want %d", call, asid, va, a, b)
				}
			}
		}
	}
	same := func(t *rapid.T, call string, gerr, werr error) {
		if errKind(gerr) != errKind(werr) {
			t.Fatalf("%s = %v, want %v", call, gerr, werr)
		}
		compare(t, call)
	}
	t.Repeat(map[string]func(*rapid.T){
		"Map": func(t *rapid.T) {
			asid := drawASID(t)
			m := vm.Mapping{VA: vm.VAddr(uint64(drawVA(t)) &^ (page - 1)), PFN: vm.PFN(rapid.IntRange(0, frames).Draw(t, "frame")),
				Size: g.PageSize(), Perm: perms[rapid.IntRange(0, len(perms)-1).Draw(t, "perm")], Global: rapid.Bool().Draw(t, "global")}
			t.Logf("Map(%v) in %v", m, asid)
			same(t, "Map("+m.String()+") in "+asid.String(), got.Space(asid).Map(m), want.Space(asid).Map(m))
		},
		"Unmap": func(t *rapid.T) {
			asid, va := drawASID(t), drawVA(t)
			gm, gerr := got.Space(asid).Unmap(va)
			wm, werr := want.Space(asid).Unmap(va)
			t.Logf("Unmap(%v) in %v", va, asid)
			if gm != wm {
				t.Fatalf("Unmap(%v) in %v = %v, want %v", va, asid, gm, wm)
			}
			same(t, "Unmap("+va.String()+") in "+asid.String(), gerr, werr)
		},
		"Protect": func(t *rapid.T) {
			asid, va := drawASID(t), drawVA(t)
			perm := perms[rapid.IntRange(0, len(perms)-1).Draw(t, "perm")]
			t.Logf("Protect(%v, %v) in %v", va, perm, asid)
			same(t, "Protect("+va.String()+", "+perm.String()+") in "+asid.String(),
				got.Space(asid).Protect(va, perm), want.Space(asid).Protect(va, perm))
		},
		"MarkAccessed": func(t *rapid.T) {
			asid, va, write := drawASID(t), drawVA(t), rapid.Bool().Draw(t, "write")
			t.Logf("MarkAccessed(%v, %v) in %v", va, write, asid)
			same(t, "MarkAccessed("+va.String()+") in "+asid.String(),
				got.Space(asid).MarkAccessed(va, write), want.Space(asid).MarkAccessed(va, write))
		},
	})
}

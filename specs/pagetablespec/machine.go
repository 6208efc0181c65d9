package pagetablespec

import (
	"errors"
	"fmt"

	"pgregory.net/rapid"

	"github.com/vmkata/vmkata/vm"
)

// page is one mapping the model holds, with the A and D bits it must show.
type page struct {
	m               vm.Mapping
	accessed, dirty bool
}

// contains reports whether va lies in p's page, without overflowing at the
// top of the address space.
func (p page) contains(va vm.VAddr) bool {
	return va >= p.m.VA && uint64(va-p.m.VA) < uint64(p.m.Size)
}

// model is the page table the specs believe in: a list of mappings, in the
// order they were made (a slice, not a Go map, so that runs replay).
type model struct{ pages []page }

// find returns the index of the mapping containing va, or -1.
func (mo *model) find(va vm.VAddr) int {
	for i, p := range mo.pages {
		if p.contains(va) {
			return i
		}
	}
	return -1
}

// overlaps reports whether m shares an address with a mapping (aligned
// power-of-two pages overlap exactly when one holds the other's start).
func (mo *model) overlaps(m vm.Mapping) bool {
	for _, p := range mo.pages {
		if p.contains(m.VA) || (page{m: m}).contains(p.m.VA) {
			return true
		}
	}
	return false
}

// holds reports whether a mapping maps frame pfn.
func (mo *model) holds(pfn vm.PFN) bool {
	for _, p := range mo.pages {
		if p.m.PFN == pfn {
			return true
		}
	}
	return false
}

// machine runs a random operation sequence on a table and on the model.
type machine struct {
	s     *subject
	model model
	sizes []vm.PageSize
	trail []string // the calls so far, for failure messages
}

// perms are the permissions the machine maps with: every one an x86 entry
// can express (read is always there).
var perms = []vm.Perm{
	vm.PermRead, vm.PermRW, vm.PermRX, vm.PermRWX,
	vm.PermRead | vm.PermUser, vm.PermRW | vm.PermUser, vm.PermRX | vm.PermUser, vm.PermRWX | vm.PermUser,
}

// runMachine is the property: on a drawn geometry, every Map, Unmap,
// Protect, MarkAccessed and Walk returns what the model says, every mapping
// walks correctly after every step, and (for a radix table) unmapping
// everything gives every table page but the root back to the allocator.
func runMachine(t *rapid.T, build factory, geoms []vm.Geometry) {
	g := geoms[rapid.IntRange(0, len(geoms)-1).Draw(t, "geometry")]
	s, err := build(g)
	if err != nil {
		t.Fatalf("building a page table for %v: %v", g, err)
	}
	mc := &machine{s: s, sizes: append([]vm.PageSize{g.PageSize()}, s.huge...)}
	mc.log(t, "new table for %v", g)
	startFree := -1
	if s.frames != nil {
		startFree = s.frames.FreeFrames()
	}
	t.Repeat(map[string]func(*rapid.T){
		"Map":          mc.doMap,
		"Unmap":        mc.doUnmap,
		"Protect":      mc.doProtect,
		"MarkAccessed": mc.doMarkAccessed,
		"Walk":         mc.doWalk,
		"":             mc.check,
	})
	for len(mc.model.pages) > 0 {
		m := mc.model.pages[0].m
		got, err := s.pt.Unmap(m.VA)
		mc.log(t, "Unmap(%v) = %v, %v", m.VA, got, err)
		if err != nil {
			mc.fail(t, "Unmap(%v) = %v, want the mapping %v", m.VA, err, m)
		}
		mc.model.pages = mc.model.pages[1:]
	}
	if startFree >= 0 && s.frames.FreeFrames() != startFree {
		mc.fail(t, "after unmapping everything, FreeFrames() = %d, want %d as right after the table was built: %d table pages leaked",
			s.frames.FreeFrames(), startFree, startFree-s.frames.FreeFrames())
	}
}

// log records a call in the trail and in rapid's log.
func (mc *machine) log(t *rapid.T, format string, args ...any) {
	line := fmt.Sprintf(format, args...)
	mc.trail = append(mc.trail, line)
	t.Logf("%s", line)
}

// fail stops the run, printing the calls that led here.
func (mc *machine) fail(t *rapid.T, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	for _, line := range mc.trail {
		msg += "\n    " + line
	}
	t.Fatalf("%s", msg+"\n(the calls above led here)")
}

// regions returns the page-aligned starts of the areas the machine uses for
// pages of size: the bottom of the address space, its middle, its top
// (below the canonical hole for x86-64), and the upper canonical half.
func (mc *machine) regions(size vm.PageSize) []uint64 {
	g := mc.s.g
	top := uint64(1) << g.VABits
	if g.SignExtended {
		top >>= 1
	}
	r := []uint64{0, top / 2, top - 16*uint64(size)}
	if g.SignExtended {
		r = append(r, ^uint64(0)<<(g.VABits-1))
	}
	return r
}

// drawVA draws an address: half the time inside a mapped page, otherwise
// in one of 16 pages of size in a drawn region.
func (mc *machine) drawVA(t *rapid.T, size vm.PageSize) vm.VAddr {
	if n := len(mc.model.pages); n > 0 && rapid.Bool().Draw(t, "inside a mapped page") {
		p := mc.model.pages[rapid.IntRange(0, n-1).Draw(t, "page")]
		return p.m.VA + vm.VAddr(rapid.Uint64Range(0, uint64(p.m.Size)-1).Draw(t, "offset"))
	}
	rs := mc.regions(size)
	base := rs[rapid.IntRange(0, len(rs)-1).Draw(t, "region")]
	return vm.VAddr(base + uint64(rapid.IntRange(0, 15).Draw(t, "slot"))*uint64(size))
}

func (mc *machine) doMap(t *rapid.T) {
	size := mc.sizes[rapid.IntRange(0, len(mc.sizes)-1).Draw(t, "size")]
	rs := mc.regions(size)
	va := vm.VAddr(rs[rapid.IntRange(0, len(rs)-1).Draw(t, "region")] + uint64(rapid.IntRange(0, 15).Draw(t, "slot"))*uint64(size))
	m := vm.Mapping{
		VA:     va,
		PFN:    vm.PFN(rapid.IntRange(0, 31).Draw(t, "frame") * int(size/mc.s.g.PageSize())),
		Size:   size,
		Perm:   perms[rapid.IntRange(0, len(perms)-1).Draw(t, "perm")],
		Global: rapid.IntRange(0, 3).Draw(t, "global") == 0,
	}
	err := mc.s.pt.Map(m)
	mc.log(t, "Map(%v) = %v", m, err)
	if mc.model.overlaps(m) {
		if !errors.Is(err, vm.ErrAlreadyMapped) {
			mc.fail(t, "Map(%v) = %v, want an error wrapping %q: it overlaps a mapping", m, err, vm.ErrAlreadyMapped)
		}
		return
	}
	if mc.s.oneMappingPerFrame && mc.model.holds(m.PFN) {
		if !errors.Is(err, vm.ErrAlreadyMapped) {
			mc.fail(t, "Map(%v) = %v, want an error wrapping %q: the frame holds a page", m, err, vm.ErrAlreadyMapped)
		}
		return
	}
	if err != nil {
		mc.fail(t, "Map(%v) = %v, want success", m, err)
	}
	mc.model.pages = append(mc.model.pages, page{m: m})
}

func (mc *machine) doUnmap(t *rapid.T) {
	va := mc.drawVA(t, mc.s.g.PageSize())
	got, err := mc.s.pt.Unmap(va)
	mc.log(t, "Unmap(%v) = %v, %v", va, got, err)
	i := mc.model.find(va)
	if i < 0 {
		if !errors.Is(err, vm.ErrNotMapped) {
			mc.fail(t, "Unmap(%v) = %v, want an error wrapping %q", va, err, vm.ErrNotMapped)
		}
		return
	}
	want := mc.model.pages[i].m
	want.Perm = wantPerm(mc.s.g, want.Perm)
	if err != nil || got != want {
		mc.fail(t, "Unmap(%v) = %v, %v; want %v", va, got, err, want)
	}
	mc.model.pages = append(mc.model.pages[:i], mc.model.pages[i+1:]...)
}

func (mc *machine) doProtect(t *rapid.T) {
	va := mc.drawVA(t, mc.s.g.PageSize())
	perm := perms[rapid.IntRange(0, len(perms)-1).Draw(t, "perm")]
	err := mc.s.pt.Protect(va, perm)
	mc.log(t, "Protect(%v, %v) = %v", va, perm, err)
	i := mc.model.find(va)
	if i < 0 {
		if !errors.Is(err, vm.ErrNotMapped) {
			mc.fail(t, "Protect(%v, %v) = %v, want an error wrapping %q", va, perm, err, vm.ErrNotMapped)
		}
		return
	}
	if err != nil {
		mc.fail(t, "Protect(%v, %v) = %v, want success", va, perm, err)
	}
	mc.model.pages[i].m.Perm = perm
}

func (mc *machine) doMarkAccessed(t *rapid.T) {
	va := mc.drawVA(t, mc.s.g.PageSize())
	write := rapid.Bool().Draw(t, "write")
	err := mc.s.pt.MarkAccessed(va, write)
	mc.log(t, "MarkAccessed(%v, write=%v) = %v", va, write, err)
	i := mc.model.find(va)
	if i < 0 {
		if !errors.Is(err, vm.ErrNotMapped) {
			mc.fail(t, "MarkAccessed(%v, %v) = %v, want an error wrapping %q", va, write, err, vm.ErrNotMapped)
		}
		return
	}
	if err != nil {
		mc.fail(t, "MarkAccessed(%v, %v) = %v, want success", va, write, err)
	}
	mc.model.pages[i].accessed = true
	mc.model.pages[i].dirty = mc.model.pages[i].dirty || write
}

func (mc *machine) doWalk(t *rapid.T) {
	va := mc.drawVA(t, mc.s.g.PageSize())
	w, err := mc.s.pt.Walk(va)
	mc.log(t, "Walk(%v) = %v, %v", va, w, err)
	mc.checkWalk(t, va, w, err)
}

// checkWalk compares a walk of va with the model.
func (mc *machine) checkWalk(t *rapid.T, va vm.VAddr, w vm.Walk, err error) {
	if err != nil {
		mc.fail(t, "Walk(%v) = %v, want no error", va, err)
	}
	i := mc.model.find(va)
	if i < 0 {
		if w.Present() {
			mc.fail(t, "Walk(%v) = %v, want not present", va, w)
		}
		return
	}
	p := mc.model.pages[i]
	leaf := w.Leaf()
	switch {
	case !w.Present():
		mc.fail(t, "Walk(%v) = %v, want present: %v", va, w, p.m)
	case w.Size != p.m.Size || leaf.PFN() != p.m.PFN:
		mc.fail(t, "Walk(%v) = %v, want a %v page at %v: %v", va, w, p.m.Size, p.m.PFN, p.m)
	case w.Perm != wantPerm(mc.s.g, p.m.Perm):
		mc.fail(t, "Walk(%v).Perm = %v, want %v: %v", va, w.Perm, wantPerm(mc.s.g, p.m.Perm), p.m)
	case leaf.Has(vm.PTEAccessed) != p.accessed:
		mc.fail(t, "Walk(%v): leaf %v has A = %v, want %v", va, leaf, leaf.Has(vm.PTEAccessed), p.accessed)
	case leaf.Has(vm.PTEDirty) != p.dirty:
		mc.fail(t, "Walk(%v): leaf %v has D = %v, want %v (D is set only by a write)", va, leaf, leaf.Has(vm.PTEDirty), p.dirty)
	case leaf.Has(vm.PTEGlobal) != p.m.Global:
		mc.fail(t, "Walk(%v): leaf %v has G = %v, want %v", va, leaf, leaf.Has(vm.PTEGlobal), p.m.Global)
	}
}

// check walks the first and the last byte of every mapping.
func (mc *machine) check(t *rapid.T) {
	for _, p := range mc.model.pages {
		for _, va := range []vm.VAddr{p.m.VA, p.m.VA + vm.VAddr(p.m.Size) - 1} {
			w, err := mc.s.pt.Walk(va)
			mc.checkWalk(t, va, w, err)
		}
	}
}

package vmaspec

import (
	"maps"
	"slices"

	"github.com/vmkata/vmkata/vm"
)

// model is the obvious VMA set: a map from each mapped page to its
// attributes (a one-page vm.VMA whose Offset is that page's file offset).
// It knows nothing of splitting or merging; the VMAs it describes are
// derived by grouping pages, which is what a correct set must hold.
type model struct {
	ps    vm.PageSize
	limit vm.AddrRange
	pages map[vm.VAddr]vm.VMA
}

func newModel(ps vm.PageSize, limit vm.AddrRange) *model {
	return &model{ps: ps, limit: limit, pages: map[vm.VAddr]vm.VMA{}}
}

// clone returns an independent copy of m.
func (m *model) clone() *model {
	return &model{ps: m.ps, limit: m.limit, pages: maps.Clone(m.pages)}
}

// compatible reports whether b, starting where a ends, continues a: the
// same attributes and, for a file, the next bytes of the same file. This
// is the merge rule of the package comment.
func compatible(a, b vm.VMA) bool {
	if a.Perm != b.Perm || a.Shared != b.Shared || a.Backing != b.Backing ||
		a.File != b.File || a.Role != b.Role || a.GrowsDown != b.GrowsDown {
		return false
	}
	return a.Backing != vm.BackingFile || a.Offset+a.Range.Len() == b.Offset
}

// vmas groups the mapped pages into maximal runs of compatible pages: the
// fewest VMAs that describe them, in address order.
func (m *model) vmas() []vm.VMA {
	var out []vm.VMA
	for _, p := range slices.Sorted(maps.Keys(m.pages)) {
		pg := m.pages[p]
		if n := len(out); n > 0 && out[n-1].Range.End == p && compatible(out[n-1], pg) {
			out[n-1].Range.End = pg.Range.End
			continue
		}
		out = append(out, pg)
	}
	return out
}

// pagesOf calls f for every page start in r.
func (m *model) pagesOf(r vm.AddrRange, f func(p vm.VAddr)) {
	for p := r.Start; p < r.End; p += vm.VAddr(m.ps) {
		f(p)
	}
}

// mapped reports whether every page of r is mapped, and the first that is
// not.
func (m *model) mapped(r vm.AddrRange) (vm.VAddr, bool) {
	for p := r.Start; p < r.End; p += vm.VAddr(m.ps) {
		if _, ok := m.pages[p]; !ok {
			return p, false
		}
	}
	return 0, true
}

// free reports whether no page of r is mapped.
func (m *model) free(r vm.AddrRange) bool {
	for p := r.Start; p < r.End; p += vm.VAddr(m.ps) {
		if _, ok := m.pages[p]; ok {
			return false
		}
	}
	return true
}

// aligned reports whether va is a multiple of the page size.
func (m *model) aligned(va vm.VAddr) bool { return uint64(va)%uint64(m.ps) == 0 }

// rangeErrors returns the errors the range checks of Map, Unmap and
// Protect give r: empty, unaligned and (if inLimit) outside the limit.
func (m *model) rangeErrors(r vm.AddrRange, inLimit bool) []error {
	var errs []error
	if r.End <= r.Start {
		errs = append(errs, vm.ErrOutOfRange)
	}
	if !m.aligned(r.Start) || !m.aligned(r.End) {
		errs = append(errs, vm.ErrNotAligned)
	}
	if inLimit && (r.Start < m.limit.Start || r.End > m.limit.End) {
		errs = append(errs, vm.ErrOutOfRange)
	}
	return errs
}

// attrErrors returns the errors Map gives v's attributes.
func (m *model) attrErrors(v vm.VMA) []error {
	var errs []error
	if v.Perm&^vm.PermRWX != 0 {
		errs = append(errs, vm.ErrBadPermission)
	}
	if (v.Backing != vm.BackingAnon && v.Backing != vm.BackingFile) || v.Role > vm.RoleMmap ||
		(v.Backing == vm.BackingFile && v.File == "") || (v.Backing == vm.BackingAnon && v.Offset != 0) {
		errs = append(errs, vm.ErrInvalidConfig)
	}
	if v.Offset%uint64(m.ps) != 0 {
		errs = append(errs, vm.ErrNotAligned)
	}
	return errs
}

// failure is the result wanting any of errs, or false if errs is empty.
func failure(errs []error) (result, bool) {
	if len(errs) == 0 {
		return result{}, false
	}
	return fails(errs[0], errs[1:]...), true
}

// apply makes the call on the model and returns what a correct set
// returns. A failing call changes nothing.
func (m *model) apply(o op) result {
	switch o.kind {
	case opMap:
		return m.mmap(o.v, o.fixed)
	case opUnmap:
		if r, bad := failure(m.rangeErrors(o.r, true)); bad {
			return r
		}
		removed := m.clipped(o.r)
		m.pagesOf(o.r, func(p vm.VAddr) { delete(m.pages, p) })
		return result{vmas: removed}
	case opProtect:
		errs := m.rangeErrors(o.r, true)
		if o.perm&^vm.PermRWX != 0 {
			errs = append(errs, vm.ErrBadPermission)
		}
		if r, bad := failure(errs); bad {
			return r
		}
		if _, ok := m.mapped(o.r); !ok {
			return fails(vm.ErrNotMapped)
		}
		var changed []vm.VMA
		for _, v := range m.clipped(o.r) {
			if v.Perm != o.perm {
				v.Perm = o.perm
				changed = append(changed, v)
			}
		}
		m.pagesOf(o.r, func(p vm.VAddr) {
			pg := m.pages[p]
			pg.Perm = o.perm
			m.pages[p] = pg
		})
		return result{vmas: changed}
	case opFind:
		v, ok := m.find(o.va)
		return result{vma: v, ok: ok}
	case opFindNext:
		v, ok := m.findNext(o.va)
		return result{vma: v, ok: ok}
	case opGrow:
		return m.grow(o.va, o.maxSize, o.guard)
	case opResize:
		return m.resize(o.va, o.end)
	}
	return okay
}

// mmap is Map on the model.
func (m *model) mmap(v vm.VMA, fixed bool) result {
	if r, bad := failure(append(m.rangeErrors(v.Range, fixed), m.attrErrors(v)...)); bad {
		return r
	}
	if !fixed {
		length := v.Range.Len()
		start, ok := m.freeFrom(v.Range.Start, length)
		if !ok {
			start, ok = m.freeFrom(m.limit.Start, length)
		}
		if !ok {
			return fails(vm.ErrOutOfMemory)
		}
		v.Range = vm.AddrRange{Start: start, End: start + vm.VAddr(length)}
	}
	m.pagesOf(v.Range, func(p vm.VAddr) {
		pg := v
		pg.Range = vm.AddrRange{Start: p, End: p + vm.VAddr(m.ps)}
		if v.Backing == vm.BackingFile {
			pg.Offset = v.Offset + uint64(p-v.Range.Start)
		}
		m.pages[p] = pg
	})
	return result{rng: v.Range}
}

// freeFrom returns the lowest start at or above from (and the limit's
// start) of length free bytes inside the limit: page by page, the
// obvious way.
func (m *model) freeFrom(from vm.VAddr, length uint64) (vm.VAddr, bool) {
	start := max(from, m.limit.Start)
	for ; start < m.limit.End && uint64(m.limit.End-start) >= length; start += vm.VAddr(m.ps) {
		if m.free(vm.AddrRange{Start: start, End: start + vm.VAddr(length)}) {
			return start, true
		}
	}
	return 0, false
}

// clipped returns the model's VMAs cut to r, in address order: what Unmap
// removes.
func (m *model) clipped(r vm.AddrRange) []vm.VMA {
	var out []vm.VMA
	for _, v := range m.vmas() {
		if !v.Range.Overlaps(r) {
			continue
		}
		s, e := max(v.Range.Start, r.Start), min(v.Range.End, r.End)
		if v.Backing == vm.BackingFile {
			v.Offset += uint64(s - v.Range.Start)
		}
		v.Range = vm.AddrRange{Start: s, End: e}
		out = append(out, v)
	}
	return out
}

// find returns the VMA containing va.
func (m *model) find(va vm.VAddr) (vm.VMA, bool) {
	for _, v := range m.vmas() {
		if v.Range.Contains(va) {
			return v, true
		}
	}
	return vm.VMA{}, false
}

// findNext returns the first VMA ending above va.
func (m *model) findNext(va vm.VAddr) (vm.VMA, bool) {
	for _, v := range m.vmas() {
		if v.Range.End > va {
			return v, true
		}
	}
	return vm.VMA{}, false
}

// grow is Grow on the model.
func (m *model) grow(va vm.VAddr, maxSize, guard uint64) result {
	vmas := m.vmas()
	i := slices.IndexFunc(vmas, func(v vm.VMA) bool { return v.Range.End > va })
	if i < 0 {
		return fails(vm.ErrNotMapped)
	}
	v := vmas[i]
	if v.Range.Start <= va {
		return result{vma: v, ok: true}
	}
	if !v.GrowsDown {
		return fails(vm.ErrNotMapped)
	}
	start := va - va%vm.VAddr(m.ps)
	if start < m.limit.Start {
		return fails(vm.ErrOutOfRange)
	}
	if uint64(v.Range.End-start) > maxSize {
		return fails(vm.ErrOutOfMemory)
	}
	if i > 0 && uint64(start-vmas[i-1].Range.End) < guard {
		return fails(vm.ErrOutOfMemory)
	}
	grow := uint64(v.Range.Start - start)
	if v.Backing == vm.BackingFile && v.Offset < grow {
		return fails(vm.ErrOutOfRange)
	}
	first := m.pages[v.Range.Start]
	m.pagesOf(vm.AddrRange{Start: start, End: v.Range.Start}, func(p vm.VAddr) {
		pg := first
		pg.Range = vm.AddrRange{Start: p, End: p + vm.VAddr(m.ps)}
		if pg.Backing == vm.BackingFile {
			pg.Offset = first.Offset - uint64(v.Range.Start-p)
		}
		m.pages[p] = pg
	})
	got, _ := m.find(va)
	return result{vma: got, ok: true}
}

// resize is Resize on the model.
func (m *model) resize(start, end vm.VAddr) result {
	var errs []error
	if !m.aligned(end) {
		errs = append(errs, vm.ErrNotAligned)
	}
	if end <= start || end > m.limit.End {
		errs = append(errs, vm.ErrOutOfRange)
	}
	if r, bad := failure(errs); bad {
		return r
	}
	var v vm.VMA
	found := false
	for _, w := range m.vmas() {
		if w.Range.Start == start {
			v, found = w, true
		}
	}
	if !found {
		return fails(vm.ErrNotMapped)
	}
	if end > v.Range.End && !m.free(vm.AddrRange{Start: v.Range.End, End: end}) {
		return fails(vm.ErrAlreadyMapped)
	}
	if end < v.Range.End {
		m.pagesOf(vm.AddrRange{Start: end, End: v.Range.End}, func(p vm.VAddr) { delete(m.pages, p) })
		return okay
	}
	last := m.pages[v.Range.End-vm.VAddr(m.ps)]
	m.pagesOf(vm.AddrRange{Start: v.Range.End, End: end}, func(p vm.VAddr) {
		pg := last
		pg.Range = vm.AddrRange{Start: p, End: p + vm.VAddr(m.ps)}
		if pg.Backing == vm.BackingFile {
			pg.Offset = last.Offset + uint64(p-last.Range.Start)
		}
		m.pages[p] = pg
	})
	return okay
}

// String lists the model's VMAs.
func (m *model) String() string { return listing(m.vmas()) }

package vmaspec

import (
	"fmt"
	"slices"
	"strings"

	"pgregory.net/rapid"

	"github.com/vmkata/vmkata/vm"
)

// machinePages is the number of pages in a random run's limit: few, so that
// calls overlap, split and merge all the time.
const machinePages = 32

// machine runs random calls on the set under test and on the model and
// compares every result, then the whole set after each call.
type machine[T Set[T]] struct {
	set   T
	model *model
	ps    vm.PageSize
	limit vm.AddrRange
	trail []string // the calls made so far, for failure messages
}

// runMachine is the property: whatever the calls, the set returns what the
// model returns and holds exactly the model's VMAs.
func runMachine[T Set[T]](t *rapid.T, newSet func(vm.PageSize, vm.AddrRange) (T, error)) {
	ps := rapid.SampledFrom([]vm.PageSize{vm.Size4K, 64}).Draw(t, "page size")
	limit := vm.AddrRange{Start: vm.VAddr(16 * ps), End: vm.VAddr((16 + machinePages) * ps)}
	s, err := newSet(ps, limit)
	if err != nil {
		t.Fatalf("NewSet(%v, %v) = %v, want a set", ps, limit, err)
	}
	m := &machine[T]{set: s, model: newModel(ps, limit), ps: ps, limit: limit}
	m.trail = []string{fmt.Sprintf("NewSet(%v, %v)", ps, limit)}
	t.Logf("NewSet(%v, %v)", ps, limit)

	t.Repeat(map[string]func(*rapid.T){
		"Map":      func(t *rapid.T) { m.run(t, m.mapGen().Draw(t, "op")) },
		"Unmap":    func(t *rapid.T) { m.run(t, unmapOp(m.rangeGen().Draw(t, "range"))) },
		"Protect":  func(t *rapid.T) { m.run(t, protectOp(m.rangeGen().Draw(t, "range"), m.permGen().Draw(t, "perm"))) },
		"Grow":     func(t *rapid.T) { m.run(t, m.growGen().Draw(t, "op")) },
		"Resize":   func(t *rapid.T) { m.run(t, m.resizeGen().Draw(t, "op")) },
		"FindNext": func(t *rapid.T) { m.run(t, findNextOp(m.addr(t))) },
		"Clone":    m.clone,
		"Probe":    m.probe,
		"":         m.check,
	})
}

// page returns the address of page i of the limit (i may fall outside it).
func (m *machine[T]) page(i int) vm.VAddr { return m.limit.Start + vm.VAddr(i)*vm.VAddr(m.ps) }

// addr draws an address in or just around the limit, at any offset.
func (m *machine[T]) addr(t *rapid.T) vm.VAddr {
	i := rapid.IntRange(-1, machinePages).Draw(t, "page")
	return m.page(i) + vm.VAddr(rapid.Uint64Range(0, uint64(m.ps)-1).Draw(t, "offset"))
}

// perms are the permissions drawn, read-write the most often so that
// neighbours are often alike.
var perms = []vm.Perm{vm.PermRW, vm.PermRW, vm.PermRead, vm.PermRX, 0, vm.PermRWX}

// permGen draws a VMA permission, now and then one with the user bit
// (which must be refused).
func (m *machine[T]) permGen() *rapid.Generator[vm.Perm] {
	return rapid.Custom(func(t *rapid.T) vm.Perm {
		p := rapid.SampledFrom(perms).Draw(t, "perm")
		if rapid.IntRange(0, 19).Draw(t, "user bit") == 19 {
			p |= vm.PermUser
		}
		return p
	})
}

// rangeGen draws a range of whole pages, mostly inside the limit; now and
// then empty, unaligned or reaching outside (which must be refused).
func (m *machine[T]) rangeGen() *rapid.Generator[vm.AddrRange] {
	return rapid.Custom(func(t *rapid.T) vm.AddrRange {
		var r vm.AddrRange
		if vs := m.model.vmas(); len(vs) > 0 && rapid.Bool().Draw(t, "near a VMA") {
			// Start inside or at the edge of a VMA, so that splits happen.
			v := rapid.SampledFrom(vs).Draw(t, "vma")
			first := int((v.Range.Start - m.limit.Start) / vm.VAddr(m.ps))
			n := int(v.Range.Len() / uint64(m.ps))
			i := first + rapid.IntRange(-1, n).Draw(t, "pages in")
			r.Start = m.page(i)
		} else {
			r.Start = m.page(rapid.IntRange(0, machinePages-1).Draw(t, "start page"))
		}
		r.End = r.Start + vm.VAddr(rapid.IntRange(1, 8).Draw(t, "pages")*int(m.ps))
		r.Start, r.End = max(r.Start, m.limit.Start), min(r.End, m.limit.End)
		if r.Start >= r.End {
			r.Start = r.End - vm.VAddr(m.ps)
		}
		switch rapid.IntRange(0, 23).Draw(t, "malformed") {
		case 21:
			r.End = r.Start
		case 22:
			r.End -= vm.VAddr(rapid.IntRange(1, int(m.ps)-1).Draw(t, "misalignment"))
		case 23:
			r.End = m.limit.End + vm.VAddr(m.ps)
		}
		return r
	})
}

// mapGen draws a Map: fixed or with a hint, of one of a few attribute sets
// (so that neighbours are often compatible), now and then with one bad
// argument.
func (m *machine[T]) mapGen() *rapid.Generator[op] {
	return rapid.Custom(func(t *rapid.T) op {
		fixed := rapid.Bool().Draw(t, "fixed")
		start := rapid.IntRange(0, machinePages-1).Draw(t, "start page")
		n := rapid.IntRange(1, 6).Draw(t, "pages")
		if fixed {
			n = min(n, machinePages-start)
		}
		v := vm.VMA{Range: vm.AddrRange{Start: m.page(start), End: m.page(start + n)}, Perm: m.permGen().Draw(t, "perm")}
		if !fixed && rapid.Bool().Draw(t, "no hint") {
			v.Range = vm.AddrRange{Start: 0, End: vm.VAddr(n) * vm.VAddr(m.ps)}
		}
		switch rapid.IntRange(0, 5).Draw(t, "kind") {
		case 0, 1:
			v.Role = vm.RoleMmap
		case 2:
			// A file mapped at an offset that follows the address, so that
			// neighbours continue each other unless the shift differs.
			v.Backing, v.Role = vm.BackingFile, vm.RoleMmap
			v.File = rapid.SampledFrom([]string{"a", "a", "b"}).Draw(t, "file")
			v.Offset = uint64(start+rapid.SampledFrom([]int{0, 1}).Draw(t, "file shift")) * uint64(m.ps)
		case 3:
			v.Shared, v.Role = true, vm.RoleMmap
		case 4:
			v.Role = vm.RoleHeap
		case 5:
			v.Role, v.GrowsDown = vm.RoleStack, true
		}
		switch rapid.IntRange(0, 29).Draw(t, "malformed") {
		case 25:
			v.Range.Start += vm.VAddr(rapid.IntRange(1, int(m.ps)-1).Draw(t, "misalignment"))
		case 26:
			v.Range.End = v.Range.Start
		case 27:
			v.Range.End = m.limit.End + vm.VAddr(m.ps) // refused only with fixed; else no room
			v.Range.Start = max(v.Range.Start, m.limit.Start)
		case 28:
			v.Backing, v.File, v.Offset = vm.BackingFile, "", 0
		case 29:
			v.Backing, v.File, v.Offset = vm.BackingAnon, "", uint64(m.ps)
		}
		return mapOp(v, fixed)
	})
}

// growGen draws a Grow just below a grows-down VMA (mostly) or anywhere.
func (m *machine[T]) growGen() *rapid.Generator[op] {
	return rapid.Custom(func(t *rapid.T) op {
		va := m.addr(t)
		var stacks []vm.VMA
		for _, v := range m.model.vmas() {
			if v.GrowsDown {
				stacks = append(stacks, v)
			}
		}
		if len(stacks) > 0 && rapid.IntRange(0, 3).Draw(t, "below a stack") > 0 {
			v := rapid.SampledFrom(stacks).Draw(t, "stack")
			below := vm.VAddr(rapid.IntRange(1, 4*int(m.ps)).Draw(t, "bytes below"))
			va = max(v.Range.Start-below, m.limit.Start)
		}
		maxSize := uint64(rapid.IntRange(1, 10).Draw(t, "max pages")) * uint64(m.ps)
		guard := uint64(rapid.IntRange(0, 2).Draw(t, "guard pages")) * uint64(m.ps)
		return growOp(va, maxSize, guard)
	})
}

// resizeGen draws a Resize of a VMA's start (mostly) to a new end.
func (m *machine[T]) resizeGen() *rapid.Generator[op] {
	return rapid.Custom(func(t *rapid.T) op {
		start := m.page(rapid.IntRange(0, machinePages-1).Draw(t, "start page"))
		if vs := m.model.vmas(); len(vs) > 0 && rapid.IntRange(0, 3).Draw(t, "a VMA's start") > 0 {
			start = rapid.SampledFrom(vs).Draw(t, "vma").Range.Start
		}
		end := start + vm.VAddr(rapid.IntRange(1, 8).Draw(t, "pages")*int(m.ps))
		switch rapid.IntRange(0, 19).Draw(t, "malformed") {
		case 18:
			end = start
		case 19:
			end -= vm.VAddr(rapid.IntRange(1, int(m.ps)-1).Draw(t, "misalignment"))
		}
		return resizeOp(start, end)
	})
}

// run makes one call on both the set and the model and compares results.
func (m *machine[T]) run(t *rapid.T, o op) {
	got := o.apply(m.set)
	want := m.model.apply(o)
	t.Logf("%v = %s", o, o.describe(got))
	m.trail = append(m.trail, fmt.Sprintf("%v = %s", o, o.describe(got)))
	if !o.matches(got, want) {
		m.fail(t, "%v = %s, want %s", o, o.describe(got), o.describeWant(want))
	}
}

// clone copies the set, checks the copy, empties the copy and checks that
// the original did not change.
func (m *machine[T]) clone(t *rapid.T) {
	c := m.set.Clone()
	t.Logf("Clone()")
	m.trail = append(m.trail, "c := Clone()")
	want := m.model.vmas()
	if got := collect(c.All()); !slices.Equal(got, want) {
		m.fail(t, "Clone().All() = %s, want %s", listing(got), listing(want))
	}
	if _, err := c.Unmap(m.limit); err != nil {
		m.fail(t, "c.Unmap(%v) on the clone = error %v, want the pieces", m.limit, err)
	}
	m.trail = append(m.trail, fmt.Sprintf("c.Unmap(%v)", m.limit))
	if got := collect(m.set.All()); !slices.Equal(got, want) {
		m.fail(t, "All() after Unmap(%v) on a clone = %s, want %s (the clone shares the original's VMAs)", m.limit, listing(got), listing(want))
	}
}

// probe makes, on clones of the set and of the model, the calls whose
// outcome hangs on an exact boundary, for every VMA there is now: Grow of
// each stack to each of the 4 pages below it, with guard gaps of 0 to 3
// pages and a size limit of exactly the grown size or a page less; Resize
// of each VMA to each end up to 4 pages further; a Map of the page after
// each file VMA at a file offset that does not continue it. It compares
// every result and the VMAs afterwards; the set itself is not changed.
func (m *machine[T]) probe(t *rapid.T) {
	ps := vm.VAddr(m.ps)
	var probes []op
	for _, v := range m.model.vmas() {
		if v.GrowsDown {
			for k := vm.VAddr(1); k <= 4 && v.Range.Start-k*ps >= m.limit.Start; k++ {
				va := v.Range.Start - k*ps
				size := uint64(v.Range.End - va)
				for g := uint64(0); g <= 3; g++ {
					probes = append(probes, growOp(va, size, g*uint64(m.ps)), growOp(va, size-uint64(m.ps), g*uint64(m.ps)))
				}
			}
		}
		for k := vm.VAddr(1); k <= 4; k++ {
			probes = append(probes, resizeOp(v.Range.Start, v.Range.End+k*ps))
		}
		if v.Backing == vm.BackingFile && v.Range.End < m.limit.End {
			next := v
			next.Range = vm.AddrRange{Start: v.Range.End, End: v.Range.End + ps}
			next.Offset = v.Offset + v.Len() + uint64(m.ps)
			probes = append(probes, mapOp(next, true))
		}
	}
	for _, o := range probes {
		c, cm := m.set.Clone(), m.model.clone()
		got, want := o.apply(c), cm.apply(o)
		if !o.matches(got, want) {
			m.fail(t, "on a clone: %v = %s, want %s", o, o.describe(got), o.describeWant(want))
		}
		if g, w := collect(c.All()), cm.vmas(); !slices.Equal(g, w) {
			m.fail(t, "on a clone, after %v = %s: All() = %s\nwant     %s", o, o.describe(got), listing(g), listing(w))
		}
	}
}

// check is the invariant after every call: All() is exactly the model's
// VMAs, Len and TotalBytes agree, Check() is nil, and Find and FindNext
// agree with the model at every page.
func (m *machine[T]) check(t *rapid.T) {
	want := m.model.vmas()
	if got := collect(m.set.All()); !slices.Equal(got, want) {
		m.fail(t, "All() = %s\nwant     %s", listing(got), listing(want))
	}
	if got := m.set.Len(); got != len(want) {
		m.fail(t, "Len() = %d, want %d", got, len(want))
	}
	if got, wantBytes := m.set.TotalBytes(), uint64(len(m.model.pages))*uint64(m.ps); got != wantBytes {
		m.fail(t, "TotalBytes() = %#x, want %#x", got, wantBytes)
	}
	if err := m.set.Check(); err != nil {
		m.fail(t, "Check() = %v, want nil", err)
	}
	for i := -1; i <= machinePages; i++ {
		va := m.page(i) + vm.VAddr(m.ps/2)
		for _, o := range []op{findOp(va), findNextOp(va)} {
			if got, want := o.apply(m.set), m.model.apply(o); !o.matches(got, want) {
				m.fail(t, "%v = %s, want %s", o, o.describe(got), o.describeWant(want))
			}
		}
	}
}

// fail reports a mismatch with the whole call sequence and the VMAs the
// set should hold.
func (m *machine[T]) fail(t *rapid.T, format string, args ...any) {
	t.Fatalf("%s\nsequence: %s\nexpected VMAs now: %v", fmt.Sprintf(format, args...), strings.Join(m.trail, " · "), m.model)
}

package vmaspec

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/vmkata/vmkata/vm"
)

// opKind names the call an op makes.
type opKind uint8

const (
	opMap opKind = iota
	opUnmap
	opProtect
	opFind
	opFindNext
	opGrow
	opResize
)

// op is one call on a VMA set, printable as the call it makes.
type op struct {
	kind    opKind
	v       vm.VMA       // Map
	fixed   bool         // Map
	r       vm.AddrRange // Unmap, Protect
	perm    vm.Perm      // Protect
	va      vm.VAddr     // Find, FindNext, Grow; the start for Resize
	end     vm.VAddr     // Resize: the new end
	maxSize uint64       // Grow
	guard   uint64       // Grow
}

func mapOp(v vm.VMA, fixed bool) op { return op{kind: opMap, v: v, fixed: fixed} }
func unmapOp(r vm.AddrRange) op     { return op{kind: opUnmap, r: r} }
func protectOp(r vm.AddrRange, p vm.Perm) op {
	return op{kind: opProtect, r: r, perm: p}
}
func findOp(va vm.VAddr) op     { return op{kind: opFind, va: va} }
func findNextOp(va vm.VAddr) op { return op{kind: opFindNext, va: va} }
func growOp(va vm.VAddr, maxSize, guard uint64) op {
	return op{kind: opGrow, va: va, maxSize: maxSize, guard: guard}
}
func resizeOp(start, end vm.VAddr) op { return op{kind: opResize, va: start, end: end} }

// String prints the call, e.g. "Map(00400000-00401000 r-xp 00000000 text, fixed)".
func (o op) String() string {
	switch o.kind {
	case opMap:
		how := "fixed"
		if !o.fixed {
			how = "not fixed"
		}
		return fmt.Sprintf("Map(%v, %s)", o.v, how)
	case opUnmap:
		return fmt.Sprintf("Unmap(%v)", o.r)
	case opProtect:
		return fmt.Sprintf("Protect(%v, %s)", o.r, permString(o.perm))
	case opFind:
		return fmt.Sprintf("Find(%v)", o.va)
	case opFindNext:
		return fmt.Sprintf("FindNext(%v)", o.va)
	case opGrow:
		return fmt.Sprintf("Grow(%v, maxSize %#x, guardGap %#x)", o.va, o.maxSize, o.guard)
	case opResize:
		return fmt.Sprintf("Resize(%v, %v)", o.va, o.end)
	}
	return "op?"
}

// permString prints a VMA permission as rwx, or the full Perm when it
// carries other bits.
func permString(p vm.Perm) string {
	if p&^vm.PermRWX != 0 {
		return fmt.Sprintf("%v (%#x)", p, uint8(p))
	}
	return p.String()[:3]
}

// result is what a call returned. Which fields matter depends on the op:
// Map fills rng, Unmap and Protect vmas, Find, FindNext and Grow vma and
// ok, every mutating op err.
type result struct {
	err  error   // the error wanted (a sentinel), or nil
	alt  []error // other sentinels that will do, when several arguments are wrong at once
	rng  vm.AddrRange
	vmas []vm.VMA
	vma  vm.VMA
	ok   bool
}

// okay is the result of a call that must succeed and returns nothing else.
var okay = result{}

// fails is a result wanting an error that wraps sentinel, or any of alt.
func fails(sentinel error, alt ...error) result { return result{err: sentinel, alt: alt} }

// apply makes the call on s.
func (o op) apply(s vm.VMASet) result {
	var r result
	switch o.kind {
	case opMap:
		r.rng, r.err = s.Map(o.v, o.fixed)
	case opUnmap:
		r.vmas, r.err = s.Unmap(o.r)
	case opProtect:
		r.vmas, r.err = s.Protect(o.r, o.perm)
	case opFind:
		r.vma, r.ok = s.Find(o.va)
	case opFindNext:
		r.vma, r.ok = s.FindNext(o.va)
	case opGrow:
		r.vma, r.err = s.Grow(o.va, o.maxSize, o.guard)
		r.ok = r.err == nil
	case opResize:
		r.err = s.Resize(o.va, o.end)
	}
	return r
}

// matches reports whether got is the result want describes: the same
// error class (errors.Is the wanted sentinel, or both nil) and, on success,
// the same values. A nil and an empty slice of pieces are the same.
func (o op) matches(got, want result) bool {
	if want.err != nil {
		if errors.Is(got.err, want.err) {
			return true
		}
		for _, e := range want.alt {
			if errors.Is(got.err, e) {
				return true
			}
		}
		return false
	}
	if got.err != nil {
		return false
	}
	switch o.kind {
	case opMap:
		return got.rng == want.rng
	case opUnmap, opProtect:
		return slices.Equal(got.vmas, want.vmas)
	case opFind, opFindNext, opGrow:
		return got.ok == want.ok && (!got.ok || got.vma == want.vma)
	}
	return true
}

// describe prints r as o returns it: "[0x1000, 0x3000)", "error: …",
// "[3 pieces: …]", "none".
func (o op) describe(r result) string {
	if r.err != nil {
		return "error: " + r.err.Error()
	}
	switch o.kind {
	case opMap:
		return r.rng.String()
	case opUnmap, opProtect:
		return listing(r.vmas)
	case opFind, opFindNext, opGrow:
		if !r.ok {
			return "none"
		}
		return r.vma.String()
	}
	return "ok"
}

// describeWant prints what a call should have returned.
func (o op) describeWant(r result) string {
	if r.err != nil {
		if len(r.alt) > 0 {
			return fmt.Sprintf("an error wrapping %q or %q", r.err, r.alt)
		}
		return fmt.Sprintf("an error wrapping %q", r.err)
	}
	if o.kind == opResize {
		return "no error"
	}
	return o.describe(r)
}

// listing prints VMAs as one bracketed list, like lines of /proc/self/maps
// separated by "; ".
func listing(vmas []vm.VMA) string {
	if len(vmas) == 0 {
		return "[]"
	}
	parts := make([]string, len(vmas))
	for i, v := range vmas {
		parts[i] = v.String()
	}
	return "[" + strings.Join(parts, "; ") + "]"
}

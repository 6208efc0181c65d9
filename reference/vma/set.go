package vma

import (
	"fmt"
	"iter"
	"slices"
	"strings"

	"github.com/vmkata/vmkata/vm"
)

// Set is the VMAs of one address space. Build it with NewSet.
type Set struct {
	ps    vm.PageSize  // page size; every boundary is a multiple of it
	limit vm.AddrRange // the user addresses a VMA may cover

	// vmas is sorted by Range.Start.
	// Invariant: see the package comment (sorted, disjoint, non-empty,
	// aligned, inside limit, adjacent compatible VMAs merged).
	vmas []vm.VMA
}

var _ vm.VMASet = (*Set)(nil)

// NewSet returns an empty set of VMAs with pages of pageSize, whose VMAs
// must lie inside limit (the user part of the address space, e.g.
// [0x10000, 0x7ffffffff000) on x86-64 Linux).
//
// It returns an error wrapping vm.ErrInvalidConfig if pageSize is not a
// power of two or limit is empty or inverted, and vm.ErrNotAligned if
// limit's ends are not multiples of pageSize.
func NewSet(pageSize vm.PageSize, limit vm.AddrRange) (*Set, error) {
	if pageSize == 0 || pageSize&(pageSize-1) != 0 {
		return nil, fmt.Errorf("vma: page size %d is not a power of two: %w", uint64(pageSize), vm.ErrInvalidConfig)
	}
	if limit.End <= limit.Start {
		return nil, fmt.Errorf("vma: limit %v is empty: %w", limit, vm.ErrInvalidConfig)
	}
	if !aligned(limit.Start, pageSize) || !aligned(limit.End, pageSize) {
		return nil, fmt.Errorf("vma: limit %v is not a multiple of the %v page size: %w", limit, pageSize, vm.ErrNotAligned)
	}
	return &Set{ps: pageSize, limit: limit}, nil
}

// PageSize returns the page size the set was built with.
func (s *Set) PageSize() vm.PageSize { return s.ps }

// Limit returns the range the VMAs must lie in.
func (s *Set) Limit() vm.AddrRange { return s.limit }

// Find returns the VMA containing va, or false if va lies in a hole.
func (s *Set) Find(va vm.VAddr) (vm.VMA, bool) {
	i := s.search(va)
	if i < len(s.vmas) && s.vmas[i].Range.Start <= va {
		return s.vmas[i], true
	}
	return vm.VMA{}, false
}

// FindNext returns the first VMA that ends above va: the one containing va,
// else the nearest one above it; false if there is none. This is Linux's
// find_vma, which the fault handler uses to find the stack just above a
// faulting address.
func (s *Set) FindNext(va vm.VAddr) (vm.VMA, bool) {
	i := s.search(va)
	if i < len(s.vmas) {
		return s.vmas[i], true
	}
	return vm.VMA{}, false
}

// search returns the index of the first VMA whose End is above va
// (len(s.vmas) if none): a binary search, O(log n). Because the VMAs are
// sorted and disjoint, their ends are sorted too.
func (s *Set) search(va vm.VAddr) int {
	lo, hi := 0, len(s.vmas)
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if s.vmas[mid].Range.End > va {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo
}

// All yields the VMAs in address order. The set must not be changed during
// the iteration.
func (s *Set) All() iter.Seq[vm.VMA] {
	return func(yield func(vm.VMA) bool) {
		for _, v := range s.vmas {
			if !yield(v) {
				return
			}
		}
	}
}

// Len returns the number of VMAs.
func (s *Set) Len() int { return len(s.vmas) }

// TotalBytes returns the number of bytes all VMAs cover (Linux's
// total_vm, in bytes rather than pages).
func (s *Set) TotalBytes() uint64 {
	var n uint64
	for _, v := range s.vmas {
		n += v.Range.Len()
	}
	return n
}

// Clone returns an independent copy of s: what fork(2) does to the VMA list
// (dup_mmap). Changing one afterwards does not change the other.
func (s *Set) Clone() *Set {
	return &Set{ps: s.ps, limit: s.limit, vmas: slices.Clone(s.vmas)}
}

// String lists the VMAs one per line, like /proc/self/maps.
func (s *Set) String() string {
	var b strings.Builder
	for _, v := range s.vmas {
		b.WriteString(v.String())
		b.WriteByte('\n')
	}
	return b.String()
}

// Check returns an error describing the first broken invariant (see the
// package comment), or nil. The specs call it after every operation.
func (s *Set) Check() error {
	for i, v := range s.vmas {
		if err := s.checkOne(v); err != nil {
			return fmt.Errorf("vma: VMA %d %v: %w", i, v, err)
		}
		if i == 0 {
			continue
		}
		p := s.vmas[i-1]
		switch {
		case p.Range.End > v.Range.Start:
			return fmt.Errorf("vma: VMA %d %v overlaps or precedes VMA %d %v", i, v, i-1, p)
		case p.Range.End == v.Range.Start && compatible(p, v):
			return fmt.Errorf("vma: adjacent compatible VMAs %d %v and %d %v are not merged", i-1, p, i, v)
		}
	}
	return nil
}

// checkOne checks the invariants of one VMA on its own.
func (s *Set) checkOne(v vm.VMA) error {
	switch {
	case v.Range.End <= v.Range.Start:
		return fmt.Errorf("empty range %v", v.Range)
	case !aligned(v.Range.Start, s.ps) || !aligned(v.Range.End, s.ps):
		return fmt.Errorf("range %v not aligned to %v: %w", v.Range, s.ps, vm.ErrNotAligned)
	case v.Range.Start < s.limit.Start || v.Range.End > s.limit.End:
		return fmt.Errorf("range %v outside the limit %v: %w", v.Range, s.limit, vm.ErrOutOfRange)
	case v.Perm&^vm.PermRWX != 0:
		return fmt.Errorf("permission %v has bits other than rwx: %w", v.Perm, vm.ErrBadPermission)
	case v.Backing != vm.BackingAnon && v.Backing != vm.BackingFile:
		return fmt.Errorf("unknown backing %v: %w", v.Backing, vm.ErrInvalidConfig)
	case v.Backing == vm.BackingAnon && v.Offset != 0:
		return fmt.Errorf("anonymous VMA with file offset %#x: %w", v.Offset, vm.ErrInvalidConfig)
	case v.Backing == vm.BackingFile && v.File == "":
		return fmt.Errorf("file VMA without a file: %w", vm.ErrInvalidConfig)
	case v.Offset%uint64(s.ps) != 0:
		return fmt.Errorf("file offset %#x not aligned to %v: %w", v.Offset, s.ps, vm.ErrNotAligned)
	case v.Role > vm.RoleMmap:
		return fmt.Errorf("unknown role %v: %w", v.Role, vm.ErrInvalidConfig)
	}
	return nil
}

// compatible reports whether b, starting where a ends, may merge into a:
// the same attributes and, for a file, the next bytes of the same file.
func compatible(a, b vm.VMA) bool {
	if a.Perm != b.Perm || a.Shared != b.Shared || a.Backing != b.Backing ||
		a.File != b.File || a.Role != b.Role || a.GrowsDown != b.GrowsDown {
		return false
	}
	return a.Backing != vm.BackingFile || a.Offset+a.Range.Len() == b.Offset
}

// aligned reports whether va is a multiple of ps.
func aligned(va vm.VAddr, ps vm.PageSize) bool { return uint64(va)&(uint64(ps)-1) == 0 }

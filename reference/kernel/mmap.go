package kernel

import (
	"errors"
	"fmt"

	"github.com/vmkata/vmkata/vm"
)

// MmapArgs are the arguments of Mmap, as mmap(2) takes them.
type MmapArgs struct {
	Addr   vm.VAddr // hint, or the exact address with Fixed; 0: the kernel chooses from MmapBase up
	Length uint64   // bytes; rounded up to whole pages
	Perm   vm.Perm  // PROT_READ|PROT_WRITE|PROT_EXEC (PermUser is implied)
	Shared bool     // MAP_SHARED; false is MAP_PRIVATE
	Fixed  bool     // MAP_FIXED: replace whatever is mapped at Addr
	File   string   // the file to map; "" for MAP_ANONYMOUS
	Offset uint64   // file offset, page-aligned
}

// String prints the call, e.g. "mmap(0x0, 0x2000, rw-, MAP_SHARED, data.bin+0x0)".
func (a MmapArgs) String() string {
	flags := "MAP_PRIVATE"
	if a.Shared {
		flags = "MAP_SHARED"
	}
	if a.Fixed {
		flags += "|MAP_FIXED"
	}
	src := "MAP_ANONYMOUS"
	if a.File != "" {
		src = fmt.Sprintf("%s+%#x", a.File, a.Offset)
	}
	return fmt.Sprintf("mmap(%v, %#x, %s, %s, %s)", a.Addr, a.Length, a.Perm.String()[:3], flags, src)
}

// Mmap implements the semantics of Linux's mmap(2): it creates a VMA and
// maps nothing (pages come on first touch). A file mapping reads through
// the page cache, shared by every process mapping the file: with MAP_SHARED
// writes go to the cache page (visible to every other mapper at once,
// written back to the file on eviction, Sync or DropCaches); with
// MAP_PRIVATE a write copies the page. MAP_SHARED|MAP_ANONYMOUS memory is
// backed by an unnamed in-memory file, so that fork's child shares it.
// It returns the start of the mapping. Errors: ErrInvalid (zero length,
// unaligned address or offset, a bad permission), ErrNoFile, ErrNoMemory
// (no room in the address space, or the overcommit policy refuses).
func (k *Kernel) Mmap(pid int, a MmapArgs) (vm.VAddr, error) {
	p, err := k.process(pid)
	if err != nil {
		return 0, err
	}
	if a.Length == 0 || uint64(a.Addr)%k.pageSize != 0 || a.Offset%k.pageSize != 0 || a.Perm&vm.PermUser != 0 {
		return 0, fmt.Errorf("kernel: %v: %w", a, ErrInvalid)
	}
	length := uint64(k.pageUp(vm.VAddr(a.Length)))
	if length < a.Length {
		return 0, fmt.Errorf("kernel: %v: length overflows: %w", a, ErrInvalid)
	}
	if _, err := k.runOn(p); err != nil {
		return 0, err
	}
	v := vm.VMA{Perm: a.Perm, Shared: a.Shared, Role: vm.RoleMmap, Offset: a.Offset}
	switch {
	case a.File != "":
		if _, ok := k.files[a.File]; !ok {
			return 0, fmt.Errorf("kernel: %v: %w", a, ErrNoFile)
		}
		v.Backing, v.File = vm.BackingFile, a.File
	case a.Shared:
		k.nextFile++
		name := fmt.Sprintf("/dev/zero (shmem %d)", k.nextFile)
		k.shmem[name] = &File{id: k.nextFile, name: name, data: make([]byte, length), shmem: true}
		v.Backing, v.File, v.Offset = vm.BackingFile, name, 0
	default:
		if a.Offset != 0 {
			return 0, fmt.Errorf("kernel: %v: offset for anonymous memory: %w", a, ErrInvalid)
		}
	}
	if !v.Shared && v.Perm.Has(vm.PermWrite) {
		if err := k.charge(p, length/k.pageSize); err != nil {
			return 0, fmt.Errorf("kernel: %v: %w", a, err)
		}
	}
	hint := a.Addr
	if hint == 0 {
		hint = k.MmapBase()
	}
	v.Range = vm.AddrRange{Start: hint, End: hint + vm.VAddr(length)}
	if a.Fixed {
		if v.Range.End < v.Range.Start || !k.userRange().Contains(v.Range.Start) || v.Range.End > k.userEnd() {
			return 0, fmt.Errorf("kernel: %v: outside the user address space %v: %w", a, k.userRange(), ErrInvalid)
		}
		k.batch()
		k.dropRange(p, v.Range)
		k.endBatch()
	} else if v.Range.End < v.Range.Start {
		v.Range = vm.AddrRange{Start: 0, End: vm.VAddr(length)}
	}
	r, err := p.vmas.Map(v, a.Fixed)
	k.recount(p)
	if err != nil {
		if errors.Is(err, vm.ErrOutOfMemory) {
			return 0, fmt.Errorf("kernel: %v: %w", a, ErrNoMemory)
		}
		return 0, fmt.Errorf("kernel: %v: %v: %w", a, err, ErrInvalid)
	}
	if k.observing() {
		e := ev(EvMmap, pid, r.Start)
		e.Detail = fmt.Sprintf("%v -> %v (no page loaded)", a, r)
		k.emit(e)
	}
	return r.Start, nil
}

// Munmap implements the semantics of Linux's munmap(2): the VMAs covering
// [addr, addr+length) are cut (split if the range is in the middle), every
// page there is dropped (frames freed when no one else maps them, swap
// entries released), and the TLB entries are invalidated on every CPU that
// may cache them (one shootdown request for the whole range: see
// Config.Shootdown). Unmapping a range with
// nothing mapped is not an error.
func (k *Kernel) Munmap(pid int, addr vm.VAddr, length uint64) error {
	p, r, err := k.rangeArgs("munmap", pid, addr, length)
	if err != nil {
		return err
	}
	if _, err := k.runOn(p); err != nil {
		return err
	}
	k.batch()
	k.dropRange(p, r)
	k.endBatch()
	if _, err := p.vmas.Unmap(r); err != nil {
		return fmt.Errorf("kernel: munmap %v: %v: %w", r, err, ErrInvalid)
	}
	k.recount(p)
	if k.observing() {
		e := ev(EvMunmap, pid, r.Start)
		e.Detail = fmt.Sprintf("%v unmapped", r)
		k.emit(e)
	}
	return nil
}

// dropRange drops every page p holds in r.
func (k *Kernel) dropRange(p *Process, r vm.AddrRange) {
	for v := range p.vmas.All() {
		lo, hi := max(v.Range.Start, r.Start), min(v.Range.End, r.End)
		for va := lo; va < hi; va += vm.VAddr(k.pageSize) {
			k.dropPage(p, va)
		}
	}
}

// rangeArgs checks a (pid, addr, length) triple: a live process, a
// page-aligned address and a non-empty range inside the user space.
func (k *Kernel) rangeArgs(op string, pid int, addr vm.VAddr, length uint64) (*Process, vm.AddrRange, error) {
	p, err := k.process(pid)
	if err != nil {
		return nil, vm.AddrRange{}, err
	}
	if uint64(addr)%k.pageSize != 0 || length == 0 {
		return nil, vm.AddrRange{}, fmt.Errorf("kernel: %s(%v, %#x): unaligned address or zero length: %w", op, addr, length, ErrInvalid)
	}
	r, ok := vm.NewAddrRange(addr, uint64(k.pageUp(vm.VAddr(length))))
	if !ok || length > uint64(k.userEnd()) || r.End > k.userEnd() {
		return nil, vm.AddrRange{}, fmt.Errorf("kernel: %s(%v, %#x): outside the user address space: %w", op, addr, length, ErrInvalid)
	}
	return p, r, nil
}

// Mprotect implements the semantics of Linux's mprotect(2): VMAs are split
// or merged so that [addr, addr+length) has perm, and every resident page
// there gets the new permission in its PTE, its TLB entries invalidated
// everywhere (one shootdown request for the whole range, sent before
// Mprotect returns).
// A write permission is not granted to pages that must stay copy-on-write
// (a later write fault decides). A permission without read (PROT_NONE, or
// write/exec alone, which x86 cannot express) takes the PTEs away but keeps
// the pages: the next access is SIGSEGV (ACCERR), and after mprotect gives
// access back a fault maps them again. Errors: ErrInvalid, ErrNoMemory
// (Linux's ENOMEM when part of the range is not mapped).
func (k *Kernel) Mprotect(pid int, addr vm.VAddr, length uint64, perm vm.Perm) error {
	p, r, err := k.rangeArgs("mprotect", pid, addr, length)
	if err != nil {
		return err
	}
	if perm&vm.PermUser != 0 {
		return fmt.Errorf("kernel: mprotect(%v, %#x, %v): %w", addr, length, perm, ErrInvalid)
	}
	if _, err := k.runOn(p); err != nil {
		return err
	}
	changed, err := p.vmas.Protect(r, perm)
	if err != nil {
		if errors.Is(err, vm.ErrNotMapped) {
			return fmt.Errorf("kernel: mprotect %v: %v: %w", r, err, ErrNoMemory)
		}
		return fmt.Errorf("kernel: mprotect %v: %v: %w", r, err, ErrInvalid)
	}
	k.batch()
	for _, v := range changed {
		for va := v.Range.Start; va < v.Range.End; va += vm.VAddr(k.pageSize) {
			k.reprotect(p, v, va)
		}
	}
	k.endBatch()
	k.recount(p) // Linux refuses a mprotect that would break the commit limit; the model only counts
	if k.observing() {
		e := ev(EvMprotect, pid, r.Start)
		e.Detail = fmt.Sprintf("%v -> %v, %d VMA pieces changed", r, perm.String()[:3], len(changed))
		k.emit(e)
	}
	return nil
}

// reprotect brings the PTE of the page at va in line with VMA v.
func (k *Kernel) reprotect(p *Process, v vm.VMA, va vm.VAddr) {
	_, e, ok := k.leaf(p, va)
	if !ok {
		return
	}
	if !v.Perm.Has(vm.PermRead) {
		// PROT_NONE: keep the page, lose the PTE.
		pfn := k.unmapPTE(p, va, false)
		p.hidden[k.vpnOf(va)] = pfn
		return
	}
	perm := ptePerm(v)
	if !e.Has(vm.PTEWritable) {
		perm &^= vm.PermWrite // copy-on-write pages stay read-only until a write fault
	}
	if perm != e.Perm() {
		k.protectPTE(p, va, perm)
	}
}

// Advice is madvise(2)'s advice.
type Advice uint8

// Advice values.
const (
	// MadvDontNeed (MADV_DONTNEED): drop the pages; private anonymous
	// memory reads back as zeroes, file mappings reread the file (shared
	// ones keep what was written: the page cache still has it).
	MadvDontNeed Advice = iota + 1
	// MadvWillNeed (MADV_WILLNEED): pre-page: fault the range in now, as
	// reads (file pages into the page cache, swapped pages back in).
	MadvWillNeed
)

// String prints MADV_DONTNEED or MADV_WILLNEED.
func (a Advice) String() string {
	switch a {
	case MadvDontNeed:
		return "MADV_DONTNEED"
	case MadvWillNeed:
		return "MADV_WILLNEED"
	}
	return fmt.Sprintf("advice(%d)", uint8(a))
}

// Madvise implements the semantics of Linux's madvise(2) for
// MADV_DONTNEED and MADV_WILLNEED over [addr, addr+length). Pages outside
// every VMA are skipped. WILLNEED on a page the VMA does not allow reading
// skips it too (it would be SIGSEGV). A WILLNEED that runs out of memory
// stops early; its error says so.
func (k *Kernel) Madvise(pid int, addr vm.VAddr, length uint64, advice Advice) error {
	p, r, err := k.rangeArgs("madvise", pid, addr, length)
	if err != nil {
		return err
	}
	if advice != MadvDontNeed && advice != MadvWillNeed {
		return fmt.Errorf("kernel: madvise(%v, %#x, %v): %w", addr, length, advice, ErrInvalid)
	}
	if _, err := k.runOn(p); err != nil {
		return err
	}
	n := 0
	switch advice {
	case MadvDontNeed:
		k.batch()
		k.dropRange(p, r)
		k.endBatch()
	case MadvWillNeed:
		var pages []vm.VAddr
		for v := range p.vmas.All() {
			if !v.Perm.Has(vm.PermRead) {
				continue
			}
			for va := max(v.Range.Start, r.Start); va < min(v.Range.End, r.End); va += vm.VAddr(k.pageSize) {
				pages = append(pages, va)
			}
		}
		for _, va := range pages {
			if _, _, ok := k.leaf(p, va); ok {
				continue
			}
			if err := k.handleFault(p, &vm.Fault{Addr: va, Access: vm.UserRead, Kind: vm.FaultNotPresent, Code: vm.ErrCodeU}); err != nil {
				return fmt.Errorf("kernel: madvise(%v, %#x, %v): %w", addr, length, advice, err)
			}
			n++
		}
	}
	if k.observing() {
		e := ev(EvMadvise, pid, r.Start)
		e.Detail = fmt.Sprintf("%v on %v (%d pages pre-paged)", advice, r, n)
		k.emit(e)
	}
	return nil
}

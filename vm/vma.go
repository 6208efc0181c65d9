package vm

import (
	"fmt"
	"iter"
	"strings"
)

// Backing says where the contents of a virtual memory area come from.
type Backing uint8

// Backings.
const (
	// BackingAnon is anonymous memory: zero-filled on first touch, kept in
	// swap when evicted (heap, stack, bss, MAP_ANONYMOUS).
	BackingAnon Backing = iota
	// BackingFile is a file's pages, read through the page cache from the
	// VMA's Offset on (program text and data, mmap of a file).
	BackingFile
)

// String prints anon or file.
func (b Backing) String() string {
	switch b {
	case BackingAnon:
		return "anon"
	case BackingFile:
		return "file"
	}
	return fmt.Sprintf("backing(%d)", uint8(b))
}

// Role is the part a VMA plays in a process's layout (the classic picture:
// text, data, bss, heap growing up, mmap area, stack growing down). Linux
// keeps no such field; it labels [heap] and [stack] in /proc/self/maps by
// address. The model keeps it so that a kernel can find its heap and stack
// and a listing reads like the textbook diagram.
type Role uint8

// Roles.
const (
	RoleNone  Role = iota // no particular role
	RoleText              // program code, r-x, file-backed
	RoleData              // initialized data, rw-, file-backed, private
	RoleBSS               // zero-initialized data, rw-, anonymous
	RoleHeap              // the brk area, rw-, anonymous, grows up
	RoleStack             // the main stack, rw-, anonymous, grows down
	RoleMmap              // a mapping made by mmap
)

// String prints the role in lower case: text, data, bss, heap, stack, mmap,
// or "" for RoleNone.
func (r Role) String() string {
	switch r {
	case RoleNone:
		return ""
	case RoleText:
		return "text"
	case RoleData:
		return "data"
	case RoleBSS:
		return "bss"
	case RoleHeap:
		return "heap"
	case RoleStack:
		return "stack"
	case RoleMmap:
		return "mmap"
	}
	return fmt.Sprintf("role(%d)", uint8(r))
}

// VMA is a virtual memory area: a page-aligned range of one address space
// whose pages share permissions and backing (Linux's struct
// vm_area_struct). A process's VMAs say which addresses it may touch and
// how; the page table says which of those pages are resident right now.
//
// Invariant (kept by a VMASet): Range is non-empty and page-aligned; Perm
// holds only PermRead, PermWrite and PermExec (every VMA is user memory,
// so PermUser is implied and never stored); Offset is page-aligned, and 0
// for anonymous memory.
type VMA struct {
	Range     AddrRange // the addresses covered, [Start, End)
	Perm      Perm      // PROT_READ/PROT_WRITE/PROT_EXEC as PermRead/PermWrite/PermExec
	Shared    bool      // MAP_SHARED (writes reach the file and other processes) vs MAP_PRIVATE (copy on write)
	Backing   Backing   // anonymous or file
	File      string    // identifies the file for BackingFile; "" for anonymous memory
	Offset    uint64    // file offset of Range.Start (BackingFile only)
	Role      Role      // text, data, bss, heap, stack, mmap or none
	GrowsDown bool      // the VMA may grow down on a fault just below it (Linux's VM_GROWSDOWN, the stack)
}

// Len returns the number of bytes the VMA covers.
func (v VMA) Len() uint64 { return v.Range.Len() }

// String prints v as a line of /proc/self/maps, without the device and
// inode columns: start-end, permissions with p (private) or s (shared),
// the file offset, then the file, the role and "growsdown" when set:
//
//	00400000-00401000 r-xp 00000000 /bin/app text
//	7ffffffde000-7ffffffff000 rw-p 00000000 stack growsdown
func (v VMA) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%08x-%08x ", uint64(v.Range.Start), uint64(v.Range.End))
	b.WriteString(v.Perm.String()[:3])
	if v.Shared {
		b.WriteByte('s')
	} else {
		b.WriteByte('p')
	}
	fmt.Fprintf(&b, " %08x", v.Offset)
	if v.File != "" {
		b.WriteString(" " + v.File)
	}
	if v.Role != RoleNone {
		b.WriteString(" " + v.Role.String())
	}
	if v.GrowsDown {
		b.WriteString(" growsdown")
	}
	return b.String()
}

// VMASet is the set of VMAs of one address space, kept sorted by address,
// non-overlapping and with adjacent compatible VMAs merged; it implements
// the semantics of Linux's mmap(2), munmap(2), mprotect(2), brk(2) and
// stack growth on the VMA list. Exercise 11's stub
// (exercises/11-mmap-vmas/vma.go) states the contract, rule by rule, and
// reference/vma implements it; code that only needs the VMA list
// (the heap and stack decisions of reference/heapstack, the specs) takes it
// through this interface.
//
// To copy a set (fork), build a new one with the same page size and limit
// and Map every VMA of All() with fixed set; the result is identical.
type VMASet interface {
	// Map inserts v (mmap); fixed is MAP_FIXED. It returns the range used.
	Map(v VMA, fixed bool) (AddrRange, error)
	// Unmap removes r from every VMA (munmap) and returns the pieces removed.
	Unmap(r AddrRange) ([]VMA, error)
	// Protect sets the permission of r (mprotect) and returns the pieces changed.
	Protect(r AddrRange, perm Perm) ([]VMA, error)
	// Find returns the VMA containing va.
	Find(va VAddr) (VMA, bool)
	// FindNext returns the first VMA ending above va (Linux's find_vma).
	FindNext(va VAddr) (VMA, bool)
	// Grow extends a grows-down VMA just above va down to va's page.
	Grow(va VAddr, maxSize, guardGap uint64) (VMA, error)
	// Resize moves the end of the VMA starting at start (brk).
	Resize(start, newEnd VAddr) error
	// All yields the VMAs in address order.
	All() iter.Seq[VMA]
	// Len returns the number of VMAs.
	Len() int
	// TotalBytes returns the bytes covered by all VMAs.
	TotalBytes() uint64
	// Check returns an error describing the first broken invariant, or nil.
	Check() error
}

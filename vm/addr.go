package vm

import "fmt"

// VAddr is a virtual address: what a program (and the CPU on its behalf)
// generates. It must be translated by the MMU before it can reach memory.
type VAddr uint64

// PAddr is a physical address: a byte position in main memory (RAM).
type PAddr uint64

// VPN is a virtual page number: a virtual address shifted right by the page
// offset bits.
type VPN uint64

// PFN is a physical frame number: a physical address shifted right by the
// page offset bits of the base page size.
type PFN uint64

// ASID is an address-space identifier, the tag that lets a TLB hold the
// translations of several processes at once. On x86 it is called a PCID
// (process-context identifier, 12 bits); on MIPS and ARM an ASID (8 or 16 bits).
type ASID uint16

// String formats a as 0x… in hexadecimal.
func (a VAddr) String() string { return fmt.Sprintf("%#x", uint64(a)) }

// String formats a as 0x… in hexadecimal.
func (a PAddr) String() string { return fmt.Sprintf("%#x", uint64(a)) }

// String formats n as vpn 0x….
func (n VPN) String() string { return fmt.Sprintf("vpn %#x", uint64(n)) }

// String formats n as pfn 0x….
func (n PFN) String() string { return fmt.Sprintf("pfn %#x", uint64(n)) }

// String formats a as asid N.
func (a ASID) String() string { return fmt.Sprintf("asid %d", uint16(a)) }

// PageSize is the size in bytes of a page (or of the region one TLB entry or
// one leaf page-table entry maps). It is always a power of two.
type PageSize uint64

// The x86-64 page sizes: a base page and the two huge-page sizes a
// page-directory (2 MiB) or page-directory-pointer (1 GiB) entry can map.
const (
	Size4K PageSize = 1 << 12
	Size2M PageSize = 1 << 21
	Size1G PageSize = 1 << 30
)

// Shift returns log2(s), the number of offset bits of a page of size s.
// It returns 0 for sizes that are not a power of two (callers validate sizes
// before use).
func (s PageSize) Shift() uint {
	if s == 0 || s&(s-1) != 0 {
		return 0
	}
	n := uint(0)
	for v := s; v > 1; v >>= 1 {
		n++
	}
	return n
}

// String prints 4K, 2M, 1G or the byte count for other sizes.
func (s PageSize) String() string {
	switch {
	case s >= 1<<30 && s%(1<<30) == 0:
		return fmt.Sprintf("%dG", s>>30)
	case s >= 1<<20 && s%(1<<20) == 0:
		return fmt.Sprintf("%dM", s>>20)
	case s >= 1<<10 && s%(1<<10) == 0:
		return fmt.Sprintf("%dK", s>>10)
	}
	return fmt.Sprintf("%dB", uint64(s))
}

// AddrRange is the half-open range of virtual addresses [Start, End).
// The zero value is the empty range at address 0.
//
// Invariant: Start <= End for a well-formed range; use NewAddrRange to build
// one from a start and a length without overflowing.
type AddrRange struct {
	Start VAddr
	End   VAddr
}

// NewAddrRange returns [start, start+length) and ok = true, or the zero range
// and ok = false if start+length overflows the 64-bit address space.
func NewAddrRange(start VAddr, length uint64) (r AddrRange, ok bool) {
	end := start + VAddr(length)
	if end < start {
		return AddrRange{}, false
	}
	return AddrRange{Start: start, End: end}, true
}

// Len returns the number of bytes in r.
func (r AddrRange) Len() uint64 { return uint64(r.End - r.Start) }

// Contains reports whether a lies in [r.Start, r.End).
func (r AddrRange) Contains(a VAddr) bool { return r.Start <= a && a < r.End }

// Overlaps reports whether r and o share at least one address.
func (r AddrRange) Overlaps(o AddrRange) bool {
	return r.Start < o.End && o.Start < r.End && r.Start < r.End && o.Start < o.End
}

// String prints r as [0x1000, 0x3000).
func (r AddrRange) String() string {
	return fmt.Sprintf("[%#x, %#x)", uint64(r.Start), uint64(r.End))
}

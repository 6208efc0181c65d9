package vm

import (
	"fmt"
	"strings"
)

// PTE is one page-table entry in the x86-64 layout (Intel SDM Vol. 3A,
// 4.5): flag bits at the bottom, the frame number in bits 12..51, and
// no-execute in bit 63. A 4-byte x86-32 entry is the low 32 bits of the same
// layout (no NX, 20-bit frame numbers).
//
// The same layout serves every level of the tree: an intermediate entry's
// frame is the next table, a leaf entry's frame is the page (for a huge
// page, its first frame, and PS is set). PFN counts frames of the
// geometry's base page size.
type PTE uint64

// PTE flag bits.
const (
	PTEPresent  PTE = 1 << 0  // P: the entry maps something
	PTEWritable PTE = 1 << 1  // R/W: writes allowed
	PTEUser     PTE = 1 << 2  // U/S: user mode may access
	PTEWriteThr PTE = 1 << 3  // PWT: write-through caching (carried, not modelled)
	PTENoCache  PTE = 1 << 4  // PCD: caching disabled (carried, not modelled)
	PTEAccessed PTE = 1 << 5  // A: set by the MMU on any access through the entry
	PTEDirty    PTE = 1 << 6  // D: set by the MMU on a write through a leaf entry
	PTEHuge     PTE = 1 << 7  // PS: a leaf above the last level (2 MiB or 1 GiB page)
	PTEGlobal   PTE = 1 << 8  // G: the TLB keeps this entry across address-space switches
	PTENoExec   PTE = 1 << 63 // NX (XD): instruction fetches not allowed

	// PTEFrameMask selects the frame-number field, bits 12..51.
	PTEFrameMask PTE = ((1 << 52) - 1) &^ ((1 << 12) - 1)
	// PTEFrameShift is where the frame number starts.
	PTEFrameShift = 12
)

// MakePTE returns an entry pointing at frame pfn with the given flags. Bits
// of flags inside the frame field are ignored; frame numbers wider than 40
// bits are truncated (callers validate pfn against the physical-address
// width first).
func MakePTE(pfn PFN, flags PTE) PTE {
	return (PTE(pfn)<<PTEFrameShift)&PTEFrameMask | flags&^PTEFrameMask
}

// PFN returns the frame number stored in e.
func (e PTE) PFN() PFN { return PFN((e & PTEFrameMask) >> PTEFrameShift) }

// Flags returns e without its frame number.
func (e PTE) Flags() PTE { return e &^ PTEFrameMask }

// Has reports whether every flag bit of f is set in e.
func (e PTE) Has(f PTE) bool { return e&f == f }

// Present reports whether P is set.
func (e PTE) Present() bool { return e&PTEPresent != 0 }

// Perm returns the permissions the entry grants on its own: read whenever
// it is present (x86 cannot express a present but unreadable page), write
// from R/W, execute unless NX, user from U/S. A non-present entry grants
// nothing. (The effective permission of a walk is the intersection over all
// its levels; the walker computes that.)
func (e PTE) Perm() Perm {
	if !e.Present() {
		return 0
	}
	p := PermRead
	if e.Has(PTEWritable) {
		p |= PermWrite
	}
	if !e.Has(PTENoExec) {
		p |= PermExec
	}
	if e.Has(PTEUser) {
		p |= PermUser
	}
	return p
}

// PermFlags returns the PTE bits that grant p (R/W, U/S and NX), without P.
// It returns ErrBadPermission if p asks for write or execute without read,
// which an x86 entry cannot express.
func PermFlags(p Perm) (PTE, error) {
	if !p.Has(PermRead) && p&(PermWrite|PermExec) != 0 {
		return 0, fmt.Errorf("permission %v: write or execute without read: %w", p, ErrBadPermission)
	}
	var f PTE
	if p.Has(PermWrite) {
		f |= PTEWritable
	}
	if !p.Has(PermExec) {
		f |= PTENoExec
	}
	if p.Has(PermUser) {
		f |= PTEUser
	}
	return f, nil
}

// String prints e.g. "PTE{pfn=0x2a P RW US A D}" or "PTE{not present}".
func (e PTE) String() string {
	if !e.Present() {
		if e == 0 {
			return "PTE{not present}"
		}
		return fmt.Sprintf("PTE{not present, raw=%#x}", uint64(e))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "PTE{pfn=%#x P", uint64(e.PFN()))
	for _, f := range []struct {
		bit  PTE
		name string
	}{
		{PTEWritable, "RW"}, {PTEUser, "US"}, {PTEWriteThr, "PWT"}, {PTENoCache, "PCD"},
		{PTEAccessed, "A"}, {PTEDirty, "D"}, {PTEHuge, "PS"}, {PTEGlobal, "G"}, {PTENoExec, "NX"},
	} {
		if e&f.bit != 0 {
			b.WriteString(" ")
			b.WriteString(f.name)
		}
	}
	b.WriteString("}")
	return b.String()
}

// Package addr is the arithmetic of virtual addresses: cutting an address
// into a virtual page number (VPN) and a page offset, and the VPN into one
// page-table index per level, for the machines a vm.Geometry describes
// (x86-32's 10/10/12, x86-64's 4- and 5-level 9/9/9/9/12, small textbook
// machines, custom splits).
//
// Levels are numbered as in the Intel manuals: the root is level g.Levels,
// the last table (whose entries map base pages) is level 1. On 4-level
// x86-64 that is PML4 = 4, PDPT = 3, PD = 2, PT = 1; 5-level paging adds
// PML5 = 5. g.LevelBits lists index widths root first, so level L's index is
// g.LevelBits[g.Levels-L] bits wide.
//
// The usage idiom:
//
//	g, err := addr.ParseGeometry("x86-64")        // or "9/9/9/9/12", or vm.X86_64
//	va, err := addr.ParseVAddr("0x7f12_3456_7abc")
//	vpn, off, err := addr.Split(g, va)            // vm.ErrNonCanonical for 0x0000800000000000
//	idx, err := addr.Indices(g, va)               // idx[:g.Levels], root level first
//	s, err := addr.Format(g, va)                  // "PML4 254 | PDPT 72 | PD 418 | PT 359 | offset 0xabc"
//
// Canonical addresses (x86-64): only VABits bits of a 64-bit address are
// translated, and the bits above them must all copy bit VABits-1, so the
// usable space is two halves, [0, 0x0000_8000_0000_0000) for user space and
// [0xffff_8000_0000_0000, 2^64) for the kernel, with a hole between. In a
// geometry that is not sign-extended (x86-32, textbook), the bits above
// VABits must be zero instead. Split, Index and Indices refuse other
// addresses; IsCanonical and Canonical test and repair them.
//
// Every function takes the geometry by value and checks it (Validate); none
// panics, and the hot ones (Split, Index, Indices) allocate nothing on
// success.
package addr

package vm

import (
	"fmt"
	"strings"
)

// MaxLevels is the deepest page-table tree any Geometry may describe
// (x86-64 with 5-level paging).
const MaxLevels = 5

// Geometry describes how a virtual address is cut up for translation: the
// low OffsetBits are the offset within a base page, the next bits are one
// index per page-table level (the root level uses the highest bits), and
// any bits above VABits must be a sign extension of bit VABits-1 when
// SignExtended is set (x86-64's "canonical" addresses).
//
// A Geometry is a plain value: the presets below describe real and textbook
// machines; reference/addr validates custom ones and does the arithmetic.
//
// Invariant (checked by reference/addr): OffsetBits + the sum of LevelBits ==
// VABits, and LevelBits[i] + log2(EntryBytes) <= OffsetBits, so that one
// page-table node fits in one frame.
type Geometry struct {
	Name         string
	VABits       uint8            // significant virtual-address bits
	PABits       uint8            // physical-address bits (MAXPHYADDR)
	OffsetBits   uint8            // log2 of the base page size
	Levels       uint8            // number of page-table levels, 1..MaxLevels
	LevelBits    [MaxLevels]uint8 // index bits per level, root level first
	EntryBytes   uint8            // size of one page-table entry: 4 or 8
	SignExtended bool             // addresses must be canonical (bits above VABits copy bit VABits-1)
}

// The geometries vmkata ships with.
var (
	// X86_32 is classic 32-bit x86 paging without PAE: a page directory and a
	// page table of 1024 four-byte entries each, 10/10/12.
	X86_32 = Geometry{Name: "x86-32", VABits: 32, PABits: 32, OffsetBits: 12,
		Levels: 2, LevelBits: [MaxLevels]uint8{10, 10}, EntryBytes: 4}

	// X86_64 is 4-level x86-64 paging (PML4, PDPT, PD, PT), 9/9/9/9/12 with
	// 48-bit canonical virtual addresses and 52-bit physical addresses.
	X86_64 = Geometry{Name: "x86-64", VABits: 48, PABits: 52, OffsetBits: 12,
		Levels: 4, LevelBits: [MaxLevels]uint8{9, 9, 9, 9}, EntryBytes: 8, SignExtended: true}

	// X86_64_5Level is 5-level x86-64 paging (LA57: PML5 on top), 57-bit
	// canonical virtual addresses.
	X86_64_5Level = Geometry{Name: "x86-64-5level", VABits: 57, PABits: 52, OffsetBits: 12,
		Levels: 5, LevelBits: [MaxLevels]uint8{9, 9, 9, 9, 9}, EntryBytes: 8, SignExtended: true}

	// Textbook is the small machine of OSTEP's multi-level page-table chapter:
	// a 16 KiB address space (14-bit addresses), 64-byte pages and 4-byte
	// entries, so a page of page table holds 16 entries: 4/4/6.
	Textbook = Geometry{Name: "textbook", VABits: 14, PABits: 16, OffsetBits: 6,
		Levels: 2, LevelBits: [MaxLevels]uint8{4, 4}, EntryBytes: 4}
)

// PageSize returns the base page size, 1 << OffsetBits.
func (g Geometry) PageSize() PageSize { return PageSize(1) << g.OffsetBits }

// String prints the name and the split, e.g. "x86-64 (9/9/9/9/12)".
func (g Geometry) String() string {
	var b strings.Builder
	if g.Name != "" {
		b.WriteString(g.Name)
		b.WriteString(" (")
	}
	for i := 0; i < int(g.Levels) && i < MaxLevels; i++ {
		fmt.Fprintf(&b, "%d/", g.LevelBits[i])
	}
	fmt.Fprintf(&b, "%d", g.OffsetBits)
	if g.Name != "" {
		b.WriteString(")")
	}
	return b.String()
}

//go:build !solution

// Package pagetable is exercise 14: the inverted (hashed) page table — one
// table for the whole machine with one entry per physical frame, found by
// hashing (ASID, VPN) into an anchor table whose slots head chains of
// entries (IBM System/38, PowerPC's hashed page table, OSTEP 20.5).
//
// Read README.md first. Run the specs with:
//
//	go test ./exercises/14-inverted-page-table/
//
// Entries are vm.PTEs in the x86 layout: build them with vm.MakePTE and
// vm.PermFlags, read them with PTE.Present, PTE.PFN and PTE.Perm. The frame
// number of an entry's PTE is always the entry's index.
// [rule:14.no-nx] A geometry with 4-byte entries (x86-32, the textbook one)
// stores the low 32 bits of an entry and has no NX bit: every present page
// there is executable, so a page mapped rw-u walks as rwxu.
//
// Each rule of the contract starts with its id in brackets; the specs
// labelled with that id check it.
package pagetable

import "github.com/vmkata/vmkata/vm"

// The notional layout of the table in physical memory, for the addresses
// Walk reports and for TableBytes: the anchor table at Root(), one 8-byte
// slot per hash bucket, then the entry array, one 24-byte entry per frame
// (an 8-byte tag holding ASID and VPN, the 8-byte PTE, an 8-byte chain
// link).
const (
	InvertedAnchorBytes = 8
	InvertedEntryBytes  = 24
)

// Inverted is an inverted page table: entry i says which (ASID, VPN), if
// any, occupies frame i.
//
// [rule:14.hash] The chain of (asid, vpn) starts in anchor slot
// (k * 0x9e3779b97f4a7c15) >> (64 - bits), computed in uint64 with
// k = vpn ^ asid<<48 ^ asid, where 2^bits is the number of anchor slots
// (slot 0 when bits is 0), and vpn is the address's low VABits bits
// shifted right by OffsetBits.
// [rule:14.chain-head] A new entry goes to the head of its chain; Unmap
// takes an entry out of its chain and leaves the others in their order.
type Inverted struct {
	// TODO: your fields: the geometry, the entries (tag, PTE, next index or
	// -1) indexed by frame number, the anchor slots (first entry or -1),
	// the number of anchor bits and the number of entries in use.
}

// NewInverted returns an empty inverted table for a machine of frames
// frames of g's base page size.
//
// [rule:14.new-invalid] NewInverted returns an error wrapping
// vm.ErrInvalidConfig for an invalid geometry, or frames outside
// 1..min(2^(PABits-OffsetBits), 1<<24).
// [rule:14.new-size] The new table has Frames() == frames, Len() == 0, and
// the smallest power of two at or above frames as its number of anchor
// slots (so chains average at most one entry).
func NewInverted(g vm.Geometry, frames int) (*Inverted, error) {
	panic("pagetable.NewInverted not implemented")
}

// Root returns the notional physical address of the anchor table.
//
// [rule:14.root] Root returns 0, for the table and for every Space.
func (t *Inverted) Root() vm.PAddr {
	panic("Inverted.Root not implemented")
}

// Frames returns the number of frames, which is the number of entries.
func (t *Inverted) Frames() int {
	panic("Inverted.Frames not implemented")
}

// Len returns the number of mapped frames.
//
// [rule:14.len] Len counts the mapped frames of every address space
// together.
func (t *Inverted) Len() int {
	panic("Inverted.Len not implemented")
}

// TableBytes returns the notional size of the table.
//
// [rule:14.table-bytes] TableBytes is anchor slots × InvertedAnchorBytes +
// Frames() × InvertedEntryBytes, however many address spaces and pages are
// mapped: the table is sized by physical memory alone.
func (t *Inverted) TableBytes() uint64 {
	panic("Inverted.TableBytes not implemented")
}

// Probes returns how many entries a lookup of va in asid's space reads.
//
// [rule:14.probes] Probes is the number of entries on the chain of (asid,
// vpn of va) up to and including the match, or the whole chain when there
// is no match; it changes nothing, and is 0 for an address outside the
// geometry.
func (t *Inverted) Probes(asid vm.ASID, va vm.VAddr) int {
	panic("Inverted.Probes not implemented")
}

// Space returns the view of address space asid: a vm.PageTable whose
// methods act on t.
//
// [rule:14.spaces] Every view shares t; a page is known by (asid, vpn), so
// the same address in two address spaces is two separate mappings.
func (t *Inverted) Space(asid vm.ASID) vm.PageTable {
	return space{} // TODO: a view of t for asid
}

// space is one address space's view of an Inverted table.
//
// [rule:14.bad-address] Every method refuses an address outside the
// geometry, changing nothing (Walk reads nothing: Steps 0): in a
// sign-extended geometry a non-canonical one (vm.ErrNonCanonical), in any
// other one with a bit set at or above VABits (vm.ErrOutOfRange).
type space struct {
	// TODO: the table and the ASID.
}

// Map makes frame m.PFN hold the page (asid, m.VA).
//
// [rule:14.map-leaf] The entry of frame m.PFN gets the tag (asid, vpn) and
// the PTE vm.MakePTE(m.PFN, P | vm.PermFlags(m.Perm) | G if m.Global), with
// A and D clear.
// [rule:14.map-base-only] A size other than g.PageSize() is refused with
// vm.ErrInvalidConfig.
// [rule:14.map-not-aligned] An m.VA that is not page-aligned is refused
// with vm.ErrNotAligned.
// [rule:14.map-frame-range] A frame at or beyond Frames() is refused with
// vm.ErrOutOfRange.
// [rule:14.map-bad-permission] A permission without read is refused with
// vm.ErrBadPermission: a present x86 entry always allows reads.
// [rule:14.map-already-mapped] Mapping a page this space has mapped is
// refused with vm.ErrAlreadyMapped, keeping the first mapping.
// [rule:14.map-frame-taken] Mapping a frame that holds a page, of this
// space or any other, is refused with vm.ErrAlreadyMapped: a frame has one
// entry, so it cannot be shared.
// [rule:14.map-fails-cleanly] A failed Map changes nothing.
func (s space) Map(m vm.Mapping) error {
	panic("space.Map not implemented")
}

// Unmap removes the page containing va.
//
// [rule:14.unmap] Unmap takes the entry off its chain, frees it (the frame
// may be mapped again, by any space) and returns the mapping it held: VA
// page-aligned, the frame, the page size, Perm as a walk reports it, and
// Global from G.
// [rule:14.unmap-not-mapped] Unmap of a page this space has not mapped
// returns an error wrapping vm.ErrNotMapped.
func (s space) Unmap(va vm.VAddr) (vm.Mapping, error) {
	panic("space.Unmap not implemented")
}

// Protect changes the permissions of the page containing va.
//
// [rule:14.protect] Protect replaces the entry's permission bits, keeping
// its frame and its A, D and G bits.
// [rule:14.protect-not-mapped] Protect of an unmapped page returns an
// error wrapping vm.ErrNotMapped.
// [rule:14.protect-bad-permission] Protect refuses a permission without
// read with vm.ErrBadPermission, as Map does, and changes nothing.
func (s space) Protect(va vm.VAddr, perm vm.Perm) error {
	panic("space.Protect not implemented")
}

// Walk follows the chain of va's page the way a hashed-table walker does.
//
// [rule:14.walk-chain] Each entry probed, from the head of the chain, is
// one step: Reads[k] is its notional address, Root() + anchor slots × 8 +
// index × 24, and Entries[k] its PTE, whichever page it holds. The walk
// stops at the entry of (asid, vpn). Only vm.MaxLevels steps fit: past them
// only a match is recorded, in the last step.
// [rule:14.walk-present] On a match Size is the page size and Perm the
// entry's permission.
// [rule:14.walk-missing] Without a match Size and Perm are 0 and the error
// is nil.
func (s space) Walk(va vm.VAddr) (vm.Walk, error) {
	panic("space.Walk not implemented")
}

// MarkAccessed does what the MMU does to the entry on each access.
//
// [rule:14.mark-accessed] MarkAccessed sets A in the entry for va and, only
// when write is true, D; it never clears D.
// [rule:14.mark-not-mapped] MarkAccessed of an unmapped page returns an
// error wrapping vm.ErrNotMapped.
func (s space) MarkAccessed(va vm.VAddr, write bool) error {
	panic("space.MarkAccessed not implemented")
}

// Root returns the table's Root.
func (s space) Root() vm.PAddr {
	panic("space.Root not implemented")
}

package vm

import "errors"

// Sentinel errors. Implementations wrap them with the offending values
// (fmt.Errorf("map %v: %w", va, vm.ErrAlreadyMapped)) so that a message says
// what and where, and callers test them with errors.Is.
var (
	// ErrInvalidConfig: a constructor was given a size, geometry or option
	// that cannot work (zero entries, ways that do not divide entries, …).
	ErrInvalidConfig = errors.New("invalid configuration")
	// ErrNotAligned: an address or size is not a multiple of the page size.
	ErrNotAligned = errors.New("not aligned")
	// ErrOutOfRange: an address, index or frame number lies outside what
	// the structure covers.
	ErrOutOfRange = errors.New("out of range")
	// ErrAlreadyMapped: a map request overlaps an existing mapping.
	ErrAlreadyMapped = errors.New("already mapped")
	// ErrNotMapped: an unmap or protect request names an unmapped page.
	ErrNotMapped = errors.New("not mapped")
	// ErrOutOfMemory: no free frame (or no contiguous block) is left.
	ErrOutOfMemory = errors.New("out of memory")
	// ErrInvalidFrame: a frame was freed twice, or was never allocated.
	ErrInvalidFrame = errors.New("invalid frame")
	// ErrBadPermission: a permission set cannot be expressed (a present x86
	// PTE always allows reads, so a page table cannot map a page that is
	// writable or executable but not readable, nor one with no access at
	// all: "no access" is an unmapped page).
	ErrBadPermission = errors.New("bad permission")

	// ErrNotPresent classifies a Fault of kind FaultNotPresent.
	ErrNotPresent = errors.New("page not present")
	// ErrProtection classifies a Fault of kind FaultProtection.
	ErrProtection = errors.New("protection violation")
	// ErrNonCanonical classifies a Fault of kind FaultNonCanonical.
	ErrNonCanonical = errors.New("non-canonical address")
	// ErrReservedBit classifies a Fault of kind FaultReservedBit.
	ErrReservedBit = errors.New("reserved bit set in page-table entry")
)

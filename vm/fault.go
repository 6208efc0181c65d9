package vm

import (
	"fmt"
	"strings"
)

// FaultKind says why a translation failed.
type FaultKind uint8

// Fault kinds.
const (
	// FaultNotPresent: some entry on the walk (intermediate or leaf) had its
	// present bit clear. The OS may fix this (demand paging, swap-in).
	FaultNotPresent FaultKind = iota + 1
	// FaultProtection: the page is present but the access is not allowed
	// (write to a read-only page, user access to a kernel page, execute of a
	// no-execute page). Copy-on-write is built on this kind.
	FaultProtection
	// FaultNonCanonical: the address is not canonical. On x86-64 the CPU
	// raises a general-protection exception (#GP), not a page fault, and
	// pushes no page-fault error code; the model reports it as a Fault so one
	// error type covers every failed translation.
	FaultNonCanonical
	// FaultReservedBit: an entry on the walk set a bit that must be zero
	// (a PFN beyond the physical-address width, PS in a PML4/PML5 entry).
	FaultReservedBit
)

// String prints the kind in words.
func (k FaultKind) String() string {
	switch k {
	case FaultNotPresent:
		return "not present"
	case FaultProtection:
		return "protection violation"
	case FaultNonCanonical:
		return "non-canonical address"
	case FaultReservedBit:
		return "reserved bit set"
	}
	return "fault?"
}

// ErrorCode is the x86 page-fault error code the CPU pushes for #PF.
type ErrorCode uint32

// Error-code bits, as in the Intel SDM, Vol. 3A, 4.7.
const (
	// ErrCodeP is set when the fault was a protection violation on a present
	// page, clear when a page was not present.
	ErrCodeP ErrorCode = 1 << 0
	// ErrCodeW is set when the access was a write.
	ErrCodeW ErrorCode = 1 << 1
	// ErrCodeU is set when the access came from user mode.
	ErrCodeU ErrorCode = 1 << 2
	// ErrCodeRSVD is set when a reserved bit was found set in an entry.
	ErrCodeRSVD ErrorCode = 1 << 3
	// ErrCodeI is set when the access was an instruction fetch.
	ErrCodeI ErrorCode = 1 << 4
)

// String prints the set bits by name, e.g. "P|W|U", or "0".
func (c ErrorCode) String() string {
	names := []struct {
		bit  ErrorCode
		name string
	}{{ErrCodeP, "P"}, {ErrCodeW, "W"}, {ErrCodeU, "U"}, {ErrCodeRSVD, "RSVD"}, {ErrCodeI, "I"}}
	var parts []string
	for _, n := range names {
		if c&n.bit != 0 {
			parts = append(parts, n.name)
		}
	}
	if len(parts) == 0 {
		return "0"
	}
	return strings.Join(parts, "|")
}

// Fault is a failed translation: what the MMU hands the operating system's
// page-fault handler. It implements error; errors.Is(f, ErrNotPresent) (and
// the other kind sentinels) classify it.
type Fault struct {
	Addr   VAddr     // the faulting virtual address (CR2 on x86)
	Access Access    // what the CPU was doing
	Kind   FaultKind // why it failed
	Code   ErrorCode // the x86 error code; 0 for FaultNonCanonical (#GP has none)
	Level  int       // page-table level where the walk stopped (root = Levels, leaf table = 1); 0 if no walk happened
}

// Error prints e.g. "page fault at 0x7f0000001000: not present (user write, code W|U, level 2)".
func (f *Fault) Error() string {
	if f.Kind == FaultNonCanonical {
		return fmt.Sprintf("general protection fault at %v: non-canonical address (%v)", f.Addr, f.Access)
	}
	if f.Level > 0 {
		return fmt.Sprintf("page fault at %v: %v (%v, code %v, level %d)", f.Addr, f.Kind, f.Access, f.Code, f.Level)
	}
	return fmt.Sprintf("page fault at %v: %v (%v, code %v)", f.Addr, f.Kind, f.Access, f.Code)
}

// Is lets errors.Is match a Fault against the sentinel of its kind.
func (f *Fault) Is(target error) bool {
	switch target {
	case ErrNotPresent:
		return f.Kind == FaultNotPresent
	case ErrProtection:
		return f.Kind == FaultProtection
	case ErrNonCanonical:
		return f.Kind == FaultNonCanonical
	case ErrReservedBit:
		return f.Kind == FaultReservedBit
	}
	return false
}

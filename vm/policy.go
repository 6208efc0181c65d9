package vm

import "strconv"

// PageID is the opaque identity a replacement policy tracks: a page number of
// a reference string in simulation, or whatever a kernel evicts by (a frame
// number, a VPN). Policies compare PageIDs for equality and nothing else.
type PageID uint64

// String formats p in decimal, as reference strings are written ("7 0 1 2").
func (p PageID) String() string { return strconv.FormatUint(uint64(p), 10) }

// Policy is an online page-replacement policy: it decides which resident
// page to give up when memory is full and a new page must come in. A
// kernel's page-fault handler and the trace simulator drive it the same way:
// they tell it of each reference and whether the page came in, and it
// answers with the victim, if any.
//
// A Policy manages Frames() frames. Its resident set is the pages it has
// loaded and not yet evicted or been told to Remove.
//
// Postconditions (checked by the replacement specs for every policy):
//   - 0 <= Len() <= Frames() at all times.
//   - Access(p, w) returns hit == true iff Contains(p) was true just before.
//   - After Access(p, w), Contains(p) is true, except for a policy that
//     documents a bypass (none of the reference policies bypasses).
//   - Access returns evicted == true only on a miss with Len() == Frames()
//     just before; then victim != p, Contains(victim) was true before and is
//     false after, and Len() is unchanged. A miss with free frames evicts
//     nothing and grows Len() by one.
//   - Remove(p) returns true iff p was resident; afterwards Contains(p) is
//     false and Len() shrank by one.
//   - Resident appends every resident page exactly once.
//   - Contains, Len, Frames, Name and Resident change no state: they are
//     looks, like golang-lru's Peek, not references.
//
// A Policy is deterministic: the same calls give the same answers (a
// randomized policy draws from a generator seeded at construction). It is not
// safe for concurrent use. Access allocates nothing once the policy has been
// warmed up to Frames() resident pages.
type Policy interface {
	// Name returns the policy's registry name, e.g. "lru", "clock".
	Name() string
	// Frames returns the capacity: the most pages the policy keeps resident.
	Frames() int
	// Len returns the number of resident pages.
	Len() int
	// Contains reports whether p is resident, without counting a reference.
	Contains(p PageID) bool
	// Access records one reference to p, a write if write is set.
	//
	// On a hit (p resident) the policy updates its bookkeeping (recency,
	// counts, the reference and dirty bits it keeps) and evicts nothing.
	// On a miss, if memory is full, the policy chooses a victim, removes it
	// and returns it with evicted == true; then it loads p.
	Access(p PageID, write bool) (hit bool, victim PageID, evicted bool)
	// Remove tells the policy that p left memory for a reason of its own
	// (munmap, process exit, a page freed by the kernel). It reports whether p
	// was resident. The policy forgets p's state, including any history.
	Remove(p PageID) bool
	// Resident appends the resident pages to dst and returns the extended
	// slice, in an order each policy documents (FIFO: oldest load first; LRU:
	// least recently used first; clock: frame order). Callers that compare
	// resident sets across policies sort first.
	Resident(dst []PageID) []PageID
}

// RefBits is how a kernel lends a policy the hardware's per-page bits: the
// referenced (accessed, x86's A) and dirty (modified, x86's D) bits of the
// page-table entry that maps each page. The MMU sets them; the policy reads
// and clears them the way a kernel reads PTE A/D bits in its reclaim scan.
//
// In pure simulation no RefBits is set, and a policy that needs the bits keeps
// them itself: Access sets R on every reference and D on every write, just as
// the MMU would.
type RefBits interface {
	// Referenced reports p's reference bit.
	Referenced(p PageID) bool
	// ClearReferenced clears p's reference bit (and, in a kernel, flushes the
	// stale TLB entry so that the next reference sets it again).
	ClearReferenced(p PageID)
	// Dirty reports p's dirty bit: p's contents differ from its backing store.
	Dirty(p PageID) bool
	// ClearDirty asks that p be cleaned: written back to its backing store and
	// its dirty bit cleared (WSClock schedules such write-backs). A simulated
	// write-back completes at once.
	ClearDirty(p PageID)
}

// RefBitsUser is implemented by the policies that read reference and dirty
// bits (clock, enhanced clock, aging, WSClock, …). After SetRefBits(b) with a
// non-nil b, the policy no longer keeps bits of its own: Access leaves them
// to the hardware, and every read or clear goes through b. SetRefBits(nil)
// returns the policy to its own bits (all clear). Call it before the first
// Access.
type RefBitsUser interface {
	SetRefBits(b RefBits)
}

// Releaser is implemented by policies that let pages go without a fault: the
// working-set policy releases the pages that fall out of its window. A kernel
// calls Released after every Access and frees those pages' frames.
type Releaser interface {
	// Released appends to dst the pages the most recent Access released
	// (besides its victim) and returns the extended slice. The pages are no
	// longer resident.
	Released(dst []PageID) []PageID
}

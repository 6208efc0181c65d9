//go:build !solution

// Package replace is exercise 07: the clock family, the LRU approximations
// real kernels use because they need only the hardware's reference (and
// dirty) bits — clock, second chance, and the enhanced clock (NRU classes).
//
// Read README.md first. Run the specs with:
//
//	go test ./exercises/07-clock/
//
// Each policy implements vm.Policy (see vm/policy.go). In simulation a
// policy keeps the bits itself: the reference bit is set on every access
// (a newly loaded page included) and the dirty bit on writes. The specs
// compare your victims with the reference's access by access, so where the
// hand starts and how it moves, written below, are part of the task.
//
// Each rule of the contract starts with its id in brackets, "rule:07."
// and a short name; the specs labelled with that id check it, and
// README.md lists them. Every policy here also
// keeps the postconditions of vm.Policy, and:
//
//   - [rule:07.new] A constructor returns an empty policy (Len 0, nothing
//     resident) managing the frames it was given, or an error wrapping
//     vm.ErrInvalidConfig if frames < 1.
//   - [rule:07.remove] Remove(p) of a resident page reports true, frees its
//     frame and forgets p and its bits: a later Access of p is a fault that
//     loads it as a new page. Remove of a page that is not resident reports
//     false and changes nothing.
//   - [rule:07.hand-remove] Remove does not move the hand of Clock or
//     EnhancedClock, even when p is the page under it.
//   - [rule:07.looks] Contains, Len, Frames, Name and Resident change no
//     state: a look sets no bit.
package replace

import "github.com/vmkata/vmkata/vm"

// Clock is the clock algorithm: the frames form a circle and a hand points
// at the next candidate. Each page has a reference bit R.
//
//   - [rule:07.clock-hit] Hit: R is set (by the MMU; in simulation, by
//     Access). The hand does not move.
//   - [rule:07.clock-evict] Fault, memory full: starting at the hand, a page
//     with R=1 has R cleared (its second chance) and the hand moves on to the
//     next frame; the first page found with R=0 is evicted, the new page
//     takes its frame with R=1, and the hand stops just past that frame.
//   - [rule:07.clock-all-referenced] If every page had R=1, the hand clears
//     them all in one revolution and evicts the page it started at: clock
//     degenerates to FIFO.
//   - [rule:07.clock-free-frame] Fault, free frame (at the start, or after a
//     Remove): the new page goes into the lowest free frame with R=1; the
//     hand does not move.
//   - [rule:07.clock-hand-start] The hand starts at frame 0.
//   - [rule:07.clock-order] Resident order: frame order starting at the
//     hand, the order it will examine them.
//
// A newly loaded page has R=1 (OSTEP's and Silberschatz's convention: the
// access that faulted it in references it), so it survives the hand's next
// pass once.
//
// Worked example, 3 frames, 1 2 3 2 4 1 5: 1, 2, 3 fill frames 0-2 (all
// R=1, hand at 0); 2 hits; 4 faults: the hand clears 1, 2, 3 and evicts 1
// (frame 0), hand at 1; 1 faults: 2 has R=0 and is evicted (frame 1), hand
// at 2; 5 faults: 3 has R=0 and is evicted. 6 faults.
//
// Access is O(1) amortized: each step of the hand clears a bit some earlier
// reference set.
type Clock struct {
	// TODO: your fields.
}

// NewClock returns an empty clock policy managing frames frames (see rule
// 07.new).
func NewClock(frames int) (*Clock, error) {
	panic("replace.NewClock not implemented")
}

// Name returns "clock".
func (c *Clock) Name() string {
	panic("Clock.Name not implemented")
}

// Frames returns the number of frames the policy manages.
func (c *Clock) Frames() int {
	panic("Clock.Frames not implemented")
}

// Len returns the number of resident pages.
func (c *Clock) Len() int {
	panic("Clock.Len not implemented")
}

// Contains reports whether p is resident, without changing any state.
func (c *Clock) Contains(p vm.PageID) bool {
	panic("Clock.Contains not implemented")
}

// Access records one reference to p (a write if write is set): on a hit it
// updates the policy's state; on a fault with memory full it chooses and
// removes a victim, then loads p. See the type's comment for the rules.
func (c *Clock) Access(p vm.PageID, write bool) (hit bool, victim vm.PageID, evicted bool) {
	panic("Clock.Access not implemented")
}

// Remove forgets p, which left memory for another reason (munmap, exit),
// and reports whether it was resident.
func (c *Clock) Remove(p vm.PageID) bool {
	panic("Clock.Remove not implemented")
}

// Resident appends the resident pages to dst in the order the type's
// comment documents, and returns the extended slice.
func (c *Clock) Resident(dst []vm.PageID) []vm.PageID {
	panic("Clock.Resident not implemented")
}

// SecondChance is FIFO with a reference bit: the textbook second-chance
// algorithm, kept as a queue in load order.
//
//   - [rule:07.sc-hit] Hit: R is set. The queue does not change.
//   - [rule:07.sc-evict] Fault, memory full: look at the oldest page. If
//     R=1, clear R and move the page to the back of the queue as if just
//     loaded (its second chance), and look again; the first page found with
//     R=0 is evicted. The new page joins the back with R=1.
//   - [rule:07.sc-free-frame] Fault, free frame: the new page joins the back
//     with R=1.
//   - [rule:07.sc-order] Resident order: queue order, the next page
//     examined first.
//
// [rule:07.sc-same-as-clock] It chooses the same victims as Clock on every
// trace without Remove calls; it is the same idea with a queue in place of
// a circle. After a Remove they part: Clock fills the freed frame, where
// the hand reaches it in turn, while SecondChance queues the new page last.
type SecondChance struct {
	// TODO: your fields.
}

// NewSecondChance returns an empty second-chance policy managing frames
// frames (see rule 07.new).
func NewSecondChance(frames int) (*SecondChance, error) {
	panic("replace.NewSecondChance not implemented")
}

// Name returns "second-chance".
func (s *SecondChance) Name() string {
	panic("SecondChance.Name not implemented")
}

// Frames returns the number of frames the policy manages.
func (s *SecondChance) Frames() int {
	panic("SecondChance.Frames not implemented")
}

// Len returns the number of resident pages.
func (s *SecondChance) Len() int {
	panic("SecondChance.Len not implemented")
}

// Contains reports whether p is resident, without changing any state.
func (s *SecondChance) Contains(p vm.PageID) bool {
	panic("SecondChance.Contains not implemented")
}

// Access records one reference to p (a write if write is set): on a hit it
// updates the policy's state; on a fault with memory full it chooses and
// removes a victim, then loads p. See the type's comment for the rules.
func (s *SecondChance) Access(p vm.PageID, write bool) (hit bool, victim vm.PageID, evicted bool) {
	panic("SecondChance.Access not implemented")
}

// Remove forgets p, which left memory for another reason (munmap, exit),
// and reports whether it was resident.
func (s *SecondChance) Remove(p vm.PageID) bool {
	panic("SecondChance.Remove not implemented")
}

// Resident appends the resident pages to dst in the order the type's
// comment documents, and returns the extended slice.
func (s *SecondChance) Resident(dst []vm.PageID) []vm.PageID {
	panic("SecondChance.Resident not implemented")
}

// EnhancedClock is the enhanced second-chance algorithm (Silberschatz; the
// version Stallings spells out): a clock that prefers clean pages, because
// evicting a dirty page costs a write-back. The pair (R, D) puts each page
// in one of four classes, best victim first:
//
//	(0,0) not recently used, clean
//	(0,1) not recently used, dirty
//	(1,0) recently used, clean
//	(1,1) recently used, dirty
//
// On a fault with memory full, the hand makes up to four revolutions; each
// starts at the hand and visits every frame once, and the first page found
// is evicted:
//
//   - [rule:07.ec-rev-clean] Revolution 1 looks for a (0,0) page, changing
//     nothing.
//   - [rule:07.ec-rev-dirty] Revolution 2 looks for a (0,1) page, clearing R
//     of every page it passes over (D stays).
//   - [rule:07.ec-rev-repeat] Every R is now 0: revolution 3 repeats 1, then
//     revolution 4 repeats 2 (which finds the page at the hand).
//
// The other rules:
//
//   - [rule:07.ec-load] The new page takes the victim's frame with R=1 and
//     D=write, and the hand stops just past that frame.
//   - [rule:07.ec-hit] Hit: R is set, and D too on a write. The hand does
//     not move.
//   - [rule:07.ec-free-frame] Fault, free frame: the new page goes into the
//     lowest free frame with R=1, D=write; the hand does not move.
//   - [rule:07.ec-hand-start] The hand starts at frame 0.
//   - [rule:07.ec-dirty-kept] D is never cleared while a page is resident
//     (no write-back is modelled).
//   - [rule:07.ec-order] Resident order: frame order starting at the hand.
//
// This is NRU (not recently used) with a clock for its tie-break: the victim
// is the first page, in hand order, of the lowest non-empty class, except
// that revolution 2 ages the pages it passes. A fault costs O(n) in the
// worst case (four revolutions).
type EnhancedClock struct {
	// TODO: your fields.
}

// NewEnhancedClock returns an empty enhanced-clock policy managing frames
// frames (see rule 07.new).
func NewEnhancedClock(frames int) (*EnhancedClock, error) {
	panic("replace.NewEnhancedClock not implemented")
}

// Name returns "enhanced-clock".
func (e *EnhancedClock) Name() string {
	panic("EnhancedClock.Name not implemented")
}

// Frames returns the number of frames the policy manages.
func (e *EnhancedClock) Frames() int {
	panic("EnhancedClock.Frames not implemented")
}

// Len returns the number of resident pages.
func (e *EnhancedClock) Len() int {
	panic("EnhancedClock.Len not implemented")
}

// Contains reports whether p is resident, without changing any state.
func (e *EnhancedClock) Contains(p vm.PageID) bool {
	panic("EnhancedClock.Contains not implemented")
}

// Access records one reference to p (a write if write is set): on a hit it
// updates the policy's state; on a fault with memory full it chooses and
// removes a victim, then loads p. See the type's comment for the rules.
func (e *EnhancedClock) Access(p vm.PageID, write bool) (hit bool, victim vm.PageID, evicted bool) {
	panic("EnhancedClock.Access not implemented")
}

// Remove forgets p, which left memory for another reason (munmap, exit),
// and reports whether it was resident.
func (e *EnhancedClock) Remove(p vm.PageID) bool {
	panic("EnhancedClock.Remove not implemented")
}

// Resident appends the resident pages to dst in the order the type's
// comment documents, and returns the extended slice.
func (e *EnhancedClock) Resident(dst []vm.PageID) []vm.PageID {
	panic("EnhancedClock.Resident not implemented")
}

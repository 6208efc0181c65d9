//go:build !solution

// Package replace is exercise 06: the three classic page-replacement
// policies — FIFO, LRU and Belady's optimal OPT — and a detector for
// Belady's anomaly, the surprise that FIFO can fault more with more frames.
//
// Read README.md first. Run the specs with:
//
//	go test ./exercises/06-fifo-lru-opt/
//
// Each policy implements vm.Policy (see vm/policy.go for its contract). The
// specs replay textbook reference strings and random traces against the
// reference policy of the same name, access by access: the victims must be
// the same, so the tie-breaks written below are part of the task.
//
// Each rule of the contract starts with its id in brackets, "rule:06."
// and a short name; the specs labelled with that id check it, and
// README.md lists them. Every policy here also
// keeps the postconditions of vm.Policy, and:
//
//   - [rule:06.new] A constructor returns an empty policy (Len 0, nothing
//     resident) managing the frames it was given, or an error wrapping
//     vm.ErrInvalidConfig if frames < 1.
//   - [rule:06.remove] Remove(p) of a resident page reports true, frees its
//     frame and forgets p: a later Access of p is a fault that loads it as a
//     new page. Remove of a page that is not resident reports false and
//     changes nothing.
//   - [rule:06.looks] Contains, Len, Frames, Name and Resident change no
//     state: a look is not a reference.
package replace

import "github.com/vmkata/vmkata/vm"

// FIFO is first-in, first-out replacement: the victim is the page that has
// been resident longest, however often or recently it was used.
//
//   - [rule:06.fifo-hit] Hit: nothing changes; FIFO ignores references to
//     resident pages, reads and writes alike.
//   - [rule:06.fifo-evict] Fault, memory full: the page loaded earliest is
//     evicted; the new page becomes the newest.
//   - [rule:06.fifo-free-frame] Fault, free frame (at the start, or after a
//     Remove): the new page becomes the newest.
//   - [rule:06.fifo-order] Resident order: oldest load first (the next
//     victim first).
//
// FIFO suffers Belady's anomaly: more frames can mean more faults.
// [rule:06.fifo-belady] On the reference string 1 2 3 4 1 2 5 1 2 3 4 5 it
// faults 9 times with 3 frames and 10 times with 4. It is not a stack algorithm: the pages resident with
// k frames need not be a subset of those resident with k+1.
//
// Every operation is O(1): an intrusive queue over the frame array.
type FIFO struct {
	// TODO: your fields.
}

// NewFIFO returns an empty FIFO policy managing frames frames (see
// rule 06.new).
func NewFIFO(frames int) (*FIFO, error) {
	panic("replace.NewFIFO not implemented")
}

// Name returns "fifo".
func (q *FIFO) Name() string {
	panic("FIFO.Name not implemented")
}

// Frames returns the number of frames the policy manages.
func (q *FIFO) Frames() int {
	panic("FIFO.Frames not implemented")
}

// Len returns the number of resident pages.
func (q *FIFO) Len() int {
	panic("FIFO.Len not implemented")
}

// Contains reports whether p is resident, without changing any state.
func (q *FIFO) Contains(p vm.PageID) bool {
	panic("FIFO.Contains not implemented")
}

// Access records one reference to p (a write if write is set): on a hit it
// updates the policy's state; on a fault with memory full it chooses and
// removes a victim, then loads p. See the type's comment for the rules.
func (q *FIFO) Access(p vm.PageID, write bool) (hit bool, victim vm.PageID, evicted bool) {
	panic("FIFO.Access not implemented")
}

// Remove forgets p, which left memory for another reason (munmap, exit),
// and reports whether it was resident.
func (q *FIFO) Remove(p vm.PageID) bool {
	panic("FIFO.Remove not implemented")
}

// Resident appends the resident pages to dst in the order the type's
// comment documents, and returns the extended slice.
func (q *FIFO) Resident(dst []vm.PageID) []vm.PageID {
	panic("FIFO.Resident not implemented")
}

// LRU is least-recently-used replacement: the victim is the page whose last
// reference is the oldest. It approximates OPT by assuming that the recent
// past predicts the near future (locality of reference).
//
//   - [rule:06.lru-hit] Hit, read or write: the page becomes the most
//     recently used.
//   - [rule:06.lru-evict] Fault, memory full: the least recently used page
//     is evicted; the new page becomes the most recently used.
//   - [rule:06.lru-free-frame] Fault, free frame: the new page becomes the
//     most recently used.
//   - [rule:06.lru-order] Resident order: least recently used first (the
//     next victim first).
//
// There are no ties: every reference has its own time. LRU is a stack
// algorithm (the k most recently used pages are always among the k+1 most
// recently used), so it never shows Belady's anomaly: more frames never mean
// more faults.
//
// Every operation is O(1): an intrusive doubly linked list over the frame
// array, ordered by recency, as golang-lru's simplelru keeps its entries.
type LRU struct {
	// TODO: your fields.
}

// NewLRU returns an empty LRU policy managing frames frames (see rule
// 06.new).
func NewLRU(frames int) (*LRU, error) {
	panic("replace.NewLRU not implemented")
}

// Name returns "lru".
func (l *LRU) Name() string {
	panic("LRU.Name not implemented")
}

// Frames returns the number of frames the policy manages.
func (l *LRU) Frames() int {
	panic("LRU.Frames not implemented")
}

// Len returns the number of resident pages.
func (l *LRU) Len() int {
	panic("LRU.Len not implemented")
}

// Contains reports whether p is resident, without changing any state.
func (l *LRU) Contains(p vm.PageID) bool {
	panic("LRU.Contains not implemented")
}

// Access records one reference to p (a write if write is set): on a hit it
// updates the policy's state; on a fault with memory full it chooses and
// removes a victim, then loads p. See the type's comment for the rules.
func (l *LRU) Access(p vm.PageID, write bool) (hit bool, victim vm.PageID, evicted bool) {
	panic("LRU.Access not implemented")
}

// Remove forgets p, which left memory for another reason (munmap, exit),
// and reports whether it was resident.
func (l *LRU) Remove(p vm.PageID) bool {
	panic("LRU.Remove not implemented")
}

// Resident appends the resident pages to dst in the order the type's
// comment documents, and returns the extended slice.
func (l *LRU) Resident(dst []vm.PageID) []vm.PageID {
	panic("LRU.Resident not implemented")
}

// OPT is Belady's optimal replacement (MIN): the victim is the page whose
// next use lies farthest in the future. No policy faults less on the same
// trace with the same frames, so OPT is the yardstick the others are
// measured against. It needs the future, so it is an offline policy: it is
// built with the whole reference string and must then be fed exactly that
// string.
//
//   - [rule:06.opt-hit] Hit: the page's next use moves to its following
//     reference.
//   - [rule:06.opt-evict] Fault, memory full: evict the page used farthest
//     in the future. Two pages cannot share a next use.
//   - [rule:06.opt-never-used] Pages never used again are evicted first;
//     among several of them, the least recently used one (the one whose
//     last reference is the oldest), whatever the order they were loaded in.
//   - [rule:06.opt-free-frame] Fault, free frame: load into the lowest free
//     frame.
//   - [rule:06.opt-order] Resident order: frame order.
//   - [rule:06.opt-future] The i-th Access (from 0, Remove calls not
//     counted) is taken to be the reference future[i]. If it names another
//     page, or comes after the end of future (a nil future included), the
//     policy cannot know that page's next use and treats it as never used
//     again.
//
// OPT is a stack algorithm: no Belady anomaly. Access is O(log n): a binary
// max-heap of the resident frames keyed by next use; the next-use table is
// built once, in O(len(future)), by NewOPT.
type OPT struct {
	// TODO: your fields.
}

// NewOPT returns an empty OPT policy managing frames frames that plans with
// future, the page of each Access to come (see rule 06.new). It keeps
// future (the caller must not change it). A future of 2^31-1 or more
// references is refused too, with an error wrapping vm.ErrInvalidConfig:
// positions are 31-bit.
func NewOPT(frames int, future []vm.PageID) (*OPT, error) {
	panic("replace.NewOPT not implemented")
}

// Name returns "opt".
func (o *OPT) Name() string {
	panic("OPT.Name not implemented")
}

// Frames returns the number of frames the policy manages.
func (o *OPT) Frames() int {
	panic("OPT.Frames not implemented")
}

// Len returns the number of resident pages.
func (o *OPT) Len() int {
	panic("OPT.Len not implemented")
}

// Contains reports whether p is resident, without changing any state.
func (o *OPT) Contains(p vm.PageID) bool {
	panic("OPT.Contains not implemented")
}

// Access records one reference to p (a write if write is set): on a hit it
// updates the policy's state; on a fault with memory full it chooses and
// removes a victim, then loads p. See the type's comment for the rules.
func (o *OPT) Access(p vm.PageID, write bool) (hit bool, victim vm.PageID, evicted bool) {
	panic("OPT.Access not implemented")
}

// Remove forgets p, which left memory for another reason (munmap, exit),
// and reports whether it was resident.
func (o *OPT) Remove(p vm.PageID) bool {
	panic("OPT.Remove not implemented")
}

// Resident appends the resident pages to dst in the order the type's
// comment documents, and returns the extended slice.
func (o *OPT) Resident(dst []vm.PageID) []vm.PageID {
	panic("OPT.Resident not implemented")
}

// BeladyAnomaly looks for Belady's anomaly of FIFO on the reference string
// refs: it counts FIFO's faults with 1, 2, …, maxFrames frames.
//
//   - [rule:06.belady-first] It returns the smallest k < maxFrames with
//     faults(k+1) > faults(k), and true.
//   - [rule:06.belady-none] It returns 0 and false if the fault curve never
//     goes up (equal counts are no anomaly), and for maxFrames < 2.
func BeladyAnomaly(refs []vm.PageID, maxFrames int) (frames int, found bool) {
	panic("replace.BeladyAnomaly not implemented")
}

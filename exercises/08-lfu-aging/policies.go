//go:build !solution

// Package replace is exercise 08: counting policies — LFU (least
// frequently used, with optional decay), MFU (most frequently used) and
// aging, the shift-register approximation of LFU/LRU built on reference
// bits.
//
// Read README.md first. Run the specs with:
//
//	go test ./exercises/08-lfu-aging/
//
// Each policy implements vm.Policy (see vm/policy.go). The specs compare
// your victims with the reference's access by access, so the tie-breaks
// written below are part of the task.
//
// Each rule of the contract starts with its id in brackets, "rule:08."
// and a short name; the specs labelled with that id check it, and
// README.md lists them. Every policy here also
// keeps the postconditions of vm.Policy, and:
//
//   - [rule:08.new] A constructor returns an empty policy (Len 0, nothing
//     resident) managing the frames it was given, or an error wrapping
//     vm.ErrInvalidConfig if frames < 1, decayEvery < 0 or tick < 0.
//   - [rule:08.remove] Remove(p) of a resident page reports true, frees its
//     frame and forgets p's count, counter and bits: a later Access of p is
//     a fault that loads it as a new page. Remove of a page that is not
//     resident reports false and changes nothing. Remove is not an access:
//     it does not count towards a decay period or a tick.
//   - [rule:08.looks] Contains, Len, Frames, Name and Resident change no
//     state: a look is not a reference.
package replace

import "github.com/vmkata/vmkata/vm"

// LFU is least-frequently-used replacement: the victim is the resident page
// with the smallest reference count. Counts are per residency: a page's
// count starts at 1 when it is loaded and is forgotten when it leaves.
//
//   - [rule:08.lfu-count] A page comes in with count 1 (into a free frame or
//     a victim's); each hit, read or write, adds 1.
//   - [rule:08.lfu-evict] Fault, memory full: evict the page with the
//     smallest count; among equal counts, the least recently used one (whose
//     last reference is the oldest).
//   - [rule:08.lfu-decay] Decay: after every decayEvery-th Access (hits and
//     faults alike; 0 means never), every count is halved, rounding down (1
//     becomes 0), so that pages popular long ago stop crowding out today's.
//     With decayEvery 3, the 3rd, 6th, … Access ends with a decay.
//   - [rule:08.lfu-decay-order] Counts that a decay makes equal keep least
//     recently used first.
//   - [rule:08.lfu-order] Resident order: the eviction order, smallest count
//     first, least recently used first among equal counts.
//
// LFU keeps a page that was hot once, long ago (that is what decay is for),
// and a new page, at count 1, is among the first candidates to go. It is not a
// stack algorithm.
//
// Access is O(1): the constant-time LFU of Shah, Mitra and Matani (2010), a
// list of frequency buckets in increasing count, each a list of its pages in
// recency order. A decay walks every bucket, O(n) once every decayEvery
// accesses: O(n/decayEvery) amortized.
type LFU struct {
	// TODO: your fields.
}

// NewLFU returns an empty LFU policy managing frames frames that halves every
// count after each decayEvery accesses (0: never; see rule 08.new).
func NewLFU(frames, decayEvery int) (*LFU, error) {
	panic("replace.NewLFU not implemented")
}

// Name returns "lfu".
func (l *LFU) Name() string {
	panic("LFU.Name not implemented")
}

// Frames returns the number of frames the policy manages.
func (l *LFU) Frames() int {
	panic("LFU.Frames not implemented")
}

// Len returns the number of resident pages.
func (l *LFU) Len() int {
	panic("LFU.Len not implemented")
}

// Contains reports whether p is resident, without changing any state.
func (l *LFU) Contains(p vm.PageID) bool {
	panic("LFU.Contains not implemented")
}

// Access records one reference to p (a write if write is set): on a hit it
// updates the policy's state; on a fault with memory full it chooses and
// removes a victim, then loads p. See the type's comment for the rules.
func (l *LFU) Access(p vm.PageID, write bool) (hit bool, victim vm.PageID, evicted bool) {
	panic("LFU.Access not implemented")
}

// Remove forgets p, which left memory for another reason (munmap, exit),
// and reports whether it was resident.
func (l *LFU) Remove(p vm.PageID) bool {
	panic("LFU.Remove not implemented")
}

// Resident appends the resident pages to dst in the order the type's
// comment documents, and returns the extended slice.
func (l *LFU) Resident(dst []vm.PageID) []vm.PageID {
	panic("LFU.Resident not implemented")
}

// MFU is most-frequently-used replacement: the victim is the resident page
// with the largest reference count, on the argument that a page with a small
// count was probably just brought in and has yet to be used. Silberschatz
// lists it beside LFU; neither approximates OPT well, which is the lesson.
//
//   - Counts: as LFU's (rule 08.lfu-count).
//   - [rule:08.mfu-evict] Fault, memory full: evict the page with the
//     largest count; among equal counts, the least recently used one.
//   - [rule:08.mfu-decay] Decay: as LFU's, after every decayEvery-th Access,
//     halving and rounding down, equal counts least recently used first.
//   - [rule:08.mfu-order] Resident order: the eviction order, largest count
//     first, least recently used first among equal counts.
//
// Counts are per residency, as in LFU. Access is O(1), on the same frequency
// buckets as LFU, taking the victim from the other end.
type MFU struct {
	// TODO: your fields.
}

// NewMFU returns an empty MFU policy managing frames frames that halves
// every count after each decayEvery accesses (0: never; see rule 08.new).
func NewMFU(frames, decayEvery int) (*MFU, error) {
	panic("replace.NewMFU not implemented")
}

// Name returns "mfu".
func (m *MFU) Name() string {
	panic("MFU.Name not implemented")
}

// Frames returns the number of frames the policy manages.
func (m *MFU) Frames() int {
	panic("MFU.Frames not implemented")
}

// Len returns the number of resident pages.
func (m *MFU) Len() int {
	panic("MFU.Len not implemented")
}

// Contains reports whether p is resident, without changing any state.
func (m *MFU) Contains(p vm.PageID) bool {
	panic("MFU.Contains not implemented")
}

// Access records one reference to p (a write if write is set): on a hit it
// updates the policy's state; on a fault with memory full it chooses and
// removes a victim, then loads p. See the type's comment for the rules.
func (m *MFU) Access(p vm.PageID, write bool) (hit bool, victim vm.PageID, evicted bool) {
	panic("MFU.Access not implemented")
}

// Remove forgets p, which left memory for another reason (munmap, exit),
// and reports whether it was resident.
func (m *MFU) Remove(p vm.PageID) bool {
	panic("MFU.Remove not implemented")
}

// Resident appends the resident pages to dst in the order the type's
// comment documents, and returns the extended slice.
func (m *MFU) Resident(dst []vm.PageID) []vm.PageID {
	panic("MFU.Resident not implemented")
}

// Aging is NFU (not frequently used) with aging, Tanenbaum's software
// approximation of LRU: each page has an 8-bit counter, a shift register of
// its reference bits at the last eight clock ticks, most recent in the top
// bit. A page used in recent ticks has a larger counter than one used only
// long ago.
//
//   - [rule:08.aging-tick] Tick: after every tick-th Access (hits and faults
//     alike), each resident page's counter becomes counter>>1 | R<<7, and R
//     is cleared. The tick comes after the access is handled: with period 4,
//     the 4th, 8th, … Access ends with a tick.
//   - [rule:08.aging-tick-default] A tick of 0 means a tick every frames
//     accesses.
//   - [rule:08.aging-hit] Hit: R is set. Counters change only at ticks.
//   - [rule:08.aging-evict] Fault, memory full: evict the page with the
//     smallest counter; among equal counters, one with R=0 (not used since
//     the last tick) before one with R=1; among those still tied, the lowest
//     frame.
//   - [rule:08.aging-load] The new page takes the victim's frame, or the
//     lowest free frame, with counter 0 and R=1.
//   - [rule:08.aging-order] Resident order: frame order.
//
// With eight bits, pages not used for eight ticks all read 0 and are told
// apart by their reference bit and frame number only. A fault costs O(n) (a scan for the smallest counter) and so does a tick, O(n) every
// tick accesses; the default period, n, makes ticks O(1) amortized.
type Aging struct {
	// TODO: your fields.
}

// NewAging returns an empty aging policy managing frames frames that ticks
// every tick accesses (0 means every frames accesses; see rule 08.new).
func NewAging(frames, tick int) (*Aging, error) {
	panic("replace.NewAging not implemented")
}

// Name returns "aging".
func (a *Aging) Name() string {
	panic("Aging.Name not implemented")
}

// Frames returns the number of frames the policy manages.
func (a *Aging) Frames() int {
	panic("Aging.Frames not implemented")
}

// Len returns the number of resident pages.
func (a *Aging) Len() int {
	panic("Aging.Len not implemented")
}

// Contains reports whether p is resident, without changing any state.
func (a *Aging) Contains(p vm.PageID) bool {
	panic("Aging.Contains not implemented")
}

// Access records one reference to p (a write if write is set): on a hit it
// updates the policy's state; on a fault with memory full it chooses and
// removes a victim, then loads p. See the type's comment for the rules.
func (a *Aging) Access(p vm.PageID, write bool) (hit bool, victim vm.PageID, evicted bool) {
	panic("Aging.Access not implemented")
}

// Remove forgets p, which left memory for another reason (munmap, exit),
// and reports whether it was resident.
func (a *Aging) Remove(p vm.PageID) bool {
	panic("Aging.Remove not implemented")
}

// Resident appends the resident pages to dst in the order the type's
// comment documents, and returns the extended slice.
func (a *Aging) Resident(dst []vm.PageID) []vm.PageID {
	panic("Aging.Resident not implemented")
}

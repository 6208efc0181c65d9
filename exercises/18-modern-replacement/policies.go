//go:build !solution

// Package replace is exercise 18: three modern replacement policies that
// look at both recency and frequency — ARC (Megiddo and Modha, 2003) with its
// ghost lists and its self-tuning target, SIEVE (Zhang et al., 2024) with its
// lazy hand, and S3-FIFO (Yang et al., 2023) with its three FIFO queues.
//
// Read README.md first. Run the specs with:
//
//	go test ./exercises/18-modern-replacement/
//
// Each policy implements vm.Policy (see vm/policy.go). The specs compare
// your victims with the reference's access by access, and replay real
// program traces (Valgrind lackey) comparing hit counts, so every tie-break
// written below is part of the task. Writes count as reads: none of these
// policies looks at the dirty bit.
//
// Each rule of the contract starts with its id in brackets, "rule:18."
// and a short name; the specs labelled with that id check it, and
// README.md lists them. Every policy here also keeps the postconditions of
// vm.Policy, and:
//
//   - [rule:18.new] A constructor returns an empty policy (Len 0, nothing
//     resident, no ghost) managing the frames it was given, or an error
//     wrapping vm.ErrInvalidConfig if frames < 1 (for S3-FIFO also if small
//     is outside [0, 1) or ghost is negative).
//   - [rule:18.remove] Remove(p) of a resident page reports true and frees
//     its frame; Remove(p) of a ghost forgets the ghost and reports false;
//     either way a later Access of p is a fault that treats p as never seen.
//     Remove of a page neither resident nor a ghost reports false and
//     changes nothing. Remove is not an access.
//   - [rule:18.looks] Contains, Len, Frames, Name and Resident change no
//     state, and a ghost is not resident: Contains reports false for it and
//     Len does not count it.
package replace

import "github.com/vmkata/vmkata/vm"

// ARC is the Adaptive Replacement Cache of Megiddo and Modha, "ARC: A
// Self-Tuning, Low Overhead Replacement Cache" (FAST 2003), with c = frames.
//
// It keeps four LRU lists, each with an MRU end (newest) and an LRU end
// (oldest): T1 (resident pages seen once recently), T2 (resident pages seen
// at least twice), and the ghost lists B1 and B2 (page numbers, without
// their frames, recently evicted from T1 and T2). p, the target size of T1,
// starts at 0. x is the referenced page:
//
//   - [rule:18.arc-hit] Hit, x in T1 or T2: x moves to T2's MRU end; p does
//     not change.
//   - [rule:18.arc-ghost-b1] Miss, x in B1: p = min(c, p + δ1) with δ1 = 1 if
//     |B1| >= |B2|, else |B2| / |B1| (integer division); then REPLACE; then x
//     leaves B1 and enters T2's MRU end.
//   - [rule:18.arc-ghost-b2] Miss, x in B2: p = max(0, p - δ2) with δ2 = 1 if
//     |B2| >= |B1|, else |B1| / |B2| (integer division); then REPLACE, told
//     that x was in B2; then x leaves B2 and enters T2's MRU end.
//   - [rule:18.arc-new-full-t1] Miss, x in no list, |T1| + |B1| == c: if
//     |T1| < c, B1's LRU page number is forgotten and REPLACE runs; else
//     (T1 holds all c frames) T1's LRU page is evicted and forgotten: it
//     does not enter B1.
//   - [rule:18.arc-new-directory] Miss, x in no list, |T1| + |B1| < c: if
//     |T1| + |T2| + |B1| + |B2| >= c, then, if that total is 2c, B2's LRU
//     page number is forgotten, and REPLACE runs. Either way (this rule and
//     the one before) x then enters T1's MRU end.
//   - [rule:18.arc-replace] REPLACE: if T1 is not empty and either |T1| > p,
//     or x was in B2 and |T1| == p, T1's LRU page is evicted and its number
//     enters B1's MRU end; otherwise T2's LRU page is evicted and enters B2's
//     MRU end (T2 is never empty then: see README.md).
//   - [rule:18.arc-free-frame] REPLACE evicts nothing while a frame is free
//     (after a Remove): the miss takes the free frame. The trims of the
//     ghost lists above still happen.
//   - [rule:18.arc-order] Resident order: T1 from LRU to MRU, then T2 from
//     LRU to MRU.
//
// Ghost hits steer p: a hit in B1 says T1 was too small (a page seen once
// was evicted too early), a hit in B2 that T2 was. So ARC keeps
// |T1| + |T2| <= c, |T1| + |B1| <= c, |T1| + |T2| + |B1| + |B2| <= 2c and
// 0 <= p <= c. A page used once, however recently, never displaces T2's
// pages unless p says so: a scan of new pages flows through T1 and leaves
// T2 alone.
//
// Access can be O(1): every list is a doubly linked list, and one map finds
// a page in whichever list holds it.
type ARC struct {
	// TODO: your fields.
}

// NewARC returns an empty ARC policy managing frames frames (c), with p = 0
// (see rule 18.new).
func NewARC(frames int) (*ARC, error) {
	panic("replace.NewARC not implemented")
}

// Name returns "arc".
func (a *ARC) Name() string {
	panic("ARC.Name not implemented")
}

// Frames returns the number of frames the policy manages.
func (a *ARC) Frames() int {
	panic("ARC.Frames not implemented")
}

// Len returns the number of resident pages, |T1| + |T2|.
func (a *ARC) Len() int {
	panic("ARC.Len not implemented")
}

// Contains reports whether p is resident (in T1 or T2), without changing
// any state.
func (a *ARC) Contains(p vm.PageID) bool {
	panic("ARC.Contains not implemented")
}

// Access records one reference to p: on a hit it updates the policy's
// state; on a fault with memory full it chooses and removes a victim, then
// loads p. See the type's comment for the rules.
func (a *ARC) Access(p vm.PageID, write bool) (hit bool, victim vm.PageID, evicted bool) {
	panic("ARC.Access not implemented")
}

// Remove forgets p, resident or ghost, and reports whether it was resident.
func (a *ARC) Remove(p vm.PageID) bool {
	panic("ARC.Remove not implemented")
}

// Resident appends the resident pages to dst in the order the type's
// comment documents, and returns the extended slice.
func (a *ARC) Resident(dst []vm.PageID) []vm.PageID {
	panic("ARC.Resident not implemented")
}

// SIEVE is the policy of Zhang, Yang, Yue, Vigfusson and Rashmi, "SIEVE is
// Simpler than LRU: an Efficient Turn-Key Eviction Algorithm for Web
// Caches" (NSDI 2024): one FIFO queue with a head (newest) and a tail
// (oldest), a visited bit per page, and a hand that sweeps from the tail
// toward the head.
//
//   - [rule:18.sieve-hit] Hit: the page's visited bit is set. Nothing moves,
//     the hand included.
//   - [rule:18.sieve-insert] Miss: the new page enters at the head with its
//     visited bit clear, into a free frame or, memory full, after the
//     eviction.
//   - [rule:18.sieve-hand] Eviction: the hand starts at the page where it
//     stopped last time, or at the tail if it has no position (at first, and
//     after it ran off the head). While the page under the hand is visited,
//     its bit is cleared and the hand moves one page toward the head,
//     wrapping from the head to the tail.
//   - [rule:18.sieve-evict] The first unvisited page the hand meets is the
//     victim. The hand stays at the victim's newer neighbour, or has no
//     position if the victim was the head.
//   - [rule:18.sieve-remove-hand] Remove of the page under the hand moves
//     the hand to that page's newer neighbour (no position if it was the
//     head); Remove of any other page leaves the hand where it is.
//   - [rule:18.sieve-order] Resident order: the queue from tail (oldest) to
//     head (newest).
//
// Unlike the clock, SIEVE never moves a visited page: new pages go in at the
// head, behind the hand, while old popular pages keep their place near the
// tail ("lazy promotion, quick demotion"). A page used once is evicted the
// first time the hand reaches it.
//
// Access is O(1) on a hit and O(1) amortized on a miss: every step of the
// hand clears a bit that a hit set.
type SIEVE struct {
	// TODO: your fields.
}

// NewSIEVE returns an empty SIEVE policy managing frames frames whose hand
// has no position (see rule 18.new).
func NewSIEVE(frames int) (*SIEVE, error) {
	panic("replace.NewSIEVE not implemented")
}

// Name returns "sieve".
func (s *SIEVE) Name() string {
	panic("SIEVE.Name not implemented")
}

// Frames returns the number of frames the policy manages.
func (s *SIEVE) Frames() int {
	panic("SIEVE.Frames not implemented")
}

// Len returns the number of resident pages.
func (s *SIEVE) Len() int {
	panic("SIEVE.Len not implemented")
}

// Contains reports whether p is resident, without changing any state.
func (s *SIEVE) Contains(p vm.PageID) bool {
	panic("SIEVE.Contains not implemented")
}

// Access records one reference to p: on a hit it updates the policy's
// state; on a fault with memory full it chooses and removes a victim, then
// loads p. See the type's comment for the rules.
func (s *SIEVE) Access(p vm.PageID, write bool) (hit bool, victim vm.PageID, evicted bool) {
	panic("SIEVE.Access not implemented")
}

// Remove forgets p and reports whether it was resident.
func (s *SIEVE) Remove(p vm.PageID) bool {
	panic("SIEVE.Remove not implemented")
}

// Resident appends the resident pages to dst in the order the type's
// comment documents, and returns the extended slice.
func (s *SIEVE) Resident(dst []vm.PageID) []vm.PageID {
	panic("SIEVE.Resident not implemented")
}

// S3FIFO is the policy of Yang, Zhang, Qiu, Yue and Rashmi, "FIFO Queues
// are All You Need for Cache Eviction" (SOSP 2023): a small FIFO queue S that
// filters out pages used once, a main FIFO queue M, and a ghost FIFO queue G
// of page numbers recently evicted from S. Each queue has a head (newest)
// and a tail (oldest). Each resident page carries a frequency freq, 0 to 3.
//
//   - [rule:18.s3-sizes] S's target size is max(1, ⌊frames·small⌋) and G
//     holds at most ⌊frames·ghost⌋ page numbers; a small of 0 means 0.10 and
//     a ghost of 0 means 0.90. S and M share the frames: S takes every page
//     until memory first fills, and |S| + |M| never exceeds frames.
//   - [rule:18.s3-hit] Hit, p in S or M: freq = min(freq + 1, 3). Nothing
//     moves.
//   - [rule:18.s3-miss] Miss: if memory is full, one page is evicted first
//     (below). Then p enters S's head with freq 0; but if p is in G, it
//     leaves G (before the eviction, so that trimming G cannot drop it) and
//     enters M's head with freq 0.
//   - [rule:18.s3-evict-queue] Eviction evicts from S if |S| is at least S's
//     target size or M is empty, else from M.
//   - [rule:18.s3-evict-small] Evicting from S: while S is not empty, take
//     S's tail t; if t.freq > 1 (used at least twice while in S), t moves to
//     M's head keeping its freq, and the next tail is examined; otherwise t
//     is the victim and its page number enters G's head, and G drops its
//     oldest page numbers (its tail) until it fits its size. If S empties
//     without a victim, the eviction evicts from M. Moving a page to M never
//     evicts from M by itself.
//   - [rule:18.s3-evict-main] Evicting from M: take M's tail t; if t.freq >
//     0, t goes back to M's head with freq - 1 and the next tail is
//     examined; otherwise t is the victim. A page evicted from M does not
//     enter G.
//   - [rule:18.s3-order] Resident order: S from tail to head, then M from
//     tail to head.
//
// Most pages in real workloads are used once ("one-hit wonders"); S keeps
// them from ever reaching M, and G lets a page that comes back soon after
// leaving S go straight to M.
//
// Access is O(1) on a hit and O(1) amortized on a miss: each move from S to
// M and each reinsertion in M is paid for by the hits that raised a freq.
type S3FIFO struct {
	// TODO: your fields.
}

// NewS3FIFO returns an empty S3-FIFO policy managing frames frames; small
// is S's share of frames and ghost G's size as a fraction of frames, 0 for
// the defaults 0.10 and 0.90 (see rules 18.new and 18.s3-sizes).
func NewS3FIFO(frames int, small, ghost float64) (*S3FIFO, error) {
	panic("replace.NewS3FIFO not implemented")
}

// Name returns "s3-fifo".
func (c *S3FIFO) Name() string {
	panic("S3FIFO.Name not implemented")
}

// Frames returns the number of frames the policy manages.
func (c *S3FIFO) Frames() int {
	panic("S3FIFO.Frames not implemented")
}

// Len returns the number of resident pages, |S| + |M|.
func (c *S3FIFO) Len() int {
	panic("S3FIFO.Len not implemented")
}

// Contains reports whether p is resident (in S or M), without changing any
// state.
func (c *S3FIFO) Contains(p vm.PageID) bool {
	panic("S3FIFO.Contains not implemented")
}

// Access records one reference to p: on a hit it updates the policy's
// state; on a fault with memory full it chooses and removes a victim, then
// loads p. See the type's comment for the rules.
func (c *S3FIFO) Access(p vm.PageID, write bool) (hit bool, victim vm.PageID, evicted bool) {
	panic("S3FIFO.Access not implemented")
}

// Remove forgets p, in S, M or G, and reports whether it was resident.
func (c *S3FIFO) Remove(p vm.PageID) bool {
	panic("S3FIFO.Remove not implemented")
}

// Resident appends the resident pages to dst in the order the type's
// comment documents, and returns the extended slice.
func (c *S3FIFO) Resident(dst []vm.PageID) []vm.PageID {
	panic("S3FIFO.Resident not implemented")
}

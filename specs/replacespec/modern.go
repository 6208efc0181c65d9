package replacespec

import (
	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/gomega"

	"github.com/vmkata/vmkata/reference/replace"
	"github.com/vmkata/vmkata/vm"
)

// The scripted cases of exercise 18's policies, worked out by hand from the
// rules in the stub's doc comments. ARC's lists and S3-FIFO's queues are
// written tail (LRU, oldest) first in the comments below.
var (
	arcCases = []ruleCase{
		// T1 [1 2]; the hit moves 1 to T2; 3 and 4 fill the directory to c,
		// so REPLACE evicts T1's LRU (|T1| = 2 > p = 0) into B1.
		{rules: "arc-hit arc-new-directory arc-replace", what: "a hit in T1 moves the page to T2, out of a scan's way", frames: 3,
			script: "1 2 1 3 4 5", want: "f f h f f2 f3", resident: ids(4, 5, 1)},
		// T1 holds all c frames: its LRU page is dropped, not kept in B1, so
		// the return of 1 is a plain miss.
		{rules: "arc-new-full-t1", what: "T1 full: its LRU page leaves without a ghost", frames: 3,
			script: "1 2 3 4 1 5 6", want: "f f f f1 f2 f3 f4", resident: ids(1, 5, 6)},
		// Three evictions from T2 fill B2 [1 2] until the directory holds
		// 2c; 5 then forgets B2's LRU (1), 1 forgets 2 and comes back as new.
		{rules: "arc-new-directory", what: "a directory of 2c pages forgets B2's LRU page", frames: 2,
			script: "1 1 2 2 3 3 4 4 5 1 2", want: "f h f h f1 h f2 h f3 f5 f1", resident: ids(2, 4)},
		// 2 is a ghost in B1 when it comes back: p = 1, so REPLACE takes T2's
		// LRU (|T1| = 1 is not > p), and 2 enters T2.
		{rules: "arc-ghost-b1 arc-replace", what: "a hit in B1 raises p, and REPLACE then spares T1", frames: 2,
			script: "1 1 2 3 2 4", want: "f h f f2 f1 f2", resident: ids(3, 4)},
		// B1 hits raise p to 2; the hit of 1 in B2 lowers it to 1 = |T1|, and
		// with x in B2 the tie sends T1's page (5) out.
		{rules: "arc-ghost-b2 arc-replace", what: "a hit in B2 with |T1| == p evicts from T1", frames: 3,
			script: "1 1 2 2 3 4 5 3 4 1", want: "f h f h f f3 f4 f1 f2 f5", resident: ids(3, 4, 1)},
		// The hit of 1 in B1 with |B1| = 1 and |B2| = 2 raises p by 2, to 3.
		{rules: "arc-ghost-b1", what: "δ1 = |B2| / |B1| when B1 is the smaller ghost list", frames: 3,
			script: "3 5 6 6 3 1 5 2 4 1 2 3", want: "f f f h h f5 f6 f3 f1 f5 h f1", resident: ids(4, 2, 3)},
		// The hit of 6 in B2 with |B1| = 4 and |B2| = 1 lowers p by 4, to 0.
		{rules: "arc-ghost-b2", what: "δ2 = |B1| / |B2| when B2 is the smaller ghost list", frames: 5,
			script: "3 3 5 4 7 1 6 5 4 2 8 3 7 4 2 5", want: "f h f f f f f5 f4 f7 f3 f1 f6 f2 h f5 f8", resident: ids(3, 7, 4, 2, 5)},
		// Ghost hits in B1 where |B2| / |B1| is not a whole number: δ1
		// rounds down, and p with it.
		{rules: "arc-ghost-b1", what: "δ1 is an integer quotient, rounded down", frames: 6,
			script: "8 1 5 13 7 13 4 13 2 6 5 2 6 12 9 12 5 11 1 9 10 7 12 3",
			want:   "f f f f f h f h f8 f1 h h h f7 f4 h h f9 f13 f2 f6 f12 f11 f5", resident: ids(10, 3, 1, 9, 7, 12)},
		// The hit of 13 in B2 with |B1| = 3 and |B2| = 2: δ2 = 3 / 2 rounds
		// down to 1, so p goes from 2 to 1, not to 0.
		{rules: "arc-ghost-b2", what: "δ2 is an integer quotient: |B1| = 3 over |B2| = 2 lowers p by 1", frames: 6,
			script: "13 11 10 10 1 14 13 9 1 12 1 8 7 12 5 2 8 4 9 13 3 9",
			want:   "f f f h f f h f h f11 h f14 f9 h f8 f7 f5 f10 f13 f2 f1 h", resident: ids(4, 3, 12, 8, 13, 9)},
		// After the Remove a frame is free: the ghost hit of 2 raises p but
		// evicts nothing.
		{rules: "arc-free-frame remove", what: "a free frame: a ghost hit evicts nothing", frames: 3,
			script: "1 1 2 3 4 -3 2", want: "f h f f f2 t f", resident: ids(4, 1, 2)},
		{rules: "arc-order", what: "T1 from LRU to MRU, then T2", frames: 3,
			script: "1 2 3 2", want: "f f f h", resident: ids(1, 3, 2)},
		// Removing the ghost 2 makes its return a plain miss (into T1) that
		// evicts 3, not a B1 hit that would raise p and evict 1.
		{rules: "remove", what: "Remove forgets a ghost", frames: 2,
			script: "1 1 2 3 -2 2", want: "f h f f2 n f3", resident: ids(2, 1)},
		{rules: "remove", what: "Remove reports residency; a removed page comes back as new", frames: 2,
			script: removeScript, want: "f f n t n h f f1", resident: ids(3, 2)},
		{rules: "remove", what: "Remove of a page in T2 reports it resident and frees its frame", frames: 2,
			script: "1 1 2 -1 3 -1", want: "f h f t f n", resident: ids(2, 3)},
		{rules: "looks", what: "looks between the calls change nothing", frames: 3, looks: true,
			script: "1 1 2 2 3 4 5 3 4 1", want: "f h f h f f3 f4 f1 f2 f5", resident: ids(3, 4, 1)},
	}

	sieveCases = []ruleCase{
		// 1 is visited: the hand clears it and moves on to 2.
		{rules: "sieve-hit sieve-evict", what: "a visited page is passed over and stays in place", frames: 3,
			script: "1 2 3 1 4", want: "f f f h f2", resident: ids(1, 3, 4)},
		// Pages come in unvisited: the hand passes over 1 (a hit), takes 2,
		// then 3. Had 2 and 3 come in visited, it would clear them and take 1.
		{rules: "sieve-insert sieve-evict", what: "a new page comes in unvisited", frames: 3,
			script: "1 2 3 1 4 5", want: "f f f h f2 f3", resident: ids(1, 4, 5)},
		// The hand stops on 2 after evicting 1, clears it at the next
		// eviction and takes 3, then takes 4 where it stopped, not the tail.
		{rules: "sieve-hand sieve-evict", what: "the hand resumes where it stopped", frames: 3,
			script: "1 2 3 2 4 1 5", want: "f f f h f1 f3 f4", resident: ids(2, 1, 5)},
		{rules: "sieve-hand", what: "every page visited: the hand clears all, wraps and evicts the tail", frames: 3,
			script: "1 2 3 1 2 3 4", want: "f f f h h h f1", resident: ids(2, 3, 4)},
		// 3, the head, is the victim: the hand has no position and starts at
		// the tail (1) next time.
		{rules: "sieve-evict sieve-hand", what: "after evicting the head the hand starts again at the tail", frames: 3,
			script: "1 2 3 1 2 4 5", want: "f f f h h f3 f1", resident: ids(2, 4, 5)},
		// The hand is on 3 when 3 is removed: it moves to 4, the victim of the
		// next eviction, although 1 (cleared, at the tail) is older.
		{rules: "sieve-remove-hand", what: "Remove of the page under the hand moves the hand to its newer neighbour", frames: 4,
			script: "1 2 3 4 1 5 -3 6 7", want: "f f f f h f2 t f f4", resident: ids(1, 5, 6, 7)},
		{rules: "sieve-remove-hand", what: "Remove of another page leaves the hand where it is", frames: 4,
			script: "1 2 3 4 1 5 -1 6 7", want: "f f f f h f2 t f f3", resident: ids(4, 5, 6, 7)},
		{rules: "sieve-order sieve-insert", what: "tail to head; a page loaded into a freed frame is the newest", frames: 3,
			script: "1 2 3 2 -1 4 5", want: "f f f h t f f3", resident: ids(2, 4, 5)},
		{rules: "remove", what: "Remove reports residency; a removed page comes back as new", frames: 2,
			script: removeScript, want: "f f n t n h f f1", resident: ids(2, 3)},
		{rules: "looks", what: "looks between the calls set no visited bit", frames: 3, looks: true,
			script: "1 2 3 2 4 1 5", want: "f f f h f1 f3 f4", resident: ids(2, 1, 5)},
	}

	// S3-FIFO with 3 frames and the defaults: S's target 1, G holds 2; with
	// 4 frames: 1 and 3. small 0.5 makes S's target 2 of 4 frames, 1 of 2.
	s3fifoCases = []ruleCase{
		// 1 leaves S for G; back soon, it goes to M and outlives 2 and 3.
		{rules: "s3-miss s3-evict-small", what: "a ghost that comes back enters M", frames: 3,
			script: "1 2 3 4 1 5", want: "f f f f1 f2 f3", resident: ids(4, 5, 1)},
		// G holds 3 page numbers: 1 has been dropped when it returns (a new
		// page, in S, evicted again), 2 has not (into M, where it stays).
		{rules: "s3-sizes s3-miss", what: "G holds ⌊0.9·frames⌋ page numbers, the oldest dropped first", frames: 4,
			script: "1 2 3 4 5 6 7 8 1 9 10 11 12", want: "f f f f f1 f2 f3 f4 f5 f6 f7 f8 f1", resident: ids(9, 10, 11, 12)},
		{rules: "s3-sizes s3-miss", what: "G holds ⌊0.9·frames⌋ page numbers: the newest are kept", frames: 4,
			script: "1 2 3 4 5 6 7 8 2 9 10 11 12", want: "f f f f f1 f2 f3 f4 f5 f6 f7 f8 f9", resident: ids(10, 11, 12, 2)},
		// 1 was used three times in S (freq 2): it moves to M; 2, used twice
		// (freq 1), is the victim.
		{rules: "s3-evict-small s3-hit s3-sizes", what: "S's tail moves to M if used at least twice while in S", frames: 4, opts: replace.Options{Small: 0.5},
			script: "1 1 1 2 2 3 4 5", want: "f h h f h f f f2", resident: ids(3, 4, 5, 1)},
		// Ghost hits move 2 and 3 to M and leave S below its target of 2:
		// the next eviction is from M, where 1 (freq 2) goes round once.
		{rules: "s3-evict-queue s3-evict-main", what: "S below its target: evict from M, reinserting used pages", frames: 4, opts: replace.Options{Small: 0.5},
			script: "1 1 1 2 2 3 4 5 6 2 3 7", want: "f h h f h f f f2 f3 f4 f5 f2", resident: ids(6, 7, 3, 1)},
		// Both pages move to M and S empties without a victim; M's
		// reinsertions wear both freqs down and 1, first at the tail, goes.
		{rules: "s3-evict-small s3-evict-main", what: "S empties without a victim: evict from M", frames: 2, opts: replace.Options{Small: 0.5},
			script: "1 1 1 2 2 2 3", want: "f h h f h h f1", resident: ids(3, 2)},
		// In M, 1 (freq 3) and 2 (freq 2) go round, each losing 1 per
		// round: 2 runs out first although 1 is at the tail.
		{rules: "s3-evict-main", what: "a reinsertion in M takes 1 off freq", frames: 2, opts: replace.Options{Small: 0.5},
			script: "1 1 1 1 2 2 2 3", want: "f h h h f h h f2", resident: ids(3, 1)},
		// 1 is hit 5 times but its freq stops at 3, as 2's does: 1, the
		// older in M, runs out of reinsertions first.
		{rules: "s3-hit", what: "freq stops at 3", frames: 2, opts: replace.Options{Small: 0.5},
			script: "1 1 1 1 1 1 2 2 2 2 3", want: "f h h h h h f h h h f1", resident: ids(3, 2)},
		// 1, evicted from M, left no ghost: it comes back into S.
		{rules: "s3-evict-main s3-order", what: "a page evicted from M leaves no ghost", frames: 2, opts: replace.Options{Small: 0.5},
			script: "1 1 1 2 2 2 3 1", want: "f h h f h h f1 f3", resident: ids(1, 2)},
		{rules: "s3-order", what: "S from tail to head, then M", frames: 3,
			script: "1 2 3 4 1 5", want: "f f f f1 f2 f3", resident: ids(4, 5, 1)},
		{rules: "s3-hit", what: "a hit moves nothing", frames: 3,
			script: "1 2 3 2 1 2", want: "f f f h h h", resident: ids(1, 2, 3)},
		// The ghost 1 is removed: its return is a plain miss into S.
		{rules: "remove", what: "Remove forgets a ghost", frames: 3,
			script: "1 2 3 4 -1 1 5 6", want: "f f f f1 n f2 f3 f4", resident: ids(1, 5, 6)},
		{rules: "remove", what: "Remove reports residency; a removed page comes back as new", frames: 2,
			script: removeScript, want: "f f n t n h f f2", resident: ids(1, 3)},
		{rules: "looks", what: "looks between the calls change nothing", frames: 4, looks: true, opts: replace.Options{Small: 0.5},
			script: "1 1 1 2 2 3 4 5 6 2 3 7", want: "f h h f h f f f2 f3 f4 f5 f2", resident: ids(6, 7, 3, 1)},
	}
)

// ghostScripts leave a ghost behind: the script, the frames, the ghost and
// the resident pages.
var ghostScripts = map[string]struct {
	frames   int
	script   string
	ghost    vm.PageID
	resident int
}{
	"arc":     {frames: 2, script: "1 1 2 3", ghost: 2, resident: 2},   // 2 in B1
	"s3-fifo": {frames: 3, script: "1 2 3 4 5", ghost: 2, resident: 3}, // G [1 2]
}

// describeGhosts declares that a ghost is not resident, for the policies
// that keep ghosts.
func describeGhosts(policy string, newPolicy Factory) {
	g, ok := ghostScripts[policy]
	if !ok {
		return
	}
	ginkgo.It("does not count a ghost as resident", ruleLabels(policy, 1, "looks"), func() {
		p, err := newPolicy(g.frames, replace.Options{})
		gomega.Expect(err).NotTo(gomega.HaveOccurred(), "New(%d frames)", g.frames)
		for _, c := range parseScript(g.script) {
			p.Access(c.page, false)
		}
		gomega.Expect(p.Contains(g.ghost)).To(gomega.BeFalse(), "after %s with %d frames, %v is a ghost: Contains(%v)", g.script, g.frames, g.ghost, g.ghost)
		gomega.Expect(p.Len()).To(gomega.Equal(g.resident), "after %s with %d frames: Len()", g.script, g.frames)
		gomega.Expect(p.Resident(nil)).NotTo(gomega.ContainElement(g.ghost), "after %s with %d frames, %v is a ghost: Resident()", g.script, g.frames, g.ghost)
	})
}

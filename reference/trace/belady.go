package trace

import (
	"fmt"

	"github.com/vmkata/vmkata/vm"
)

// Belady's anomaly: with FIFO replacement, giving a process more frames can
// make it fault more. FIFO is not a stack algorithm: the pages it holds with
// k frames need not be among those it holds with k+1, so the fault curve
// (faults against frames) can go up. LRU and OPT are stack algorithms and
// never show it. The textbook example (Belady, Nelson and Shedler, 1969):
// 1 2 3 4 1 2 5 1 2 3 4 5 faults 9 times with 3 frames and 10 times with 4.

// fifoFaults counts FIFO's faults on refs with frames frames: a ring of the
// resident pages in load order and a set for membership.
func fifoFaults(refs []Ref, frames int) int {
	ring := make([]vm.PageID, frames)
	resident := make(map[vm.PageID]bool, frames)
	head, used, faults := 0, 0, 0
	for _, r := range refs {
		if resident[r.Page] {
			continue
		}
		faults++
		if used < frames {
			ring[used] = r.Page
			used++
		} else {
			delete(resident, ring[head]) // the oldest load leaves
			ring[head] = r.Page
			head = (head + 1) % frames
		}
		resident[r.Page] = true
	}
	return faults
}

// BeladyAnomaly reports the smallest frame count k in 1..maxFrames-1 for
// which FIFO faults more on refs with k+1 frames than with k, and whether
// there is one. It simulates FIFO once for each k in 1..maxFrames.
func BeladyAnomaly(refs []Ref, maxFrames int) (frames int, found bool) {
	prev := -1
	for k := 1; k <= maxFrames; k++ {
		f := fifoFaults(refs, k)
		if prev >= 0 && f > prev {
			return k - 1, true
		}
		prev = f
	}
	return 0, false
}

// The limits of FindBeladyAnomaly's exhaustive search.
const (
	MaxSearchLen    = 64
	MaxSearchPages  = 64
	MaxSearchFrames = 31
)

// FindBeladyAnomaly searches for the shortest reference string over pages
// 1..pages, of length at most maxLen, on which FIFO faults more with
// frames+1 frames than with frames. It tries lengths 1, 2, … in turn and,
// within a length, strings in lexicographic order, so the answer is
// deterministic: the lexicographically first among the shortest.
//
// FIFO does not care what pages are called, so the search only tries
// strings in which pages first appear in increasing order (1 before 2
// before 3 …; every other string is a renaming of one of those), and it
// skips references that would hit in both memories (a FIFO hit changes
// nothing, so a shortest string has none), and abandons a prefix as soon as the rest of the string is too short to put
// the larger memory ahead (each reference can widen the gap by one fault at
// most). The search is still exponential in maxLen: for 3 frames the first
// anomaly has length 12 and takes well under a second.
//
// It returns found == false when no string up to maxLen shows the anomaly,
// and an error wrapping vm.ErrInvalidConfig when maxLen, pages or frames is
// below 1 or above MaxSearchLen, MaxSearchPages, MaxSearchFrames.
func FindBeladyAnomaly(maxLen, pages, frames int) ([]Ref, bool, error) {
	for _, c := range []struct {
		what   string
		v, max int
	}{{"length", maxLen, MaxSearchLen}, {"pages", pages, MaxSearchPages}, {"frames", frames, MaxSearchFrames}} {
		if c.v < 1 || c.v > c.max {
			return nil, false, fmt.Errorf("trace: belady search: %s %d is outside [1, %d]: %w", c.what, c.v, c.max, vm.ErrInvalidConfig)
		}
	}
	s := search{pages: pages, frames: frames}
	for n := 1; n <= maxLen; n++ {
		s.str = make([]uint8, n)
		if s.dfs(0, 0, fifoState{}, fifoState{}) {
			return readsOf(s.str), true, nil
		}
	}
	return nil, false, nil
}

// readsOf converts a search string into read references.
func readsOf(str []uint8) []Ref {
	refs := make([]Ref, len(str))
	for i, p := range str {
		refs[i] = Ref{Page: vm.PageID(p)}
	}
	return refs
}

// search is the state of FindBeladyAnomaly's depth-first search.
type search struct {
	pages, frames int
	str           []uint8 // the string being built
}

// fifoState is FIFO with a few frames, small enough to copy at every step.
type fifoState struct {
	ring       [MaxSearchFrames + 1]uint8
	head, used int
	faults     int
}

func (f *fifoState) has(p uint8, frames int) bool {
	for i := 0; i < f.used; i++ {
		if f.ring[(f.head+i)%frames] == p {
			return true
		}
	}
	return false
}

func (f *fifoState) access(p uint8, frames int) {
	if f.has(p, frames) {
		return
	}
	f.faults++
	if f.used < frames {
		f.ring[(f.head+f.used)%frames] = p
		f.used++
		return
	}
	f.ring[f.head] = p
	f.head = (f.head + 1) % frames
}

// dfs extends str[:i], whose largest page is top, with FIFO states small
// (frames) and big (frames+1) after it. It reports whether str now holds an
// anomaly.
func (s *search) dfs(i int, top uint8, small, big fifoState) bool {
	if i == len(s.str) {
		return big.faults > small.faults
	}
	if big.faults-small.faults+(len(s.str)-i) < 1 {
		return false
	}
	for p := uint8(1); int(p) <= s.pages && p <= top+1; p++ {
		if small.has(p, s.frames) && big.has(p, s.frames+1) {
			continue // a hit in both changes nothing: a shortest string has none
		}
		a, b := small, big
		a.access(p, s.frames)
		b.access(p, s.frames+1)
		s.str[i] = p
		if s.dfs(i+1, max(top, p), a, b) {
			return true
		}
	}
	return false
}

package replace

import (
	"fmt"

	"github.com/vmkata/vmkata/vm"
)

func init() {
	register("linux", func(frames int, o Options) (vm.Policy, error) { return NewLinux(frames, o.Small) })
}

// LinuxInactive is the default share of frames the inactive list is kept at
// (active:inactive 1:1, the kernel's ratio for small memories).
const LinuxInactive = 0.50

// Linux models the Linux kernel's two-list approximation of LRU (mm/swap.c's
// mark_page_accessed, mm/vmscan.c's shrink_active_list and
// shrink_page_list): an active list of pages that proved their worth and an
// inactive list of candidates for eviction, each with a referenced bit per
// page (the kernel's PG_referenced).
//
// Semantics, exactly:
//   - Miss: if memory is full, reclaim one page (below); the new page enters
//     the inactive list's head, referenced clear.
//   - Hit on an inactive page, referenced clear: set referenced (it stays
//     where it is; the kernel does not move a page on access).
//   - Hit on an inactive page, referenced set (its second reference while
//     inactive): promote it to the active list's head, referenced clear —
//     mark_page_accessed's inactive,referenced → active,unreferenced.
//   - Hit on an active page: set referenced.
//   - Balance, after each promotion and before each reclaim: while the active
//     list holds more than frames − ⌊frames·inactive⌋ pages (the target;
//     inactive defaults to 1/2, i.e. at most 1:1), take its tail: if
//     referenced, clear the bit and rotate it to the active head (it was used
//     since the scan last saw it); otherwise demote it to the inactive head
//     with referenced clear.
//   - Reclaim: take the inactive tail; if referenced, clear the bit and
//     rotate it to the inactive head (a second chance); otherwise it is the
//     victim. Since balance leaves at least one page inactive, the scan ends
//     within one lap.
//
// What this models and what it leaves out, compared with mm/vmscan.c: one
// memory zone and one LRU (no split of anonymous and file pages, no per-node
// or per-memcg lists, no swappiness); one referenced bit per page standing
// for both PG_referenced and the PTE accessed bits that page_referenced()
// collects through the reverse map; the active list's referenced pages are
// rotated as kernels up to 2.6.27 did (since the split LRU, only referenced
// executable file pages are), the inactive list's referenced pages get one
// more lap instead of the kernel's "activate if referenced twice through
// PTEs"; the inactive target is a fixed ratio rather than
// inactive_is_low()'s √(10·gigabytes) rule; reclaim frees exactly one page on
// demand instead of batches of SWAP_CLUSTER_MAX pages when a zone watermark
// is crossed; no workingset refault detection (shadow entries) and no
// multi-generational LRU. Remove(p) unlinks p from its list.
//
// Resident lists the inactive list from tail (next to be scanned) to head,
// then the active list from tail to head.
//
// Complexity: O(1) per hit, O(1) amortized per promotion and per miss (each
// rotation clears a bit that a hit set, and each demotion undoes a
// promotion). Access allocates nothing.
type Linux struct {
	t                slotTable
	active, inactive chain // head = newest
	frames           int
	activeMax        int
}

// Linux list tags and the referenced bit.
const (
	linuxActive uint8 = 1 + iota
	linuxInactive
	linuxReferenced uint8 = 1
)

// NewLinux returns the active/inactive policy with frames frames, the
// inactive list kept at no less than the fraction inactive of them (0 for
// LinuxInactive). It returns an error wrapping vm.ErrInvalidConfig if frames
// < 1 or inactive is outside [0, 1).
func NewLinux(frames int, inactive float64) (*Linux, error) {
	switch {
	case frames < 1:
		return nil, fmt.Errorf("replace: linux with %d frames: need at least 1: %w", frames, vm.ErrInvalidConfig)
	case inactive < 0 || inactive >= 1:
		return nil, fmt.Errorf("replace: linux: inactive fraction %v is outside [0, 1): %w", inactive, vm.ErrInvalidConfig)
	}
	if inactive == 0 {
		inactive = LinuxInactive
	}
	return &Linux{
		t:         newSlotTable(frames),
		active:    newChain(),
		inactive:  newChain(),
		frames:    frames,
		activeMax: frames - max(1, int(float64(frames)*inactive)),
	}, nil
}

// Name returns "linux".
func (l *Linux) Name() string { return "linux" }

// Frames returns the number of frames.
func (l *Linux) Frames() int { return l.frames }

// Len returns the number of resident pages, active and inactive.
func (l *Linux) Len() int { return l.active.n + l.inactive.n }

// Contains reports whether p is resident.
func (l *Linux) Contains(p vm.PageID) bool {
	_, ok := l.t.lookup(p)
	return ok
}

// Active reports whether p is resident on the active list.
func (l *Linux) Active(p vm.PageID) bool {
	i, ok := l.t.lookup(p)
	return ok && l.t.s[i].where == linuxActive
}

// Access references p; see the type's comment for the rules.
func (l *Linux) Access(p vm.PageID, _ bool) (hit bool, victim vm.PageID, evicted bool) {
	if i, ok := l.t.lookup(p); ok {
		s := &l.t.s[i]
		switch {
		case s.where == linuxActive || s.bits == 0:
			s.bits = linuxReferenced
		default: // inactive and referenced: activate
			l.t.unlink(&l.inactive, i)
			s.where, s.bits = linuxActive, 0
			l.t.pushHead(&l.active, i)
			l.balance()
		}
		return true, 0, false
	}
	if l.Len() == l.frames {
		l.balance()
		victim, evicted = l.reclaim(), true
	}
	l.t.pushHead(&l.inactive, l.t.alloc(p, linuxInactive))
	return false, victim, evicted
}

// balance shrinks the active list to its target, as shrink_active_list does.
func (l *Linux) balance() {
	for l.active.n > l.activeMax {
		i := l.active.tail
		s := &l.t.s[i]
		if s.bits != 0 {
			s.bits = 0
			l.t.moveHead(&l.active, i)
			continue
		}
		l.t.unlink(&l.active, i)
		s.where = linuxInactive
		l.t.pushHead(&l.inactive, i)
	}
}

// reclaim scans the inactive list from its tail for a page to evict.
func (l *Linux) reclaim() vm.PageID {
	for {
		i := l.inactive.tail
		s := &l.t.s[i]
		if s.bits != 0 {
			s.bits = 0
			l.t.moveHead(&l.inactive, i)
			continue
		}
		page := s.page
		l.t.unlink(&l.inactive, i)
		l.t.release(i)
		return page
	}
}

// Remove forgets p. It reports whether p was resident.
func (l *Linux) Remove(p vm.PageID) bool {
	i, ok := l.t.lookup(p)
	if !ok {
		return false
	}
	if l.t.s[i].where == linuxActive {
		l.t.unlink(&l.active, i)
	} else {
		l.t.unlink(&l.inactive, i)
	}
	l.t.release(i)
	return true
}

// Resident appends the inactive list from tail to head, then the active list
// from tail to head.
func (l *Linux) Resident(dst []vm.PageID) []vm.PageID {
	dst = l.t.appendTailToHead(dst, &l.inactive)
	return l.t.appendTailToHead(dst, &l.active)
}

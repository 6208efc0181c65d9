package replace

import (
	"fmt"

	"github.com/vmkata/vmkata/vm"
)

func init() {
	register("mfu", func(frames int, opts Options) (vm.Policy, error) {
		return NewMFU(frames, opts.DecayEvery)
	})
}

// MFU is most-frequently-used replacement: the victim is the resident page
// with the largest reference count, on the argument that a page with a small
// count was probably just brought in and has yet to be used. Silberschatz
// lists it beside LFU; neither approximates OPT well, which is the lesson.
//
//   - Hit: the page's count grows by 1.
//   - Fault, memory full: evict the page with the largest count; among equal
//     counts, the least recently used one. The new page comes in with count 1.
//   - Fault, free frame: the new page comes in with count 1.
//   - Decay: as LFU's (every decayEvery accesses, halve every count).
//   - Resident order: the eviction order, largest count first, least
//     recently used first among equal counts.
//
// Counts are per residency, as in LFU. Access is O(1), on the same frequency
// buckets as LFU, taking the victim from the other end.
type MFU struct{ freqList }

// NewMFU returns an empty MFU policy managing frames frames that halves
// every count after each decayEvery accesses (0: never).
// It returns an error wrapping
// vm.ErrInvalidConfig if frames < 1 or decayEvery < 0.
func NewMFU(frames, decayEvery int) (*MFU, error) {
	if err := checkFrames("mfu", frames); err != nil {
		return nil, err
	}
	if decayEvery < 0 {
		return nil, fmt.Errorf("replace: mfu: decayEvery %d is negative: %w", decayEvery, vm.ErrInvalidConfig)
	}
	return &MFU{newFreqList(frames, decayEvery)}, nil
}

// Name returns "mfu".
func (m *MFU) Name() string { return "mfu" }

// Access records a reference to p; see the type's comment.
func (m *MFU) Access(p vm.PageID, _ bool) (hit bool, victim vm.PageID, evicted bool) {
	return m.access(p, true)
}

// Resident appends the resident pages in eviction order.
func (m *MFU) Resident(dst []vm.PageID) []vm.PageID { return m.appendPages(dst, true) }

package replace

import (
	"math/rand/v2"

	"github.com/vmkata/vmkata/vm"
)

func init() {
	register("random", func(frames int, opts Options) (vm.Policy, error) { return NewRandom(frames, opts.Seed) })
}

// Random evicts a uniformly random resident page. It keeps no history, so it
// cannot be fooled by a pattern (a loop one page larger than memory defeats
// LRU and FIFO, not Random) and cannot exploit one either.
//
//   - Hit: nothing changes.
//   - Fault, memory full: the victim's frame is rand.IntN(Frames()) drawn from
//     a math/rand/v2 PCG generator seeded with (seed, seed); the new page
//     takes that frame. The same seed gives the same victims.
//   - Fault, free frame: the new page goes into the lowest free frame.
//   - Resident order: frame order.
//
// Random is not a stack algorithm and can show Belady's anomaly. Every
// operation is O(1).
type Random struct {
	t   frameTable
	rng *rand.Rand
}

// NewRandom returns an empty random policy managing frames frames, drawing
// from a generator seeded with seed. It returns an error wrapping
// vm.ErrInvalidConfig if frames < 1.
func NewRandom(frames int, seed uint64) (*Random, error) {
	if err := checkFrames("random", frames); err != nil {
		return nil, err
	}
	return &Random{t: newFrameTable(frames), rng: rand.New(rand.NewPCG(seed, seed))}, nil
}

// Name returns "random".
func (r *Random) Name() string { return "random" }

// Frames returns the capacity.
func (r *Random) Frames() int { return r.t.frames() }

// Len returns the number of resident pages.
func (r *Random) Len() int { return r.t.used }

// Contains reports whether p is resident.
func (r *Random) Contains(p vm.PageID) bool { _, ok := r.t.lookup(p); return ok }

// Access records a reference to p; see the type's comment.
func (r *Random) Access(p vm.PageID, _ bool) (hit bool, victim vm.PageID, evicted bool) {
	if _, ok := r.t.lookup(p); ok {
		return true, 0, false
	}
	if !r.t.full() {
		r.t.load(p)
		return false, 0, false
	}
	f := int32(r.rng.IntN(r.t.frames()))
	return false, r.t.replace(f, p), true
}

// Remove forgets p.
func (r *Random) Remove(p vm.PageID) bool {
	f, ok := r.t.lookup(p)
	if ok {
		r.t.free(f)
	}
	return ok
}

// Resident appends the resident pages in frame order.
func (r *Random) Resident(dst []vm.PageID) []vm.PageID {
	for f, used := range r.t.inUse {
		if used {
			dst = append(dst, r.t.page[f])
		}
	}
	return dst
}

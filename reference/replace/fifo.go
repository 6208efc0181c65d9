package replace

import "github.com/vmkata/vmkata/vm"

func init() {
	register("fifo", func(frames int, _ Options) (vm.Policy, error) { return NewFIFO(frames) })
}

// FIFO is first-in, first-out replacement: the victim is the page that has
// been resident longest, however often or recently it was used.
//
//   - Hit: nothing changes; FIFO ignores references to resident pages.
//   - Fault, memory full: the page loaded earliest is evicted; the new page
//     becomes the newest.
//   - Fault, free frame: the new page becomes the newest.
//   - Resident order: oldest load first (the next victim first).
//
// FIFO suffers Belady's anomaly: more frames can mean more faults. On the
// reference string 1 2 3 4 1 2 5 1 2 3 4 5 it faults 9 times with 3 frames
// and 10 times with 4. It is not a stack algorithm: the pages resident with
// k frames need not be a subset of those resident with k+1.
//
// Every operation is O(1): an intrusive queue over the frame array.
type FIFO struct {
	t     frameTable
	queue list // frames in load order, oldest at the front
}

// NewFIFO returns an empty FIFO policy managing frames frames.
// It returns an error wrapping vm.ErrInvalidConfig if frames < 1.
func NewFIFO(frames int) (*FIFO, error) {
	if err := checkFrames("fifo", frames); err != nil {
		return nil, err
	}
	return &FIFO{t: newFrameTable(frames), queue: newList(frames)}, nil
}

// Name returns "fifo".
func (q *FIFO) Name() string { return "fifo" }

// Frames returns the capacity.
func (q *FIFO) Frames() int { return q.t.frames() }

// Len returns the number of resident pages.
func (q *FIFO) Len() int { return q.t.used }

// Contains reports whether p is resident.
func (q *FIFO) Contains(p vm.PageID) bool { _, ok := q.t.lookup(p); return ok }

// Access records a reference to p; see the type's comment.
func (q *FIFO) Access(p vm.PageID, _ bool) (hit bool, victim vm.PageID, evicted bool) {
	if _, ok := q.t.lookup(p); ok {
		return true, 0, false
	}
	if q.t.full() {
		f, _ := q.queue.front()
		victim = q.t.replace(f, p)
		q.queue.moveToBack(f)
		return false, victim, true
	}
	q.queue.pushBack(q.t.load(p))
	return false, 0, false
}

// Remove forgets p.
func (q *FIFO) Remove(p vm.PageID) bool {
	f, ok := q.t.lookup(p)
	if ok {
		q.queue.remove(f)
		q.t.free(f)
	}
	return ok
}

// Resident appends the resident pages, oldest load first.
func (q *FIFO) Resident(dst []vm.PageID) []vm.PageID { return q.queue.appendPages(dst, &q.t) }

package kernel

import (
	"fmt"
	"slices"

	"github.com/vmkata/vmkata/reference/phys"
	"github.com/vmkata/vmkata/vm"
)

// pageKind says what a frame holds.
type pageKind uint8

const (
	pageFree pageKind = iota // free in the frame allocator (or a page-table frame, which has no descriptor use)
	pageAnon                 // an anonymous page: heap, stack, bss, a private copy
	pageFile                 // a page-cache page of a File
	pageZero                 // the shared zero page
)

// String names the kind in words, for Check's messages.
func (k pageKind) String() string {
	switch k {
	case pageFree:
		return "free"
	case pageAnon:
		return "anonymous"
	case pageFile:
		return "page-cache"
	case pageZero:
		return "zero page"
	}
	return fmt.Sprintf("kind(%d)", uint8(k))
}

// rmapEntry is one mapping of a frame: the page at va in process p. It is
// either a present PTE or a hidden PROT_NONE entry (p.hidden holds va's page).
type rmapEntry struct {
	p  *Process
	va vm.VAddr
}

// frame is the kernel's descriptor of one physical frame (Linux's struct
// page). Owner: the Kernel.
//
// Invariants (checked by Check):
//   - kind == pageFree iff the frame is a free user frame or a table frame.
//   - refs(frame) == len(rmap) + 1 for a page-cache page and for the zero
//     page (the cache's and the kernel's own hold), len(rmap) otherwise.
//   - a user frame that is not free is resident in the policy under id, and
//     byID[id] is the frame.
type frame struct {
	kind   pageKind
	id     vm.PageID   // the identity the replacement policy knows the page by
	file   *File       // pageFile: the file
	index  uint64      // pageFile: the page's index in the file
	slot   int         // pageAnon: a swap slot holding the same bytes (the swap cache), or -1
	dirty  bool        // contents differ from the backing store (D bits are folded in when a PTE goes)
	pinned int         // > 0 while a fault in progress uses the frame: reclaim skips it (Linux's get_page)
	rmap   []rmapEntry // every PTE (or hidden entry) that maps the frame
}

// tableAllocator hands out the frames set aside for page tables, [base,
// base+n). It implements vm.FrameAllocator over a phys.FreeList numbered
// from 0.
type tableAllocator struct {
	base vm.PFN
	list *phys.FreeList
}

func newTableAllocator(base vm.PFN, n int) (*tableAllocator, error) {
	l, err := phys.NewFreeList(n)
	if err != nil {
		return nil, fmt.Errorf("kernel: page-table frames: %w", err)
	}
	return &tableAllocator{base: base, list: l}, nil
}

func (t *tableAllocator) Alloc() (vm.PFN, error) {
	n, err := t.list.Alloc()
	if err != nil {
		return 0, fmt.Errorf("kernel: no frame left for a page table: %w", err)
	}
	return t.base + n, nil
}

func (t *tableAllocator) Free(pfn vm.PFN) error {
	if pfn < t.base {
		return fmt.Errorf("kernel: %v is not a page-table frame: %w", pfn, vm.ErrInvalidFrame)
	}
	return t.list.Free(pfn - t.base)
}

func (t *tableAllocator) FreeFrames() int { return t.list.FreeFrames() }

// newAnonID returns a fresh identity for an anonymous page.
func (k *Kernel) newAnonID() vm.PageID {
	id := k.nextID
	k.nextID++
	return id
}

// fileID is the identity of page index of file f: the top bit set, so it
// never collides with an anonymous page's.
func fileID(f *File, index uint64) vm.PageID {
	return vm.PageID(1<<63 | uint64(f.id)<<40 | index)
}

// allocFrame finds a frame for the page id (about to be loaded; write says
// whether the access that needs it writes): step 2 of the fault handler. It
// tells the replacement policy of the new page; if memory is full the policy
// names a victim, which is reclaimed (reclaim: unmapped everywhere, written
// to swap or back to its file if dirty, dropped if clean). A victim that
// cannot be reclaimed (dirty anonymous memory with swap full) is given back
// to the policy, which then names another. When no resident page can be
// reclaimed, the OOM killer runs (oom.go) and the search starts again.
//
// The frame comes back with its descriptor set to kind, id, no mappings and a
// reference count of 0; its bytes are whatever it last held.
func (k *Kernel) allocFrame(p *Process, id vm.PageID, kind pageKind, write bool) (vm.PFN, error) {
	for {
		pfn, ok, err := k.tryAllocFrame(id, write)
		if err != nil {
			return 0, err
		}
		if ok {
			f := &k.frames[pfn]
			*f = frame{kind: kind, id: id, slot: -1, rmap: f.rmap[:0]}
			k.byID[id] = pfn
			k.loaded, k.hasLoaded = id, true
			return pfn, nil
		}
		if err := k.oomKill(); err != nil {
			return 0, err
		}
		if _, live := k.procs[p.pid]; !live {
			return 0, k.dead[p.pid]
		}
	}
}

// tryAllocFrame is one round of allocFrame without the OOM killer: ok is
// false when nothing could be reclaimed.
func (k *Kernel) tryAllocFrame(id vm.PageID, write bool) (vm.PFN, bool, error) {
	// Between rounds the policy either holds exactly the resident pages
	// (pending == id) or holds id instead of pending, an unreclaimable page
	// that still has its frame.
	pending := id
	for tries := 0; tries <= 2*k.cfg.Frames+2; tries++ {
		_, victim, evicted := k.policy.Access(pending, write && pending == id)
		switch {
		case !evicted && pending == id:
			pfn, err := k.allocUserFrame()
			if err != nil {
				return 0, false, fmt.Errorf("kernel: the policy had room for %v: %w", id, err)
			}
			return pfn, true, nil
		case !evicted:
			return 0, false, fmt.Errorf("kernel: the policy took %v back without evicting: %w", pending, vm.ErrInvalidConfig)
		case victim == id:
			pending = id // the policy gave up the page being loaded: ask again
		default:
			k.batch() // the victim's invalidations complete before its frame is handed out
			ok, err := k.reclaim(victim)
			k.endBatch()
			if err != nil {
				return 0, false, err
			}
			if !ok {
				pending = victim // unreclaimable: back into the policy, which names another
				continue
			}
			pfn, err := k.allocUserFrame()
			if err != nil {
				return 0, false, fmt.Errorf("kernel: reclaimed %v: %w", victim, err)
			}
			return pfn, true, nil
		}
	}
	// Nothing reclaimable: leave the policy holding exactly the resident pages.
	if pending != id {
		k.policy.Remove(id)
		k.policy.Access(pending, false)
	}
	return 0, false, nil
}

// allocUserFrame takes a frame from the frame allocator and checks it is
// a user frame not in use: the allocator may be a learner's.
func (k *Kernel) allocUserFrame() (vm.PFN, error) {
	n, err := k.user.Alloc()
	if err != nil {
		return 0, fmt.Errorf("no frame is free: %w", err)
	}
	if uint64(n) >= uint64(k.cfg.Frames) {
		return 0, fmt.Errorf("the frame allocator returned frame %d of %d: %w", n, k.cfg.Frames, vm.ErrInvalidFrame)
	}
	if pfn := k.userBase + n; k.frames[pfn].kind == pageFree {
		return pfn, nil
	}
	return 0, fmt.Errorf("the frame allocator returned frame %d, which is in use: %w", n, vm.ErrInvalidFrame)
}

// freeFrame returns a user frame to the allocator and the policy forgets
// its page. The frame must have no mappings and a zero count.
func (k *Kernel) freeFrame(pfn vm.PFN) {
	f := &k.frames[pfn]
	k.policy.Remove(f.id)
	delete(k.byID, f.id)
	if f.kind == pageAnon && f.slot >= 0 {
		k.swap.put(f.slot)
	}
	*f = frame{rmap: f.rmap[:0], slot: -1}
	if err := k.user.Free(pfn - k.userBase); err != nil {
		panic(fmt.Sprintf("kernel: the frame allocator refused to free %v, which it handed out: %v", pfn, err)) // a broken allocator, not bad input
	}
}

// addMapping records that p maps frame pfn at va: one more reference.
func (k *Kernel) addMapping(pfn vm.PFN, p *Process, va vm.VAddr) {
	f := &k.frames[pfn]
	f.rmap = append(f.rmap, rmapEntry{p, va})
	_, _ = k.refs.Inc(pfn)
	if pfn != zeroPFN {
		p.rss++
	}
}

// dropMapping forgets that p maps pfn at va and returns the remaining
// count; a user frame whose count reaches 0 is freed.
func (k *Kernel) dropMapping(pfn vm.PFN, p *Process, va vm.VAddr) int {
	f := &k.frames[pfn]
	i := slices.Index(f.rmap, rmapEntry{p, va})
	if i < 0 {
		panic(fmt.Sprintf("kernel: %v has no mapping by pid %d at %v", pfn, p.pid, va))
	}
	f.rmap = slices.Delete(f.rmap, i, i+1)
	n, _ := k.refs.Dec(pfn)
	if pfn != zeroPFN {
		p.rss--
	}
	if n == 0 && pfn != zeroPFN {
		k.freeFrame(pfn)
	}
	return n
}

// pageBytes returns the bytes of frame pfn (aliasing physical memory).
func (k *Kernel) pageBytes(pfn vm.PFN) []byte {
	b, err := k.mem.Frame(pfn)
	if err != nil {
		panic(fmt.Sprintf("kernel: %v: %v", pfn, err))
	}
	return b
}

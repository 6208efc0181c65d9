package kernel

import (
	"fmt"
	"slices"

	"github.com/vmkata/vmkata/vm"
)

// reclaim frees the frame of the victim the replacement policy chose
// (Linux's shrink_page_list for one page). It reports false, changing
// nothing, when the page cannot go now: it is pinned by the fault in
// progress, or it is anonymous, dirty and swap is full.
//
//   - An anonymous page that is clean and still has its swap copy (the swap
//     cache) is dropped without I/O; a dirty one is written to a swap slot
//     first (swap_out). Every PTE mapping it becomes a swap entry naming
//     the slot (fork may have shared the page: all sharers get the entry).
//   - A page-cache page is written back to its file if dirty (a MAP_SHARED
//     write), then every PTE mapping it is removed and the page leaves the
//     cache; the next touch reads the file again.
//
// Every PTE removed is invalidated on the CPUs that may cache it.
func (k *Kernel) reclaim(id vm.PageID) (bool, error) {
	pfn, ok := k.byID[id]
	if !ok {
		return false, fmt.Errorf("kernel: the policy chose %v, which has no frame: %w", id, vm.ErrInvalidConfig)
	}
	f := &k.frames[pfn]
	if f.pinned > 0 {
		return false, nil
	}
	rmap := slices.Clone(f.rmap)
	switch f.kind {
	case pageAnon:
		slot := f.slot
		if k.pageDirty(pfn) || slot < 0 {
			if slot, ok = k.swapOut(pfn); !ok {
				return false, nil
			}
		}
		for _, r := range rmap {
			vpn := k.vpnOf(r.va)
			k.swap.hold(slot)
			r.p.swap[vpn] = slot
			if _, hidden := r.p.hidden[vpn]; hidden {
				k.dropHidden(r.p, vpn)
			} else {
				k.unmapPTE(r.p, r.va, true)
			}
		}
	case pageFile:
		if k.pageDirty(pfn) {
			k.cleanFilePage(pfn)
		}
		for _, r := range rmap { // the cache's hold keeps the frame meanwhile
			if _, hidden := r.p.hidden[k.vpnOf(r.va)]; hidden {
				k.dropHidden(r.p, k.vpnOf(r.va))
			} else {
				k.unmapPTE(r.p, r.va, true)
			}
		}
		f.dirty = false
		delete(k.cache, cacheKey{f.file, f.index})
		_, _ = k.refs.Dec(pfn) // the cache's hold
	default:
		return false, fmt.Errorf("kernel: the policy chose %v in %v, which holds no user page: %w", id, pfn, vm.ErrInvalidConfig)
	}
	k.stats.Evictions++
	if k.observing() {
		e := ev(EvEvict, 0, 0)
		e.PFN = int64(pfn)
		e.Detail = fmt.Sprintf("%s chose page %v (%d mappings) as the victim", k.policy.Name(), id, len(rmap))
		k.emit(e)
	} else {
		k.seq++
	}
	if n, _ := k.refs.Get(pfn); n == 0 && k.frames[pfn].kind != pageFree {
		k.freeFrame(pfn)
	} else if n != 0 {
		return false, fmt.Errorf("kernel: %v still has %d references after reclaim: %w", pfn, n, vm.ErrInvalidConfig)
	}
	return true, nil
}

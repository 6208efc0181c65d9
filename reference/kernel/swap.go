package kernel

import (
	"fmt"

	"github.com/vmkata/vmkata/reference/phys"
	"github.com/vmkata/vmkata/vm"
)

// swapArea is the swap device: SwapSlots page-sized slots of "disk", a free
// list of slot numbers (managed like frames, with a phys.FreeList) and a
// reference count per slot (Linux's swap_map).
//
// A slot's count is the number of swap entries naming it (one per process
// page that was swapped out: fork shares them) plus one for each resident
// frame that still holds the same bytes (the swap cache: a page swapped in
// and not written since can be dropped again without I/O). A slot is free
// when its count drops to 0.
//
// Linux keeps a swapped-out page's swap entry in its non-present PTE. The
// radix table frees table pages that hold no present entry, so the model
// keeps swap entries in a map per process instead (Process.swap); the
// entry names the slot just the same.
type swapArea struct {
	free *phys.FreeList // nil when there is no swap
	refs []int32
	ids  []vm.PageID // the identity of the page last written to each slot
	data []byte      // len(refs) * page size bytes: the device
	ps   uint64
}

func newSwapArea(slots int, ps uint64) (*swapArea, error) {
	s := &swapArea{ps: ps}
	if slots == 0 {
		return s, nil
	}
	if uint64(slots) > (1<<32)/ps {
		return nil, fmt.Errorf("kernel: %d swap slots of %d bytes exceed the 4 GiB limit: %w", slots, ps, vm.ErrInvalidConfig)
	}
	free, err := phys.NewFreeList(slots)
	if err != nil {
		return nil, fmt.Errorf("kernel: swap slots: %w", err)
	}
	s.free, s.refs, s.ids = free, make([]int32, slots), make([]vm.PageID, slots)
	s.data = make([]byte, uint64(slots)*ps)
	return s, nil
}

// get allocates a free slot with a count of 1, or reports false when swap
// is full (or absent).
func (s *swapArea) get() (int, bool) {
	if s.free == nil {
		return 0, false
	}
	n, err := s.free.Alloc()
	if err != nil {
		return 0, false
	}
	s.refs[n] = 1
	return int(n), true
}

// hold adds a reference to slot.
func (s *swapArea) hold(slot int) { s.refs[slot]++ }

// put drops a reference to slot and frees it at zero.
func (s *swapArea) put(slot int) {
	s.refs[slot]--
	if s.refs[slot] < 0 {
		panic(fmt.Sprintf("kernel: swap slot %d released more often than held", slot))
	}
	if s.refs[slot] == 0 {
		_ = s.free.Free(vm.PFN(slot))
	}
}

// bytes returns the device bytes of slot.
func (s *swapArea) bytes(slot int) []byte {
	lo := uint64(slot) * s.ps
	return s.data[lo : lo+s.ps : lo+s.ps]
}

// slots returns the number of slots; used the number in use.
func (s *swapArea) slots() int { return len(s.refs) }

func (s *swapArea) used() int {
	if s.free == nil {
		return 0
	}
	return len(s.refs) - s.free.FreeFrames()
}

// swapOut writes frame pfn's bytes to a slot for the anonymous page in it
// and returns the slot, which holds one reference for the frame (its swap
// cache hold) on top of whatever it held: the frame's current slot is reused
// when the frame is its only holder, otherwise a new slot is taken. It
// reports false when swap is full.
func (k *Kernel) swapOut(pfn vm.PFN) (int, bool) {
	f := &k.frames[pfn]
	slot := f.slot
	if slot < 0 || k.swap.refs[slot] != 1 {
		s, ok := k.swap.get()
		if !ok {
			return 0, false
		}
		if f.slot >= 0 {
			k.swap.put(f.slot)
		}
		slot = s
		f.slot = s
	}
	copy(k.swap.bytes(slot), k.pageBytes(pfn))
	k.swap.ids[slot] = f.id
	f.dirty = false
	k.stats.SwapOuts++
	if k.observing() {
		e := ev(EvSwapOut, 0, 0)
		e.PFN, e.Slot = int64(pfn), slot
		e.Detail = fmt.Sprintf("dirty anonymous page %v written to swap (%d of %d slots used)", f.id, k.swap.used(), k.swap.slots())
		k.emit(e)
	} else {
		k.seq++
	}
	return slot, true
}

package replace

import "github.com/vmkata/vmkata/vm"

// refBits holds the reference (R) and dirty (D) bits of the pages in each
// frame, for the policies that read them. By default it keeps them itself,
// as the MMU would set them: R on every reference, D on every write. After
// use(b) with a non-nil b it keeps nothing and reads and clears the kernel's
// bits (the PTEs' A and D bits) through b.
type refBits struct {
	ext  vm.RefBits
	r, d []bool // per frame; unused when ext != nil
}

func newRefBits(frames int) refBits {
	return refBits{r: make([]bool, frames), d: make([]bool, frames)}
}

func (b *refBits) use(ext vm.RefBits) {
	b.ext = ext
	clear(b.r)
	clear(b.d)
}

// touch records a reference to the page in frame f: what the MMU does on a hit.
func (b *refBits) touch(f int32, write bool) {
	if b.ext != nil {
		return
	}
	b.r[f] = true
	if write {
		b.d[f] = true
	}
}

// loaded sets the bits of a page just loaded into frame f: R=1 (the access
// that faulted it in references it once restarted), D=write.
func (b *refBits) loaded(f int32, write bool) {
	if b.ext != nil {
		return
	}
	b.r[f] = true
	b.d[f] = write
}

func (b *refBits) referenced(f int32, p vm.PageID) bool {
	if b.ext != nil {
		return b.ext.Referenced(p)
	}
	return b.r[f]
}

func (b *refBits) clearReferenced(f int32, p vm.PageID) {
	if b.ext != nil {
		b.ext.ClearReferenced(p)
		return
	}
	b.r[f] = false
}

func (b *refBits) dirty(f int32, p vm.PageID) bool {
	if b.ext != nil {
		return b.ext.Dirty(p)
	}
	return b.d[f]
}

func (b *refBits) clearDirty(f int32, p vm.PageID) {
	if b.ext != nil {
		b.ext.ClearDirty(p)
		return
	}
	b.d[f] = false
}

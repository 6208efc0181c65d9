package tlb

import "github.com/vmkata/vmkata/vm"

// The four invalidations. Each counts one flush in Stats().Flushes, whether
// or not it dropped anything; none touches the recency of the entries it
// keeps.

// FlushAll drops every entry, global ones included (x86: a CR4.PGE toggle,
// or INVPCID's all-contexts flush).
func (t *TLB) FlushAll() {
	t.stats.Flushes++
	clear(t.tags)
	clear(t.entries)
	clear(t.used)
	t.n = 0
	t.perShift = [64]int{}
	t.nShifts = 0
}

// FlushNonGlobal drops every non-global entry of every ASID: what loading
// CR3 does on x86 when PCIDs are off, so that the next process cannot use the
// previous one's translations. Global (kernel) entries survive.
func (t *TLB) FlushNonGlobal() {
	t.stats.Flushes++
	for i := range t.tags {
		if t.tags[i].flags&(tagValid|tagGlobal) == tagValid {
			t.drop(i)
		}
	}
}

// FlushASID drops the non-global entries tagged asid (x86: INVPCID
// single-context), as when an address space is torn down or its PCID reused.
// Global entries survive even if they carry asid in their ASID field.
func (t *TLB) FlushASID(asid vm.ASID) {
	t.stats.Flushes++
	for i := range t.tags {
		if g := &t.tags[i]; g.flags&(tagValid|tagGlobal) == tagValid && g.asid == asid {
			t.drop(i)
		}
	}
}

// FlushPage drops the entry matching (asid, va), global or not (x86's
// INVLPG): the page-table entry for va changed, so its cached copy must go.
// Entries of other ASIDs for the same address stay. Because no two entries
// match one lookup, at most one entry is dropped.
func (t *TLB) FlushPage(asid vm.ASID, va vm.VAddr) {
	t.stats.Flushes++
	if i := t.find(asid, va); i >= 0 {
		t.drop(i)
	}
}

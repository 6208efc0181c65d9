package kernel

import (
	"errors"
	"fmt"
	"slices"

	"github.com/vmkata/vmkata/vm"
)

// Check verifies the kernel's invariants and returns an error describing
// every broken one (errors.Join), or nil. It is slow (it walks every page
// table, rmap, swap entry and TLB) and meant for tests after every step:
//
//   - Frames: the allocator's free frames are the pageable frames (those
//     it had free at New) less the user frames whose descriptor is in use;
//     the policy holds exactly the resident pages (Len == frames in
//     use, each page's identity resident and mapped back to its frame).
//   - Reference counts: each frame's count equals the PTEs and hidden
//     entries mapping it (its rmap, checked entry by entry against the page
//     tables), plus one for a page-cache page and one for the zero page;
//     an anonymous frame is mapped at least once (else it leaked).
//   - Mappings: every present PTE lies in a VMA of its process and grants
//     no more than the VMA (plus read and user); a writable PTE of a
//     private mapping maps an anonymous frame no one else maps; swap and
//     hidden entries lie in VMAs and have no PTE; each process's RSS equals
//     its PTEs and hidden entries on user frames.
//   - Swap: each slot's count equals the swap entries naming it plus the
//     frames holding it as their swap cache; the in-use count agrees.
//   - Page tables: the table frames in use are exactly those the processes'
//     tables hold.
//   - TLBs: no CPU may use a stale entry. Every entry of every CPU
//     translates as its process's page table does now (same frame, no more
//     permission), and no entry belongs to a process that is gone, unless
//     the CPU's TLB is marked behind for the entry's PCID (a deferred
//     flush, or a PCID released by an exit) and the CPU is not running
//     the PCID's process: the switch that next loads the PCID there
//     flushes it first. A CPU running an address space holds no stale
//     entry of it, deferred or not.
//   - Shootdowns: Config.Shootdown returned no error and no plan naming a
//     CPU that does not exist.
//   - VMAs: each process's set passes its own Check.
func (k *Kernel) Check() error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }

	// Frames and the policy.
	used := 0
	for i := range k.cfg.Frames {
		pfn := k.userBase + vm.PFN(i)
		f := &k.frames[pfn]
		if f.kind == pageFree {
			continue
		}
		used++
		if !k.policy.Contains(f.id) {
			bad("%v: page %v is not resident in the policy", pfn, f.id)
		}
		if got, ok := k.byID[f.id]; !ok || got != pfn {
			bad("%v: byID[%v] = %v, %v", pfn, f.id, got, ok)
		}
	}
	if free := k.user.FreeFrames(); free != k.pageable-used {
		bad("the frame allocator has %d free frames, want %d (%d pageable, %d in use)", free, k.pageable-used, k.pageable, used)
	}
	if k.policy.Len() != used {
		bad("policy holds %d pages, %d frames in use", k.policy.Len(), used)
	}

	// Reference counts and rmaps.
	check := func(pfn vm.PFN) {
		f := &k.frames[pfn]
		want := len(f.rmap)
		if f.kind == pageFile || f.kind == pageZero {
			want++
		}
		if got, _ := k.refs.Get(pfn); got != want {
			bad("%v: reference count %d, want %d (%d mappings of a %v frame)", pfn, got, want, len(f.rmap), f.kind)
		}
		for _, r := range f.rmap {
			if _, live := k.procs[r.p.pid]; !live || k.procs[r.p.pid] != r.p {
				bad("%v: mapped by dead pid %d at %v", pfn, r.p.pid, r.va)
				continue
			}
			if h, ok := r.p.hidden[k.vpnOf(r.va)]; ok {
				if h != pfn {
					bad("%v: pid %d hides %v at %v", pfn, r.p.pid, h, r.va)
				}
				continue
			}
			if _, e, ok := k.leaf(r.p, r.va); !ok || e.PFN() != pfn {
				bad("%v: rmap says pid %d maps it at %v, PTE %v", pfn, r.p.pid, r.va, e)
			}
		}
		if f.kind == pageAnon && len(f.rmap) == 0 {
			bad("%v: an anonymous frame no process maps (leaked)", pfn)
		}
		if f.kind == pageFile {
			if got, ok := k.cache[cacheKey{f.file, f.index}]; !ok || got != pfn {
				bad("%v: page %d of %s not in the page cache", pfn, f.index, f.file.name)
			}
		}
	}
	check(zeroPFN)
	for i := range k.cfg.Frames {
		if pfn := k.userBase + vm.PFN(i); k.frames[pfn].kind != pageFree {
			check(pfn)
		}
	}

	// Processes: PTEs, hidden and swap entries.
	slotRefs := make([]int32, k.swap.slots())
	tablePages := 0
	for _, pid := range k.Pids() {
		p := k.procs[pid]
		tablePages += p.pt.TablePages()
		if err := p.vmas.Check(); err != nil {
			bad("pid %d VMAs: %v", pid, err)
		}
		rss := 0
		for m := range p.pt.Mappings() {
			if m.PFN != zeroPFN {
				rss++
			}
			v, ok := p.vmas.Find(m.VA)
			if !ok {
				bad("pid %d: PTE %v outside every VMA", pid, m)
				continue
			}
			if !ptePerm(v).Has(m.Perm &^ vm.PermExec) {
				bad("pid %d: PTE %v grants more than VMA %v", pid, m, v)
			}
			if !slices.Contains(k.frames[m.PFN].rmap, rmapEntry{p, m.VA}) {
				bad("pid %d: PTE %v missing from the frame's rmap", pid, m)
			}
			if m.Perm.Has(vm.PermWrite) && !v.Shared {
				n, _ := k.refs.Get(m.PFN)
				if k.frames[m.PFN].kind != pageAnon || n != 1 {
					bad("pid %d: private PTE %v is writable but maps a %v frame with %d references", pid, m, k.frames[m.PFN].kind, n)
				}
			}
		}
		for vpn, pfn := range p.hidden {
			if pfn != zeroPFN {
				rss++
			}
			if _, ok := p.vmas.Find(k.vaOf(vpn)); !ok {
				bad("pid %d: hidden page %v outside every VMA", pid, k.vaOf(vpn))
			}
			if !slices.Contains(k.frames[pfn].rmap, rmapEntry{p, k.vaOf(vpn)}) {
				bad("pid %d: hidden page %v missing from %v's rmap", pid, k.vaOf(vpn), pfn)
			}
		}
		for vpn, slot := range p.swap {
			va := k.vaOf(vpn)
			if _, ok := p.vmas.Find(va); !ok {
				bad("pid %d: swap entry %v outside every VMA", pid, va)
			}
			if _, _, ok := k.leaf(p, va); ok {
				bad("pid %d: %v has both a PTE and a swap entry", pid, va)
			}
			if slot < 0 || slot >= len(slotRefs) {
				bad("pid %d: swap entry %v names slot %d", pid, va, slot)
				continue
			}
			slotRefs[slot]++
		}
		if rss != p.rss {
			bad("pid %d: RSS %d, counted %d", pid, p.rss, rss)
		}
	}
	if got := k.cfg.TableFrames - k.tables.FreeFrames(); got != tablePages {
		bad("%d page-table frames in use, the processes' tables hold %d", got, tablePages)
	}

	// Swap.
	for i := range k.cfg.Frames {
		f := &k.frames[k.userBase+vm.PFN(i)]
		if f.kind == pageAnon && f.slot >= 0 {
			slotRefs[f.slot]++
		}
	}
	inUse := 0
	for slot, n := range slotRefs {
		if n != k.swap.refs[slot] {
			bad("swap slot %d: count %d, %d holders", slot, k.swap.refs[slot], n)
		}
		if n > 0 {
			inUse++
		}
	}
	if inUse != k.swap.used() {
		bad("%d swap slots held, %d in use", inUse, k.swap.used())
	}

	// TLBs.
	for _, c := range k.cpus {
		for _, e := range k.tlbEntries(c) {
			if k.cfg.PCID && c.stale[e.ASID] && (c.cur == nil || c.cur.asid != e.ASID) {
				continue // behind: flushed before its PCID is loaded here again
			}
			p := c.cur
			if k.cfg.PCID {
				p = nil
				for _, q := range k.procs {
					if q.asid == e.ASID {
						p = q
					}
				}
			}
			if p == nil {
				bad("cpu%d: TLB entry %v belongs to no live process", c.id, e)
				continue
			}
			w, err := p.pt.Walk(e.VA)
			if err != nil || !w.Present() || w.Leaf().PFN() != e.PFN {
				bad("cpu%d: stale TLB entry %v: pid %d's table has %v", c.id, e, p.pid, w)
				continue
			}
			if !w.Perm.Has(e.Perm) {
				bad("cpu%d: TLB entry %v grants more than pid %d's PTE (%v)", c.id, e, p.pid, w.Perm)
			}
		}
	}
	errs = append(errs, k.shootErrs...)
	return errors.Join(errs...)
}

// tlbEntries returns the entries of c's TLB that Check compares with the
// page tables: all of them when the TLB lists them, else those Peek finds
// for the present mappings of every process whose translations c may hold
// (a stale entry for an address no longer mapped is then out of sight).
func (k *Kernel) tlbEntries(c *cpu) []vm.TLBEntry {
	if l, ok := c.tlb.(interface{ Entries() []vm.TLBEntry }); ok {
		return l.Entries()
	}
	var out []vm.TLBEntry
	for _, pid := range k.Pids() {
		p := k.procs[pid]
		if p.cpus&(1<<c.id) == 0 {
			continue
		}
		for m := range p.pt.Mappings() {
			if e, ok := c.tlb.Peek(k.asid(p), m.VA); ok {
				out = append(out, e)
			}
		}
	}
	return out
}

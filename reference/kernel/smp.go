package kernel

import (
	"fmt"
	"slices"

	"github.com/vmkata/vmkata/vm"
)

// cpu is one processor: its MMU and TLB (per-CPU hardware, never saved in a
// process) and the process whose page-table root is in its CR3.
type cpu struct {
	id  int
	tlb vm.TLB
	mmu vm.MMU
	cur *Process // nil when idle (no user page table loaded)
	// stale are the PCIDs for which tlb is behind (Linux's per-CPU
	// tlb_gen lagging the mm's): its entries may be stale, because their
	// process exited or because a change to its address space deferred
	// this CPU's flush. They are never used: the switch that next loads
	// the PCID here is told (SwitchState.Stale) and flushes them.
	stale map[vm.ASID]bool
}

func (k *Kernel) newCPUs() error {
	for i := range k.cfg.CPUs {
		t, err := k.cfg.NewTLB(k.cfg.TLB)
		if err == nil && t == nil {
			err = fmt.Errorf("no TLB and no error: %w", vm.ErrInvalidConfig)
		}
		if err != nil {
			return fmt.Errorf("kernel: cpu %d TLB: %w", i, err)
		}
		m, err := k.cfg.NewMMU(vm.MMUConfig{Geometry: k.geo, TLB: t, Mem: k.mem})
		if err == nil && m == nil {
			err = fmt.Errorf("no MMU and no error: %w", vm.ErrInvalidConfig)
		}
		if err != nil {
			return fmt.Errorf("kernel: cpu %d MMU: %w", i, err)
		}
		m.SetPCID(k.cfg.PCID)
		k.cpus = append(k.cpus, &cpu{id: i, tlb: t, mmu: m, stale: map[vm.ASID]bool{}})
	}
	return nil
}

// CPUs returns the number of CPUs.
func (k *Kernel) CPUs() int { return len(k.cpus) }

// TLBStats returns the counters of CPU c's TLB.
func (k *Kernel) TLBStats(c int) (vm.TLBStats, error) {
	if c < 0 || c >= len(k.cpus) {
		return vm.TLBStats{}, fmt.Errorf("kernel: cpu %d of %d: %w", c, len(k.cpus), vm.ErrOutOfRange)
	}
	return k.cpus[c].tlb.Stats(), nil
}

// Current returns the pid running on CPU c, or 0 when it is idle.
func (k *Kernel) Current(c int) int {
	if c < 0 || c >= len(k.cpus) || k.cpus[c].cur == nil {
		return 0
	}
	return k.cpus[c].cur.pid
}

// Switch implements a context switch on CPU c to process pid: the
// scheduler's switch_mm, which loads the process's page-table root (kept
// in its process control block, Process.PageTableRoot) into CR3.
//
// Without PCIDs the load flushes every non-global TLB entry, so the TLB
// holds only the new process's translations (the answer to "is the TLB
// saved with the process?": no, it is simply emptied). With PCIDs the load
// sets the no-flush bit (unless the PCID is stale there, see switchTo):
// each process's entries carry its own PCID and survive the switch, so
// switching back finds them warm. Config.Switcher decides the load; an
// error from it, or a plan that leaves another process's table loaded, is
// returned. A process running
// on another CPU keeps running there too (threads aside, one process on
// two CPUs is allowed and is what makes shootdowns necessary).
func (k *Kernel) Switch(c int, pid int) error {
	if c < 0 || c >= len(k.cpus) {
		return fmt.Errorf("kernel: switch on cpu %d of %d: %w", c, len(k.cpus), vm.ErrOutOfRange)
	}
	p, err := k.process(pid)
	if err != nil {
		return err
	}
	return k.switchTo(k.cpus[c], p)
}

// switchTo makes p current on c, carrying out the plan of the kernel's
// Switcher: a plan that writes no CR3 is right only when p is already
// current there; an error from the Switcher, or such a plan for another
// process, fails the switch and leaves c as it was.
//
// Tracking of which CPUs may cache a process's translations (Linux's
// mm_cpumask): without PCIDs it is precise, the CPUs where the process is
// current, because loading CR3 flushes the rest; with PCIDs it is lazy: a
// CPU stays in the mask after switching away, because its TLB may still
// hold entries tagged with the process's PCID, and leaves it only when the
// process exits. Such a CPU may be behind: a change to the address space
// made while it ran something else deferred its flush (see shootdown), or
// the process exited, its entries not flushed then; either way the PCID is
// marked stale there, and the switch that next loads the PCID there (for
// the same process, or the one that gets the PCID next) is told so and
// flushes.
func (k *Kernel) switchTo(c *cpu, p *Process) error {
	k.cpu = c.id
	prev := 0
	if c.cur != nil {
		prev = c.cur.pid
	}
	s := vm.SwitchState{PCID: k.cfg.PCID, Prev: prev, Next: p.pid, ASID: p.asid, Stale: c.stale[p.asid]}
	plan, err := k.cfg.Switcher(s)
	if err != nil {
		return fmt.Errorf("kernel: switch on cpu %d: %w", c.id, err)
	}
	if !plan.Load {
		if c.cur != p {
			return fmt.Errorf("kernel: switch on cpu %d: %v writes no CR3: pid %d would run on another's page table: %w", c.id, s, p.pid, ErrInvalid)
		}
		return nil
	}
	if c.cur != nil && c.cur != p && !k.cfg.PCID {
		c.cur.cpus &^= 1 << c.id
	}
	c.cur = p
	p.lastCPU = c.id
	p.cpus |= 1 << c.id
	c.mmu.LoadCR3(p.pt.PageTable, plan.PCID, plan.NoFlush)
	delete(c.stale, p.asid)
	k.stats.CR3Loads++
	if k.observing() {
		e := ev(EvSwitch, p.pid, 0)
		flush := "TLB flushed (no PCIDs)"
		switch {
		case k.cfg.PCID && plan.NoFlush:
			flush = fmt.Sprintf("PCID %d, other processes' TLB entries kept", plan.PCID)
		case k.cfg.PCID:
			flush = fmt.Sprintf("PCID %d flushed, other processes' TLB entries kept", plan.PCID)
		}
		e.Detail = fmt.Sprintf("CR3 <- %v (root of pid %d's page table); %s", p.pt.Root(), p.pid, flush)
		k.emit(e)
	} else {
		k.seq++
	}
	return nil
}

// asid returns the tag p's TLB entries carry: its PCID, or 0 without PCIDs.
func (k *Kernel) asid(p *Process) vm.ASID {
	if k.cfg.PCID {
		return p.asid
	}
	return 0
}

// runOn makes p current on a CPU before it touches memory: the CPU it is
// current on (the lowest if several), else the CPU it last ran on (CPU 0
// for a new process), switching it in there. Every step then runs on that
// CPU: it is the "local" CPU for TLB flushes.
func (k *Kernel) runOn(p *Process) (*cpu, error) {
	for _, c := range k.cpus {
		if c.cur == p {
			k.cpu = c.id
			return c, nil
		}
	}
	c := k.cpus[p.lastCPU]
	return c, k.switchTo(c, p)
}

// A flush is what one operation owes the TLBs of one address space: pages
// whose translations it changed, or all of them (Linux's mmu_gather).
type flush struct {
	p     *Process
	pages []vm.VAddr
	all   bool
}

// batch opens a batch: the invalidations of the operation in progress are
// gathered per address space and sent when the outermost batch closes, one
// request per address space (so at most one IPI per CPU), instead of one
// per page. Close it with endBatch, before a frame freed meanwhile can be
// handed out again: until then a CPU may still hold a translation to it.
func (k *Kernel) batch() { k.batching++ }

// endBatch closes a batch opened by batch; closing the outermost one sends
// the gathered invalidations, in the order the address spaces were first
// changed. An address space that went away meanwhile is skipped: leaving
// the CPUs marked its entries stale everywhere (dropFromCPUs).
func (k *Kernel) endBatch() {
	k.batching--
	if k.batching > 0 {
		return
	}
	for len(k.gathered) > 0 {
		f := k.gathered[0]
		k.gathered = k.gathered[1:]
		if k.procs[f.p.pid] == f.p {
			k.shootdown(f)
		}
	}
	k.gathered = nil
}

// flushPage invalidates the translation of va in p on every CPU that may
// use it: now outside a batch, at the batch's end inside one.
func (k *Kernel) flushPage(p *Process, va vm.VAddr) {
	if p.cpus == 0 {
		return
	}
	if k.batching == 0 {
		k.shootdown(flush{p: p, pages: []vm.VAddr{va}})
		return
	}
	f := k.gather(p)
	if !f.all && !slices.Contains(f.pages, va) {
		f.pages = append(f.pages, va)
	}
}

// flushAll invalidates every translation of p on every CPU that may use
// it: what fork does after write-protecting the parent, instead of one
// INVLPG per page.
func (k *Kernel) flushAll(p *Process) {
	if p.cpus == 0 {
		return
	}
	if k.batching == 0 {
		k.shootdown(flush{p: p, all: true})
		return
	}
	f := k.gather(p)
	f.all, f.pages = true, nil
}

// gather returns the batch's pending flush of p, adding one if needed.
func (k *Kernel) gather(p *Process) *flush {
	for i := range k.gathered {
		if k.gathered[i].p == p {
			return &k.gathered[i]
		}
	}
	k.gathered = append(k.gathered, flush{p: p})
	return &k.gathered[len(k.gathered)-1]
}

// shootdown asks Config.Shootdown who flushes what for f, made on the
// current CPU, and carries the plan out: a flush now on the current CPU
// is a local flush, one on another CPU an IPI (each counted, and told as
// EvShootdown); a deferred one marks the address space's PCID stale on
// that CPU, so the switch that next loads it there flushes it. An error
// from Shootdown, or a plan naming a CPU that does not exist, is recorded
// for Check to report, and the safe plan carried out instead: every CPU
// that may hold the entries flushes all of them now.
func (k *Kernel) shootdown(f flush) {
	p := f.p
	req := vm.ShootdownRequest{CPUs: len(k.cpus), Self: k.cpu, PCID: k.cfg.PCID,
		Cached: vm.CPUSet(p.cpus), Pages: f.pages, All: f.all}
	for _, c := range k.cpus {
		if c.cur == p {
			req.Running |= 1 << c.id
		}
	}
	plan, err := k.cfg.Shootdown(req)
	if err == nil {
		for _, cf := range plan.Flushes {
			if cf.CPU < 0 || cf.CPU >= len(k.cpus) {
				err = fmt.Errorf("plan %v names cpu%d of %d: %w", plan, cf.CPU, len(k.cpus), vm.ErrOutOfRange)
				break
			}
		}
	}
	if err != nil {
		k.shootErrs = append(k.shootErrs, fmt.Errorf("kernel: shootdown for pid %d (%v): %w", p.pid, req, err))
		plan = vm.ShootdownPlan{}
		for _, c := range k.cpus {
			if req.Cached.Has(c.id) {
				plan.Flushes = append(plan.Flushes, vm.CPUFlush{CPU: c.id, Kind: vm.FlushAll})
			}
		}
	}
	asid := k.asid(p)
	for _, cf := range plan.Flushes {
		c := k.cpus[cf.CPU]
		switch cf.Kind {
		case vm.FlushPages:
			for _, va := range cf.Pages {
				c.tlb.FlushPage(asid, va)
			}
		case vm.FlushAll:
			if k.cfg.PCID {
				c.tlb.FlushASID(asid)
			} else {
				c.tlb.FlushNonGlobal()
			}
		case vm.FlushDeferred:
			c.stale[p.asid] = true
			k.stats.DeferredFlushes++
			continue
		default:
			continue
		}
		if c.id == k.cpu {
			k.stats.LocalFlushes++
			continue
		}
		k.stats.Shootdowns++
		if k.observing() {
			e := ev(EvShootdown, p.pid, 0)
			what := "flush all"
			switch n := len(cf.Pages); {
			case cf.Kind == vm.FlushAll:
			case n == 1:
				e.Addr, what = cf.Pages[0], fmt.Sprintf("invalidate %v", cf.Pages[0])
			case n > 1:
				what = fmt.Sprintf("invalidate %d pages, %v to %v", n, cf.Pages[0], cf.Pages[n-1])
			}
			e.Detail = fmt.Sprintf("IPI to cpu%d: %s of pid %d's translations", c.id, what, p.pid)
			k.emit(e)
		} else {
			k.seq++
		}
	}
}

// dropFromCPUs takes an exiting p off every CPU: a CPU it was current on
// goes idle and unloads CR3, and with PCIDs every CPU that may hold p's
// entries marks its PCID stale, so that the process given the PCID next
// finds its entries flushed at its first switch there (see switchTo).
func (k *Kernel) dropFromCPUs(p *Process) {
	for _, c := range k.cpus {
		if c.cur == p {
			c.cur = nil
			c.mmu.LoadCR3(nil, 0, false)
		}
		if p.cpus&(1<<c.id) != 0 && k.cfg.PCID {
			c.stale[p.asid] = true
		}
	}
	p.cpus = 0
}

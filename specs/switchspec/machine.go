package switchspec

import (
	"fmt"
	"maps"
	"slices"

	"github.com/vmkata/vmkata/reference/mmu"
	"github.com/vmkata/vmkata/reference/pagetable"
	"github.com/vmkata/vmkata/reference/phys"
	"github.com/vmkata/vmkata/reference/tlb"
	"github.com/vmkata/vmkata/specs/internal/trail"
	"github.com/vmkata/vmkata/vm"
)

// machine is one CPU (the reference MMU and a 64-entry TLB) running
// processes whose switches a SwitchFunc decides. Every process maps the
// kernel's pages and its own user pages. Without KPTI it has one page
// table and the kernel's pages are global, as on Linux; under KPTI it has
// two: a kernel table (the kernel's pages, no longer global, and the user
// pages) and a user table (the user pages and the global entry trampoline
// only), and the CPU moves between them, with the plan's PCID and
// UserPCID, on every entry to and exit from the kernel.
//
// The machine records which page table each PCID's entries were cached
// from (owner) and, after every step, requires every non-global TLB entry
// to translate as that table does: an entry that does not is a stale or
// leaked translation the next access could use.
type machine struct {
	sw         SwitchFunc
	pcid, kpti bool
	mem        *phys.Memory
	frames     *phys.FreeList
	tlb        *tlb.TLB
	mmu        *mmu.MMU
	kernelPFNs []vm.PFN // the kernel's pages, shared by every process
	entryPFN   vm.PFN   // the entry trampoline, mapped in every table
	procs      map[int]*proc
	cur        *proc
	user       bool          // the CPU runs user code (under KPTI: the user table is loaded)
	plan       vm.SwitchPlan // the plan that switched cur in
	userFlush  bool          // the user PCID still has to be flushed (the plan's NoFlush was false)
	owner      map[vm.ASID]string
	tables     map[string]vm.PageTable
	stale      map[vm.ASID]bool // PCIDs of exited processes, not yet flushed
	loads      int              // CR3 writes
	trail.Trail
}

// proc is one process of a machine.
type proc struct {
	pid        int
	asid       vm.ASID
	kern, user vm.PageTable // the same table without KPTI
	userPFNs   []vm.PFN
}

const (
	userPages   = 4
	kernelPages = 3
	userBase    = vm.VAddr(0x400000)
	kernelBase  = vm.VAddr(0xffff_8000_0000_0000)
	entryVA     = vm.VAddr(0xffff_ffff_fe00_0000)
)

func newMachine(sw SwitchFunc, pcid, kpti bool) (*machine, error) {
	const frames = 512
	mem, err := phys.NewMemory(frames, vm.Size4K)
	if err != nil {
		return nil, err
	}
	fl, err := phys.NewFreeList(frames)
	if err != nil {
		return nil, err
	}
	t, err := tlb.New(vm.TLBConfig{Entries: 64, Ways: 4})
	if err != nil {
		return nil, err
	}
	m, err := mmu.New(vm.MMUConfig{Geometry: vm.X86_64, TLB: t, Mem: mem})
	if err != nil {
		return nil, err
	}
	m.SetPCID(pcid)
	mc := &machine{sw: sw, pcid: pcid, kpti: kpti, mem: mem, frames: fl, tlb: t, mmu: m,
		procs: map[int]*proc{}, owner: map[vm.ASID]string{}, tables: map[string]vm.PageTable{}, stale: map[vm.ASID]bool{},
		Trail: trail.Start(fmt.Sprintf("a machine with PCIDs %v, KPTI %v, a 64-entry 4-way TLB, the Switch under test", onOff(pcid), onOff(kpti)))}
	for range kernelPages + 1 {
		pfn, err := fl.Alloc()
		if err != nil {
			return nil, err
		}
		mc.kernelPFNs = append(mc.kernelPFNs, pfn)
	}
	mc.entryPFN, mc.kernelPFNs = mc.kernelPFNs[kernelPages], mc.kernelPFNs[:kernelPages]
	return mc, nil
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

// spawn starts process pid with PCID asid and fresh user pages.
func (m *machine) spawn(pid int, asid vm.ASID) error {
	m.Log("spawn pid %d (PCID %d)", pid, asid)
	p := &proc{pid: pid, asid: asid}
	var err error
	if p.kern, err = pagetable.NewRadix(vm.X86_64, m.mem, m.frames); err != nil {
		return err
	}
	p.user = p.kern
	if m.kpti {
		if p.user, err = pagetable.NewRadix(vm.X86_64, m.mem, m.frames); err != nil {
			return err
		}
	}
	for i, pfn := range m.kernelPFNs {
		if err := p.kern.Map(vm.Mapping{VA: kernelBase + vm.VAddr(i)*0x1000, PFN: pfn, Size: vm.Size4K, Perm: vm.PermRX, Global: !m.kpti}); err != nil {
			return err
		}
	}
	for _, t := range slices.Compact([]vm.PageTable{p.kern, p.user}) {
		if err := t.Map(vm.Mapping{VA: entryVA, PFN: m.entryPFN, Size: vm.Size4K, Perm: vm.PermRX, Global: true}); err != nil {
			return err
		}
	}
	for i := range userPages {
		pfn, err := m.frames.Alloc()
		if err != nil {
			return err
		}
		p.userPFNs = append(p.userPFNs, pfn)
		for _, t := range slices.Compact([]vm.PageTable{p.kern, p.user}) {
			if err := t.Map(vm.Mapping{VA: userBase + vm.VAddr(i)*0x1000, PFN: pfn, Size: vm.Size4K, Perm: vm.PermRW | vm.PermUser}); err != nil {
				return err
			}
		}
	}
	m.procs[pid] = p
	m.tables[p.name(false)] = p.kern
	m.tables[p.name(true)] = p.user
	return nil
}

// name names p's kernel or user table.
func (p *proc) name(user bool) string {
	if user && p.user != p.kern {
		return fmt.Sprintf("pid %d's user table", p.pid)
	}
	return fmt.Sprintf("pid %d's table", p.pid)
}

// exit ends pid, which is not running: with PCIDs its PCID is stale until
// a switch flushes it.
func (m *machine) exit(pid int) error {
	p := m.procs[pid]
	if p == nil || p == m.cur {
		return fmt.Errorf("exit pid %d: not a process that is switched out", pid)
	}
	m.Log("exit pid %d", pid)
	delete(m.procs, pid)
	if m.pcid {
		m.stale[p.asid] = true
	}
	return nil
}

// load writes CR3 and records whose entries the PCID now caches.
func (m *machine) load(t vm.PageTable, name string, pcid vm.ASID, noFlush bool) {
	m.mmu.LoadCR3(t, pcid, noFlush)
	m.loads++
	if !m.pcid {
		pcid = 0
	}
	m.owner[pcid] = name
}

// switchTo asks the Switch under test and carries its plan out; the CPU is
// then in the kernel, on the next process's kernel table.
func (m *machine) switchTo(pid int) error {
	p := m.procs[pid]
	prev := 0
	if m.cur != nil {
		prev = m.cur.pid
	}
	s := vm.SwitchState{PCID: m.pcid, KPTI: m.kpti, Prev: prev, Next: pid, ASID: p.asid, Stale: m.stale[p.asid]}
	plan, err := m.sw(s)
	m.Log("Switch(%v) = %v, %v", s, plan, err)
	if err != nil {
		return fmt.Errorf("Switch(%v) returned error %v, want a plan", s, err)
	}
	if m.user {
		m.enter()
	}
	if !plan.Load {
		if p != m.cur {
			return fmt.Errorf("Switch(%v) = %v: without a CR3 write pid %d would run on pid %d's page table", s, plan, pid, prev)
		}
		return nil
	}
	m.load(p.kern, p.name(false), plan.PCID, plan.NoFlush)
	delete(m.stale, p.asid)
	m.cur, m.plan, m.userFlush = p, plan, m.kpti && !plan.NoFlush
	return nil
}

// enter is a system call or an interrupt: under KPTI the CPU goes back to
// the kernel table, keeping what the TLB holds.
func (m *machine) enter() {
	m.user = false
	if m.kpti {
		m.load(m.cur.kern, m.cur.name(false), m.plan.PCID, true)
	}
}

// exitToUser returns to user code: under KPTI it loads the user table with
// the plan's UserPCID, flushed the first time if the plan flushed.
func (m *machine) exitToUser() {
	m.user = true
	if m.kpti {
		m.load(m.cur.user, m.cur.name(true), m.plan.UserPCID, !m.userFlush)
		m.userFlush = false
	}
}

// translate runs the MMU; every address the machine touches is mapped.
func (m *machine) translate(va vm.VAddr, a vm.Access) error {
	if _, err := m.mmu.Translate(va, a); err != nil {
		return fmt.Errorf("translating %v (%v) in pid %d: %v", va, a, m.cur.pid, err)
	}
	return nil
}

// slice is one time slice of the current process: kernel work after the
// switch, user work, a system call, more user work.
func (m *machine) slice() error {
	m.Log("time slice of pid %d", m.cur.pid)
	kernelWork := func() error {
		if err := m.translate(entryVA, vm.Access{Kind: vm.Execute}); err != nil {
			return err
		}
		for i := range kernelPages {
			if err := m.translate(kernelBase+vm.VAddr(i)*0x1000, vm.SupervisorRead); err != nil {
				return err
			}
		}
		return nil
	}
	userWork := func() error {
		for i := range userPages {
			if err := m.translate(userBase+vm.VAddr(i)*0x1000, vm.UserRead); err != nil {
				return err
			}
		}
		return nil
	}
	for _, step := range []func() error{kernelWork, m.toUser, userWork, m.toKernel, kernelWork, m.toUser, userWork, m.check} {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

func (m *machine) toUser() error   { m.exitToUser(); return m.check() }
func (m *machine) toKernel() error { m.enter(); return m.check() }

// check requires every non-global TLB entry to translate as the table its
// PCID was last loaded with (entries of an exited process's PCID aside).
func (m *machine) check() error {
	for _, e := range m.tlb.Entries() {
		if e.Global || m.stale[e.ASID] || m.stale[e.ASID&^vm.UserPCIDBit] {
			continue
		}
		name, ok := m.owner[e.ASID]
		if !ok {
			return fmt.Errorf("TLB entry %v: PCID %d was never loaded", e, e.ASID)
		}
		w, err := m.tables[name].Walk(e.VA)
		if err != nil || !w.Present() || w.Leaf().PFN() != e.PFN {
			return fmt.Errorf("TLB entry %v is not a translation of %s, the address space PCID %d now names (it has %v): the next access there would use it", e, name, e.ASID, w)
		}
	}
	return nil
}

// counts are what two runs of a script are compared on.
type counts struct {
	Hits, Misses, Flushes uint64
	CR3Loads              int
}

func (c counts) String() string {
	return fmt.Sprintf("%d hits, %d misses (hit ratio %.3f), %d flushes, %d CR3 writes",
		c.Hits, c.Misses, float64(c.Hits)/float64(max(1, c.Hits+c.Misses)), c.Flushes, c.CR3Loads)
}

func (m *machine) counts() counts {
	s := m.tlb.Stats()
	return counts{s.Hits, s.Misses, s.Flushes, m.loads}
}

// op is one step of a script.
type op struct {
	kind string // "run", "exit" or "spawn"
	pid  int
	asid vm.ASID // spawn
}

func (o op) String() string {
	if o.kind == "spawn" {
		return fmt.Sprintf("spawn %d (PCID %d)", o.pid, o.asid)
	}
	return fmt.Sprintf("%s %d", o.kind, o.pid)
}

// play runs script on m: "run" switches to the process and gives it a
// time slice.
func (m *machine) play(script []op) error {
	for _, o := range script {
		var err error
		switch o.kind {
		case "spawn":
			err = m.spawn(o.pid, o.asid)
		case "exit":
			err = m.exit(o.pid)
		case "run":
			if m.procs[o.pid] == nil {
				return fmt.Errorf("run %d: no such process (have %v)", o.pid, slices.Sorted(maps.Keys(m.procs)))
			}
			if err = m.switchTo(o.pid); err == nil {
				if err = m.check(); err == nil {
					err = m.slice()
				}
			}
		}
		if err != nil {
			return err
		}
	}
	return nil
}

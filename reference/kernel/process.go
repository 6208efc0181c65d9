package kernel

import (
	"fmt"
	"maps"
	"slices"

	"github.com/vmkata/vmkata/vm"
)

// Process is one process's memory state: its process control block as far
// as memory goes (Linux's mm_struct). Owner: the Kernel; every field
// changes only through Kernel methods.
//
// Where is the page table stored? In physical frames (the radix table's
// pages come from the kernel's page-table pool); the process holds its root,
// and a context switch loads that root into the CPU's CR3 (Switch). The TLB
// is not part of the process: it is per-CPU hardware.
type Process struct {
	pid  int
	name string
	asid vm.ASID   // PCID (1..vm.MaxPCID). Invariant: unique among live processes.
	pt   *table    // the page table. Invariant: every present leaf lies in a VMA and is in its frame's rmap.
	vmas vm.VMASet // the VMAs (Config.NewVMASet built the set)

	// swap holds the swap entries of pages that were swapped out: the slot
	// their bytes are in. Invariant: each vpn lies in a VMA and has no
	// present PTE; each slot's count includes this entry.
	swap map[vm.VPN]int
	// hidden holds the resident pages of PROT_NONE ranges: Linux keeps them
	// in non-present PTEs with the frame number (_PAGE_PROTNONE); the radix
	// table cannot keep a non-present entry, so the model keeps them here.
	// Invariant: each is in its frame's rmap; no present PTE for the vpn.
	hidden map[vm.VPN]vm.PFN

	brkStart vm.VAddr // the heap's start: the page after bss
	brk      vm.VAddr // the program break; the heap VMA is [brkStart, pageUp(brk)) when brk > brkStart
	rss      int      // resident pages mapped (the zero page excluded). Invariant: == PTEs and hidden entries mapping user frames.
	cpus     uint64   // CPUs whose TLB may hold p's translations (mm_cpumask)
	lastCPU  int
	// committed is p's part of the commit charge (private writable VMA pages).
	committed uint64
}

// Pid returns the process id.
func (p *Process) Pid() int { return p.pid }

// Image describes a program for Exec: files of the kernel's file system
// holding its text and initialized data, and the sizes of its bss and
// initial stack. Exec maps them lazily; nothing is read until a fault.
type Image struct {
	Name  string // the program's name (for listings); default the text file's name
	Text  string // file holding the code, mapped r-x private at TextBase; "" for none
	Data  string // file holding initialized data, mapped rw- private after the text; "" for none
	BSS   uint64 // bytes of zero-initialized data after the data (anonymous)
	Stack uint64 // bytes of initial stack below StackTop; default one page
}

// Layout of every address space (the classic diagram of a process's memory, low to high): text at
// TextBase, data, bss, the heap from the page after bss growing up, the
// mmap area from MmapBase, and the stack growing down from StackTop.
//
// TextBase is 0x400000 as in x86-64 Linux executables. The user range ends
// at 2^(VABits-1) - one page (0x7ffffffff000 on x86-64, the kernel owning
// the upper half); StackTop is its end. MmapBase is a third of the user
// range, Linux's TASK_UNMAPPED_BASE of the legacy (bottom-up) layout.
func (k *Kernel) TextBase() vm.VAddr {
	if b := vm.VAddr(0x400000); b < k.userEnd()/8 {
		return b
	}
	return k.pageUp(k.userEnd() / 8)
}

// StackTop returns the top of the stack (the end of the user range).
func (k *Kernel) StackTop() vm.VAddr { return k.userEnd() }

// MmapBase returns the hint for mmap without an address.
func (k *Kernel) MmapBase() vm.VAddr { return k.pageAlign(k.userEnd() / 3) }

func (k *Kernel) userEnd() vm.VAddr {
	bits := k.geo.VABits
	if k.geo.SignExtended {
		bits--
	}
	return vm.VAddr(uint64(1)<<bits - k.pageSize)
}

func (k *Kernel) userRange() vm.AddrRange {
	return vm.AddrRange{Start: vm.VAddr(k.pageSize), End: k.userEnd()}
}

func (k *Kernel) pageUp(va vm.VAddr) vm.VAddr { return k.pageAlign(va + vm.VAddr(k.pageSize-1)) }

// Spawn creates a process and execs img in it: a new address space (an
// empty radix page table in physical frames, its root kept in the process)
// with the image's VMAs. It returns the new pid.
func (k *Kernel) Spawn(img Image) (int, error) {
	p, err := k.newProcess(img.Name)
	if err != nil {
		return 0, err
	}
	if err := k.exec(p, img); err != nil {
		k.teardown(p)
		p.pt.Free()
		k.asids[p.asid] = false
		return 0, err
	}
	k.procs[p.pid] = p
	k.emit(ev(EvSpawn, p.pid, 0))
	return p.pid, nil
}

// newProcess builds a process with an empty address space; the caller adds
// it to k.procs.
func (k *Kernel) newProcess(name string) (*Process, error) {
	asid := slices.Index(k.asids, false)
	if asid < 0 {
		return nil, fmt.Errorf("kernel: all %d PCIDs in use: %w", len(k.asids)-1, ErrNoMemory)
	}
	pt, err := k.newTable()
	if err != nil {
		return nil, fmt.Errorf("kernel: page table for a new process: %w", err)
	}
	set, err := k.cfg.NewVMASet(k.geo.PageSize(), k.userRange())
	if err != nil {
		pt.Free()
		return nil, fmt.Errorf("kernel: VMA set for a new process: %w", err)
	}
	k.asids[asid] = true
	p := &Process{pid: k.nextPid, name: name, asid: vm.ASID(asid), pt: pt, vmas: set,
		swap: make(map[vm.VPN]int), hidden: make(map[vm.VPN]vm.PFN)}
	k.nextPid++
	return p, nil
}

// Exec implements the semantics of Linux's execve(2) on memory: the old
// address space is torn down and the image mapped lazily: VMAs only, no
// page read (the first touch of each page faults it in from the file's page
// cache, or zero-fills it).
func (k *Kernel) Exec(pid int, img Image) error {
	p, err := k.process(pid)
	if err != nil {
		return err
	}
	for _, name := range []string{img.Text, img.Data} {
		if _, ok := k.files[name]; name != "" && !ok {
			return fmt.Errorf("kernel: exec %q: %w", name, ErrNoFile)
		}
	}
	if _, err := k.runOn(p); err != nil {
		return err
	}
	k.teardown(p)
	return k.exec(p, img)
}

func (k *Kernel) exec(p *Process, img Image) error {
	if img.Name != "" {
		p.name = img.Name
	} else if img.Text != "" {
		p.name = img.Text
	}
	at := k.TextBase()
	mapFile := func(name string, perm vm.Perm, role vm.Role) error {
		if name == "" {
			return nil
		}
		f, ok := k.files[name]
		if !ok {
			return fmt.Errorf("kernel: exec %q: %w", name, ErrNoFile)
		}
		size := k.pageUp(vm.VAddr(max(len(f.data), 1)))
		v := vm.VMA{Range: vm.AddrRange{Start: at, End: at + size}, Perm: perm, Backing: vm.BackingFile, File: name, Role: role}
		if _, err := p.vmas.Map(v, true); err != nil {
			return fmt.Errorf("kernel: exec: mapping %s: %w", name, err)
		}
		at += size
		return nil
	}
	if err := mapFile(img.Text, vm.PermRX, vm.RoleText); err != nil {
		return err
	}
	if err := mapFile(img.Data, vm.PermRW, vm.RoleData); err != nil {
		return err
	}
	if img.BSS > 0 {
		size := k.pageUp(vm.VAddr(img.BSS))
		v := vm.VMA{Range: vm.AddrRange{Start: at, End: at + size}, Perm: vm.PermRW, Role: vm.RoleBSS}
		if _, err := p.vmas.Map(v, true); err != nil {
			return fmt.Errorf("kernel: exec: mapping bss: %w", err)
		}
		at += size
	}
	p.brkStart, p.brk = at, at
	stack := k.pageUp(vm.VAddr(max(img.Stack, k.pageSize)))
	top := k.StackTop()
	v := vm.VMA{Range: vm.AddrRange{Start: top - stack, End: top}, Perm: vm.PermRW, Role: vm.RoleStack, GrowsDown: true}
	if _, err := p.vmas.Map(v, true); err != nil {
		return fmt.Errorf("kernel: exec: mapping the stack: %w", err)
	}
	if err := k.charge(p, 0); err != nil {
		return err
	}
	k.recount(p)
	if k.observing() {
		e := ev(EvExec, p.pid, 0)
		e.Detail = fmt.Sprintf("%s mapped lazily: %d VMAs, no page loaded", p.name, p.vmas.Len())
		k.emit(e)
	}
	return nil
}

// Exit implements the semantics of Linux's exit(2) on memory: every page
// mapping is dropped (a frame no one else maps goes back to the free list),
// every swap entry released, the page-table pages freed, the PCID released
// (stale, to be flushed where it is next loaded, on every CPU that may
// hold its entries).
func (k *Kernel) Exit(pid int) error {
	p, err := k.process(pid)
	if err != nil {
		return err
	}
	k.destroy(p, fmt.Errorf("kernel: pid %d exited: %w", pid, ErrNoProcess))
	k.emit(ev(EvExit, pid, 0))
	return nil
}

// destroy frees everything p holds and records why it is gone. p leaves
// the CPUs first, so the teardown invalidates no TLB entry page by page
// (Linux's full-mm teardown): without PCIDs leaving flushed them, with
// PCIDs the PCID is stale wherever p's entries may remain.
func (k *Kernel) destroy(p *Process, why error) {
	k.dropFromCPUs(p)
	k.teardown(p)
	p.pt.Free()
	k.asids[p.asid] = false
	delete(k.procs, p.pid)
	k.dead[p.pid] = why
}

// teardown drops every page of p's address space and every VMA: what exit
// and exec do (Linux's exit_mmap).
func (k *Kernel) teardown(p *Process) {
	var present []vm.Mapping
	for m := range p.pt.Mappings() {
		present = append(present, m)
	}
	k.batch()
	for _, m := range present {
		k.unmapPTE(p, m.VA, true)
	}
	k.endBatch()
	for _, vpn := range slices.Sorted(maps.Keys(p.hidden)) {
		k.dropHidden(p, vpn)
	}
	for vpn, slot := range p.swap {
		k.swap.put(slot)
		delete(p.swap, vpn)
	}
	for _, v := range slices.Collect(p.vmas.All()) {
		_, _ = p.vmas.Unmap(v.Range)
	}
	p.brk, p.brkStart = 0, 0
	k.recount(p)
}

// process returns the live process pid, or an error saying why there is none.
func (k *Kernel) process(pid int) (*Process, error) {
	if p, ok := k.procs[pid]; ok {
		return p, nil
	}
	if why, ok := k.dead[pid]; ok {
		return nil, why
	}
	return nil, fmt.Errorf("kernel: pid %d: %w", pid, ErrNoProcess)
}

// Pids returns the live pids in increasing order.
func (k *Kernel) Pids() []int { return slices.Sorted(maps.Keys(k.procs)) }

// RSS returns the resident set size of pid in pages: the user frames its
// page table (and its PROT_NONE ranges) map, shared ones included, the zero
// page excluded.
func (k *Kernel) RSS(pid int) (int, error) {
	p, err := k.process(pid)
	if err != nil {
		return 0, err
	}
	return p.rss, nil
}

// Swapped returns the number of pid's pages that are in swap.
func (k *Kernel) Swapped(pid int) (int, error) {
	p, err := k.process(pid)
	if err != nil {
		return 0, err
	}
	return len(p.swap), nil
}

// VMAs returns pid's VMAs in address order.
func (k *Kernel) VMAs(pid int) ([]vm.VMA, error) {
	p, err := k.process(pid)
	if err != nil {
		return nil, err
	}
	return slices.Collect(p.vmas.All()), nil
}

// PageTableRoot returns the physical address of pid's page-table root: the
// value kept in its process control block and loaded into CR3.
func (k *Kernel) PageTableRoot(pid int) (vm.PAddr, error) {
	p, err := k.process(pid)
	if err != nil {
		return 0, err
	}
	return p.pt.Root(), nil
}

// String prints e.g. "pid 2 (/bin/app)".
func (p *Process) String() string { return fmt.Sprintf("pid %d (%s)", p.pid, p.name) }

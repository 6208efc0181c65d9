// Package mmu is the reference memory-management unit: the hardware that
// sits between the CPU and memory and turns every virtual address a program
// issues into a physical one (an implementation of vm.MMU).
//
// One translation, as the textbooks draw it:
//
//	VA ──canonical?──no──► #GP (vm.FaultNonCanonical)
//	 │yes
//	 ▼
//	TLB lookup (ASID = current PCID) ──hit──► permission check on the entry ──ok──► PA
//	 │miss                                        │write through a clean entry: walk again to set D
//	 ▼                                            │denied: page fault (the entry is dropped)
//	page walk from CR3 (one memory reference per level)
//	 │ not present / reserved bit / permission denied ──► page fault (vm.Fault with x86 error code)
//	 ▼
//	set A on the path (and D on the leaf for a write), insert into the TLB ──► PA
//
// With MMUConfig.SoftwareTLB the middle box changes: on a miss the MMU does
// not walk but calls MMUConfig.Refill, the operating system's TLB-miss
// handler (MIPS), and retries the lookup once.
//
// The usage idiom, with the reference parts:
//
//	mem, _ := phys.NewMemory(1024, vm.Size4K)
//	frames, _ := phys.NewFreeList(mem.Frames())
//	pt, _ := pagetable.NewRadix(vm.X86_64, mem, frames) // one per process
//	t, _ := tlb.New(vm.TLBConfig{Entries: 64, Ways: 4})  // one per CPU
//	m, err := mmu.New(vm.MMUConfig{Geometry: vm.X86_64, TLB: t, Mem: mem, Cost: vm.DefaultCost})
//	if err != nil { … }
//	m.LoadCR3(pt, 0, false)             // the context switch
//	pa, err := m.Translate(va, vm.UserRead)
//	var f *vm.Fault
//	if errors.As(err, &f) { … }         // the page-fault handler's input: f.Addr, f.Code
//	err = m.Store(va, []byte("hi"), true)
//	fmt.Println(m.Stats())              // hits, misses, walks, cycles
//
// Where things live (questions learners ask). The page table lives in
// physical frames like any other data: a radix table is a tree of frames
// (reference/pagetable). The operating system keeps, for each process, a
// pointer to its table's root in the process control block (PCB) — not
// the table itself. On a context switch it loads the root's physical
// address (vm.PageTable.Root) into the MMU's page-table base register, CR3
// on x86, which is what LoadCR3 models. The TLB is different: it is a
// per-CPU hardware cache inside the MMU, never saved in the PCB and never
// restored. Without PCIDs the switch simply flushes it (the new process
// starts cold, only global kernel entries survive); with PCIDs each entry
// is tagged with its process's PCID, so entries of several processes live
// side by side and a switch with the no-flush bit keeps them warm.
//
// Who replaces TLB entries? On x86 the hardware: the walker fills the TLB
// and the TLB picks its own victim; the operating system only flushes. On
// MIPS the operating system: its refill handler writes the entry and may
// choose the slot. SoftwareTLB selects the second design.
//
// Costs: every translation is priced with a vm.CostModel (see its doc) and
// the totals are in Stats. The pure functions EAT and EATWithTLB give the
// textbooks' effective access time formulas.
//
// The package imports only vm and the standard library. Translate allocates
// nothing on its hit and miss paths (a fault allocates its *vm.Fault). An
// MMU is not safe for concurrent use.
package mmu

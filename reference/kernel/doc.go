// Package kernel is the reference memory manager: a faithful, observable
// model of how Linux gives processes virtual memory on top of the
// reference MMU, TLB, page tables, frame allocator and replacement
// policies.
//
// It models:
//
//   - processes with address spaces (Spawn, Exec, Fork, Exit): a set of
//     VMAs laid out as in the textbook diagram (text, data, bss, heap, the
//     mmap area, the stack) and a radix page table stored in physical
//     frames, its root kept in the process and loaded into CR3 on a switch;
//   - page faults in the five steps of vm.FaultHandler: step 1 decided
//     once per fault (Config.ClassifyFault), the others done by the
//     handler (Config.FaultHandler) through the services of a
//     vm.FaultContext;
//   - demand paging: the shared zero page for reads of untouched anonymous
//     memory, zero-fill on first write, file pages through a page cache
//     shared between processes, swap with slots and a swap cache;
//   - copy-on-write fork with per-frame reference counts;
//   - mmap/munmap/mprotect/madvise, brk/sbrk, stack growth with a limit and
//     a guard gap, SIGSEGV (MAPERR, ACCERR) and SIGBUS as errors that kill
//     the process;
//   - overcommit modes and the OOM killer;
//   - several CPUs, each with its own MMU and TLB, PCIDs, and TLB
//     shootdowns when a page another CPU may cache is unmapped,
//     write-protected or evicted: an IPI to each CPU running the address
//     space, once per operation, and a flush deferred to the next switch-in
//     on a CPU that only caches it (Config.Shootdown decides);
//   - counters (Stats) and an event stream (Config.Observer) a learner can
//     follow step by step.
//
// The usage idiom:
//
//	k, err := kernel.New(kernel.Config{Frames: 64, SwapSlots: 128,
//		Files: map[string][]byte{"/bin/app": code}})
//	pid, err := k.Spawn(kernel.Image{Text: "/bin/app", BSS: 4096})
//	heap, _ := k.HeapStart(pid)
//	_, err = k.Brk(pid, heap+0x10000)
//	err = k.Write(pid, heap, []byte("hello")) // faults, zero-fills, restarts
//	child, err := k.Fork(pid)                 // pages shared copy-on-write
//	err = k.Write(child, heap, []byte("J"))   // copies exactly one page
//	err = k.Check()                           // every invariant holds
//
// Every part the kernel builds on sits behind a seam of Config, used only
// through its vm contract, the reference's by default: the page table
// (NewPageTable), each CPU's TLB and MMU (NewTLB, NewMMU), the policy
// (NewPolicy), the fault handler (FaultHandler, ClassifyFault), the VMA set
// (NewVMASet), brk (Brk), the frame allocator (FrameAllocator) and the
// context switch (Switcher). The exercises plug a learner's part into one
// of them; package parts plugs a whole set (exercise 20).
//
// Memory is split into the zero page (frame 0), a pool of frames for page
// tables (Config.TableFrames, kernel memory that is never paged) and the
// pageable frames (Config.Frames) that hold user pages and that the
// replacement policy manages.
//
// A Kernel is not safe for concurrent use. Bad arguments return errors
// wrapping ErrInvalid, ErrNoMemory, ErrNoProcess, … and never panic; a
// panic means a broken internal invariant.
package kernel

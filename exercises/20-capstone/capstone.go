//go:build !solution

// Package capstone is exercise 20: your whole virtual memory, end to end.
// You plug the parts you built in exercises 03-13 into the reference
// kernel (reference/kernel) in place of its own, and the kernel runs on
// them: processes fork, fault, copy on write, grow their heaps and stacks,
// swap, and are killed by SIGSEGV exactly as on the reference's parts.
//
// Read README.md first. Run the specs with:
//
//	go test ./exercises/20-capstone/
//
// Each function below supplies one part: it has the signature of the
// kernel.Config field the kernel builds that part with, and its body calls
// your own code of the exercise named (import your exercise's package, for
// example "github.com/vmkata/vmkata/exercises/04-tlb"). A function you
// leave as it is (panicking "not implemented") leaves the reference's part
// in the kernel, and the specs of that part earn nothing: every point here
// is for a part of yours. The comments below are your contract. Each rule
// starts with its id in square brackets, and the specs labelled with that
// id check it.
//
// Each part is checked twice: alone in the reference kernel (the other
// parts the reference's), so that a failure names the part at fault, and
// together with all your other parts, once every part is yours.
package capstone

import "github.com/vmkata/vmkata/vm"

// NewPageTable builds the empty page table of a new process: your radix
// table of exercise 03, in geometry g, its table pages taken from frames
// (the kernel's page-table pool) in mem.
//
// [rule:20.page-table] With your page table for every process (and the
// reference's other parts), every shipped scenario's story holds and two
// seeded operation sequences (on x86-64 and on x86-32) give the reference
// kernel's results and counters step by step, every invariant holding
// after each step: the kernel reads your tree from memory and the MMU
// walks it, so it must be in the format of exercise 03, built in g.
func NewPageTable(g vm.Geometry, mem vm.PhysMem, frames vm.FrameAllocator) (vm.PageTable, error) {
	panic("capstone.NewPageTable not implemented")
}

// NewTLB builds one CPU's TLB: your TLB of exercise 04, sized by cfg.
//
// [rule:20.tlb] With your TLBs (the reference's other parts), the
// scenarios and the sequences behave as on the reference kernel. The kernel
// calls NewTLB once per CPU, and each CPU needs a TLB of its own.
func NewTLB(cfg vm.TLBConfig) (vm.TLB, error) {
	panic("capstone.NewTLB not implemented")
}

// NewMMU builds one CPU's MMU: your MMU of exercise 05, over cfg (the
// geometry, that CPU's TLB, physical memory).
//
// [rule:20.mmu] With your MMUs (the reference's other parts), the
// scenarios and the sequences behave as on the reference kernel: every
// user access is translated by your MMU, through the TLB and the page
// table cfg gives it.
func NewMMU(cfg vm.MMUConfig) (vm.MMU, error) {
	panic("capstone.NewMMU not implemented")
}

// NewPolicy builds the replacement policy called name over frames frames:
// yours of exercises 06-08 and 18 ("fifo", "lru", "clock",
// "second-chance", "enhanced-clock", "lfu", "mfu", "aging", "arc",
// "sieve", "s3-fifo"), with their default tuning (no decay for lfu and
// mfu, an aging tick of frames accesses, S3-FIFO's default queue sizes).
//
// [rule:20.policy] For a name you have no policy for, NewPolicy returns an
// error wrapping vm.ErrInvalidConfig, and the kernel uses the reference's
// policy of that name. The policy part is yours when you serve at least
// one name: with your policies (the reference's other parts), the
// scenarios behave as on the reference kernel, and the sequence, run once
// with each policy you serve, too.
func NewPolicy(name string, frames int) (vm.Policy, error) {
	panic("capstone.NewPolicy not implemented")
}

// NewFaultHandler builds the page-fault handler: yours of exercise 10
// (demand paging of exercise 09 plus copy-on-write).
//
// [rule:20.fault-handler] With your handler (the reference's other
// parts), the scenarios and the sequences behave as on the reference kernel.
func NewFaultHandler() vm.FaultHandler {
	panic("capstone.NewFaultHandler not implemented")
}

// NewVMASet builds the empty VMA set of a new process: yours of exercise
// 11, with pages of pageSize, within limit.
//
// [rule:20.vma-set] The set keeps to limit (a fixed mapping past it is
// refused with vm.ErrOutOfRange), and with your VMA sets (the reference's
// other parts) the scenarios and the sequences behave as on the reference
// kernel.
func NewVMASet(pageSize vm.PageSize, limit vm.AddrRange) (vm.VMASet, error) {
	panic("capstone.NewVMASet not implemented")
}

// Brk decides brk(2): yours of exercise 12.
//
// [rule:20.brk] With your Brk (the reference's other parts), the
// scenarios and the sequences behave as on the reference kernel.
func Brk(s vm.VMASet, ps vm.PageSize, h vm.Heap, req vm.VAddr) (vm.Heap, vm.AddrRange, error) {
	panic("capstone.Brk not implemented")
}

// ClassifyFault is step 1 of the page-fault handler: yours of exercise 12.
//
// [rule:20.classify-fault] With your ClassifyFault (the reference's other
// parts), the scenarios and the sequences behave as on the reference kernel.
func ClassifyFault(s vm.VMASet, ps vm.PageSize, va vm.VAddr, a vm.Access, st vm.Stack) vm.Verdict {
	panic("capstone.ClassifyFault not implemented")
}

// NewFrameAllocator builds the allocator of the kernel's frames frames of
// pageable memory: your buddy allocator of exercise 13, with blocks of up
// to 2^9 frames (2 MiB of 4 KiB frames).
//
// [rule:20.frame-allocator] With your allocator (the reference's other
// parts), the scenarios and the sequences behave as on the reference kernel.
func NewFrameAllocator(frames int) (vm.FrameAllocator, error) {
	panic("capstone.NewFrameAllocator not implemented")
}

// The whole system: once every part above is yours, the kernel runs on
// all of them together.
//
// [rule:20.scenarios] Every shipped scenario script (examples/*.vms) runs
// on all your parts with its expected story holding, every invariant
// holding after every command.
//
// [rule:20.traces] The kit's real program traces (Valgrind lackey
// recordings of ls and sort), replayed through all your parts with fifo
// and with lru, give exactly the reference kernel's counters (faults,
// evictions, swap traffic) on the same configuration.
//
// [rule:20.sequences] Seeded operation sequences (spawn, fork, exit,
// mmap, munmap, mprotect, sbrk, reads and writes; on x86-64, on x86-32,
// on two CPUs with PCIDs) give on all your parts the reference kernel's
// results and counters step by step, every invariant holding after each.
var _ struct{}

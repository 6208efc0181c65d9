// Package vm is the shared vocabulary of vmkata: the types, constants, errors
// and contracts that the reference implementation, the learner exercises, the
// specs and the tools all speak.
//
// It holds no algorithm. Splitting an address, walking a page table, choosing
// a TLB victim or a page to evict all live in the reference packages (and in
// the exercises that ask a learner to write them); vm only names the things
// they work on and the seams between them:
//
//   - addresses: VAddr and PAddr are distinct types, so a virtual address can
//     never be passed where a physical one is expected; VPN and PFN number
//     pages and frames; AddrRange is a half-open range printed as
//     [0x1000, 0x3000).
//   - geometry: Geometry describes how a virtual address is cut into page-table
//     indices and a page offset (x86-32, x86-64 4- and 5-level, a textbook one).
//   - permissions and accesses: Perm (rwxu), Access (what the CPU is doing).
//   - faults: Fault carries the faulting address, its kind and the x86 page-fault
//     error code; the sentinel errors classify it for errors.Is.
//   - page-table entries: PTE is an 8-byte x86-64 entry with its flag bits.
//   - contracts: PhysMem, FrameAllocator, PageTable and TLB are the interfaces
//     that larger systems take their parts through, so that one part can be a
//     learner's and the rest the reference's.
//
// Every value type prints for people (String methods), because specs print the
// operations and values they drew when a property fails.
package vm

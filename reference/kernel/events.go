package kernel

import (
	"fmt"
	"strings"

	"github.com/vmkata/vmkata/vm"
)

// EventType names one significant step of the memory manager. The names are
// stable: tools print them and emit them as the "type" field of JSON events.
type EventType string

// The event types, in roughly the order a page meets them.
const (
	EvSpawn       EventType = "spawn"         // a process was created (Spawn, Fork)
	EvExec        EventType = "exec"          // an image was mapped lazily (Exec)
	EvExit        EventType = "exit"          // a process exited and freed its memory
	EvSwitch      EventType = "switch"        // a CPU loaded a process's page-table root into CR3
	EvFault       EventType = "fault"         // the MMU raised a page fault (Detail: kind and access)
	EvZeroPage    EventType = "zero_page"     // a read of untouched anonymous memory mapped the shared zero page
	EvZeroFill    EventType = "zero_fill"     // a fresh frame was cleared for anonymous memory
	EvFileRead    EventType = "file_read"     // a file page was read into the page cache (major fault)
	EvCacheHit    EventType = "cache_hit"     // a file page was found in the page cache (minor fault)
	EvCOWCopy     EventType = "cow_copy"      // a write to a shared page copied it into a private frame
	EvCOWReuse    EventType = "cow_reuse"     // a write to a page no one else maps just made it writable
	EvSwapIn      EventType = "swap_in"       // a page was read back from a swap slot (major fault)
	EvSwapOut     EventType = "swap_out"      // a dirty anonymous victim was written to a swap slot
	EvWriteback   EventType = "writeback"     // a dirty file page was written back to its file
	EvEvict       EventType = "evict"         // the replacement policy chose a victim and its frame was freed
	EvStackGrow   EventType = "stack_grow"    // the stack VMA grew down to cover a fault below it
	EvSegv        EventType = "segv"          // SIGSEGV: no VMA (MAPERR) or a permission the VMA lacks (ACCERR)
	EvSigbus      EventType = "sigbus"        // SIGBUS: access to a file mapping past the end of the file
	EvOOMKill     EventType = "oom_kill"      // the OOM killer chose a process and killed it
	EvShootdown   EventType = "tlb_shootdown" // another CPU's TLB entries were invalidated by IPI
	EvTLBFlush    EventType = "tlb_flush"     // the local CPU invalidated TLB entries (INVLPG or a full flush)
	EvMmap        EventType = "mmap"          // mmap(2) created a VMA
	EvMunmap      EventType = "munmap"        // munmap(2) removed a range
	EvMprotect    EventType = "mprotect"      // mprotect(2) changed permissions
	EvMadvise     EventType = "madvise"       // madvise(2) dropped or pre-paged a range
	EvBrk         EventType = "brk"           // brk(2) moved the program break
	EvMapPage     EventType = "map"           // a page-table entry was installed (the restart can proceed)
	EvUnmapPage   EventType = "unmap"         // a page-table entry was removed
	EvProtectPage EventType = "protect"       // a page-table entry's permissions changed (write-protect for COW)
)

// Event is one step of the memory manager, for a learner to follow: which
// process, which address, which frame or swap slot, and a sentence. Fields
// that do not apply are zero (PFN and Slot are -1 when not meaningful).
type Event struct {
	Seq    uint64    // 1, 2, 3, … in the order the kernel did things
	Type   EventType // what happened
	Pid    int       // the process concerned; 0 for the kernel itself
	CPU    int       // the CPU the step ran on
	Addr   vm.VAddr  // the virtual address concerned (page-aligned for page steps)
	PFN    int64     // the frame concerned, or -1
	Slot   int       // the swap slot concerned, or -1
	Detail string    // a sentence: the reason, the victim, the fault kind …
}

// String prints the event on one line, e.g.
// "#12 cpu0 pid 2 cow_copy 0x601000 pfn 0x41: write to a page shared by 2; copied".
func (e Event) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "#%d cpu%d", e.Seq, e.CPU)
	if e.Pid != 0 {
		fmt.Fprintf(&b, " pid %d", e.Pid)
	}
	fmt.Fprintf(&b, " %s", e.Type)
	if e.Addr != 0 {
		fmt.Fprintf(&b, " %v", e.Addr)
	}
	if e.PFN >= 0 {
		fmt.Fprintf(&b, " pfn %#x", e.PFN)
	}
	if e.Slot >= 0 {
		fmt.Fprintf(&b, " slot %d", e.Slot)
	}
	if e.Detail != "" {
		b.WriteString(": ")
		b.WriteString(e.Detail)
	}
	return b.String()
}

// emit numbers ev and hands it to the observer, if any. Details are built
// only when someone listens (see k.observing), so that the hot paths
// allocate nothing without an observer.
func (k *Kernel) emit(ev Event) {
	k.seq++
	if k.observer == nil {
		return
	}
	ev.Seq = k.seq
	ev.CPU = k.cpu
	k.observer(ev)
}

// observing reports whether anyone listens to events: callers that would
// format a Detail check it first.
func (k *Kernel) observing() bool { return k.observer != nil }

// ev is a shorthand for an event with no frame and no slot.
func ev(t EventType, pid int, va vm.VAddr) Event {
	return Event{Type: t, Pid: pid, Addr: va, PFN: -1, Slot: -1}
}

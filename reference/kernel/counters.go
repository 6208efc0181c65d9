package kernel

import (
	"fmt"
	"strings"
)

// Stats counts what the memory manager has done since New. Every field is
// monotonic except the gauges marked "now".
//
// The textbook distinction: a minor fault is resolved without I/O (zero
// page, fresh zero-filled frame, page found in the page cache, copy-on-write,
// stack growth), a major fault needs I/O (reading a file page or a swap
// slot). Faults that end in a signal are counted in Segv/Sigbus, not in
// Minor/Major.
type Stats struct {
	Faults           uint64 // page faults the MMU raised (every kind)
	MinorFaults      uint64 // faults resolved without I/O
	MajorFaults      uint64 // faults that read a file page or a swap slot
	ZeroPageMaps     uint64 // reads of untouched anonymous memory mapped to the shared zero page
	ZeroFills        uint64 // frames cleared for anonymous memory (first write)
	COWCopies        uint64 // write faults that copied a shared page (or the zero page) into a new frame
	COWReuses        uint64 // write faults on a copy-on-write page no one else mapped: made writable, no copy
	FileReads        uint64 // file pages read into the page cache
	CacheHits        uint64 // file pages found already in the page cache
	SwapIns          uint64 // pages read back from swap
	SwapOuts         uint64 // pages written to swap
	Writebacks       uint64 // dirty file pages written back to their files
	Evictions        uint64 // frames reclaimed through the replacement policy
	StackGrowths     uint64 // faults that grew a stack VMA
	Segv             uint64 // SIGSEGVs delivered (MAPERR and ACCERR)
	Sigbus           uint64 // SIGBUSes delivered
	OOMKills         uint64 // processes killed by the OOM killer
	Shootdowns       uint64 // TLB shootdown IPIs: flushes now on a CPU other than the one doing the work
	LocalFlushes     uint64 // TLB flushes now on the CPU doing the work (INVLPG, or all of an address space)
	DeferredFlushes  uint64 // flushes left to a CPU's next switch-in to the address space (lazy: no IPI)
	CR3Loads         uint64 // context switches that loaded CR3
	Forks            uint64 // successful Fork calls
	TableBytesCopied uint64 // bytes of page-table pages built by Fork (pages themselves are shared, not copied)

	FreeFrames int // user frames free now
	SwapUsed   int // swap slots in use now
	Processes  int // live processes now
}

// String prints the counters as "name=value" pairs on one line.
func (s Stats) String() string {
	var b strings.Builder
	for _, f := range s.fields() {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%s=%d", f.Name, f.Value)
	}
	return b.String()
}

// Field is one named counter, for tools that print or serialize Stats.
type Field struct {
	Name  string
	Value uint64
}

// Fields returns every counter with a snake_case name, in a fixed order.
func (s Stats) Fields() []Field { return s.fields() }

func (s Stats) fields() []Field {
	return []Field{
		{"faults", s.Faults}, {"minor_faults", s.MinorFaults}, {"major_faults", s.MajorFaults},
		{"zero_page_maps", s.ZeroPageMaps}, {"zero_fills", s.ZeroFills},
		{"cow_copies", s.COWCopies}, {"cow_reuses", s.COWReuses},
		{"file_reads", s.FileReads}, {"cache_hits", s.CacheHits},
		{"swap_ins", s.SwapIns}, {"swap_outs", s.SwapOuts}, {"writebacks", s.Writebacks},
		{"evictions", s.Evictions}, {"stack_growths", s.StackGrowths},
		{"segv", s.Segv}, {"sigbus", s.Sigbus}, {"oom_kills", s.OOMKills},
		{"tlb_shootdowns", s.Shootdowns}, {"tlb_local_flushes", s.LocalFlushes},
		{"tlb_deferred_flushes", s.DeferredFlushes}, {"cr3_loads", s.CR3Loads},
		{"forks", s.Forks}, {"table_bytes_copied", s.TableBytesCopied},
		{"free_frames", uint64(s.FreeFrames)}, {"swap_used", uint64(s.SwapUsed)}, {"processes", uint64(s.Processes)},
	}
}

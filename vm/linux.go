package vm

import "fmt"

// LinuxVMA is one virtual memory area of a real Linux process, as
// /proc/PID/maps lists it, with the counters /proc/PID/smaps adds. The
// counters are in bytes (smaps prints kB) and are zero when the VMA was read
// from maps, which has none.
type LinuxVMA struct {
	Start, End VAddr  // the half-open range [Start, End)
	Perms      string // four letters: r, w, x or '-', then p (private) or s (shared), e.g. "rw-p"
	Offset     uint64 // the offset in the file of Start (0 for anonymous memory)
	Dev        string // the file's device, "major:minor" in hex, e.g. "fd:01"; "00:00" when none
	Inode      uint64 // the file's inode number; 0 when none
	Path       string // the file, or a pseudo-name such as "[heap]"; "" for anonymous memory

	Rss           uint64 // resident in RAM now
	Pss           uint64 // proportional share: each resident page divided by the number of processes mapping it
	SharedClean   uint64 // resident, mapped by other processes too, unmodified
	SharedDirty   uint64 // resident, mapped by other processes too, modified
	PrivateClean  uint64 // resident, mapped by this process only, unmodified
	PrivateDirty  uint64 // resident, mapped by this process only, modified
	Anonymous     uint64 // resident pages that belong to no file (including private copies of file pages)
	AnonHugePages uint64 // anonymous memory mapped by transparent huge pages
	Swap          uint64 // swapped out
}

// Size is End - Start.
func (v LinuxVMA) Size() uint64 { return uint64(v.End - v.Start) }

// Contains reports whether Start <= a < End.
func (v LinuxVMA) Contains(a VAddr) bool { return v.Start <= a && a < v.End }

// String prints the VMA as maps does, e.g. "[0x7f00, 0x8000) rw-p anon"
// or "[0x400000, 0x401000) r-xp /usr/bin/cat @0x0".
func (v LinuxVMA) String() string {
	what := v.Path
	if what == "" {
		what = "anon"
	} else if v.Inode != 0 {
		what = fmt.Sprintf("%s @%#x", v.Path, v.Offset)
	}
	return fmt.Sprintf("[%#x, %#x) %s %s", uint64(v.Start), uint64(v.End), v.Perms, what)
}

// RegionKind is what a Linux VMA holds, read from its path column.
type RegionKind uint8

// Region kinds.
const (
	RegionAnon    RegionKind = iota // no path: anonymous memory (mmap'd, or the Go heap)
	RegionFile                      // a file, by absolute path
	RegionHeap                      // "[heap]": the brk area
	RegionStack                     // "[stack]": the main thread's stack
	RegionVDSO                      // "[vdso]": code the kernel maps into every process
	RegionSpecial                   // any other bracketed pseudo-name ("[vvar]", "[vsyscall]", "[anon:name]")
)

// String prints anon, file, heap, stack, vdso or special.
func (k RegionKind) String() string {
	switch k {
	case RegionAnon:
		return "anon"
	case RegionFile:
		return "file"
	case RegionHeap:
		return "heap"
	case RegionStack:
		return "stack"
	case RegionVDSO:
		return "vdso"
	case RegionSpecial:
		return "special"
	}
	return fmt.Sprintf("region(%d)", uint8(k))
}

// TouchReport is what a demand-paging experiment saw: the process's
// minor-fault counter before and after it touched Pages fresh pages at
// Addr.
type TouchReport struct {
	Addr        VAddr // the first touched page; the region is Pages pages long
	Pages       int
	MinorBefore uint64
	MinorAfter  uint64
}

// String prints e.g. "64 pages at 0x7f00: minor faults 120 -> 184".
func (r TouchReport) String() string {
	return fmt.Sprintf("%d pages at %#x: minor faults %d -> %d", r.Pages, uint64(r.Addr), r.MinorBefore, r.MinorAfter)
}

// DropReport is what a madvise(MADV_DONTNEED) experiment saw: the Rss of
// the region's VMA before and after, and whether every byte read back zero.
type DropReport struct {
	Addr      VAddr // the region's first page; the region is Pages pages long
	Pages     int
	RssBefore uint64 // bytes
	RssAfter  uint64 // bytes
	Zeroed    bool
}

// String prints e.g. "16 pages at 0x7f00: rss 65536 -> 0 bytes, zeroed".
func (r DropReport) String() string {
	z := "not zeroed"
	if r.Zeroed {
		z = "zeroed"
	}
	return fmt.Sprintf("%d pages at %#x: rss %d -> %d bytes, %s", r.Pages, uint64(r.Addr), r.RssBefore, r.RssAfter, z)
}

// FaultReport is what a fault experiment saw: the mapping it made and the
// address the runtime reported for the fault it caught.
type FaultReport struct {
	Addr      VAddr  // the mapping's first page
	Len       uint64 // the mapping's length in bytes
	Path      string // the mapped file; "" for anonymous memory
	FaultAddr VAddr  // the faulting address; 0 when nothing faulted
	TailZero  bool   // (file mappings) the bytes past the end of the file, in its last page, read zero
}

// String prints e.g. "[0x7f00, 0x8f00) /tmp/f: fault at 0x8000".
func (r FaultReport) String() string {
	what := r.Path
	if what == "" {
		what = "anon"
	}
	return fmt.Sprintf("[%#x, %#x) %s: fault at %#x", uint64(r.Addr), uint64(r.Addr)+r.Len, what, uint64(r.FaultAddr))
}

// FileMapReport is what a MAP_PRIVATE versus MAP_SHARED experiment saw:
// the first bytes of the file read with read(2), and through each mapping.
type FileMapReport struct {
	Path       string
	Private    VAddr // the MAP_PRIVATE mapping, one page
	Shared     VAddr // the MAP_SHARED mapping, one page
	File       string
	PrivateSee string
	SharedSee  string
}

// String prints e.g. `file "fs", private sees "pf", shared sees "fs"`.
func (r FileMapReport) String() string {
	return fmt.Sprintf("file %q, private sees %q, shared sees %q", r.File, r.PrivateSee, r.SharedSee)
}

// HugeReport is what a transparent-huge-page experiment saw: the
// AnonHugePages of the VMA holding Addr after one touch.
type HugeReport struct {
	Addr          VAddr  // the 2 MiB-aligned region's start
	Len           uint64 // its length, 2 MiB
	AnonHugePages uint64 // bytes
}

// String prints e.g. "2 MiB at 0x7f00000: AnonHugePages 2097152".
func (r HugeReport) String() string {
	return fmt.Sprintf("%d KiB at %#x: AnonHugePages %d", r.Len>>10, uint64(r.Addr), r.AnonHugePages)
}

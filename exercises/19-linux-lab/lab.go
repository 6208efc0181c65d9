//go:build !solution

// Package linuxlab is exercise 19: small experiments that make this
// machine's own Linux kernel show what the simulator's parts do — the VMAs
// of /proc/self/maps and /proc/self/smaps, demand paging counted in minor
// faults, copy-on-write after fork, mprotect and the fault it causes,
// SIGBUS past the end of a mapped file, MAP_PRIVATE against MAP_SHARED,
// madvise(MADV_DONTNEED) and transparent huge pages.
//
// Read README.md first. Run the specs with:
//
//	go test ./exercises/19-linux-lab/
//
// The parsers need nothing but strings. The experiments need Linux and
// make system calls through golang.org/x/sys/unix (unix.Mmap,
// unix.Mprotect, unix.Madvise, unix.Getrusage), which this exercise may
// import, as it may import runtime/debug for SetPanicOnFault; on another
// system the specs skip them and say why. The specs check what your code
// reports against what the kernel itself reports, read by trusted code in
// the same process.
//
// Each rule of the contract starts with its id in brackets, "rule:19."
// and a short name; the specs labelled with that id check it, and
// README.md lists them.
package linuxlab

import "github.com/vmkata/vmkata/vm"

// MaxTouchPages bounds the regions of TouchFresh and DropPages: a region
// smaller than a huge page (2 MiB) is always mapped one 4 KiB page at a
// time, so touching N pages costs at least N faults.
const MaxTouchPages = 256

// HugeSize is the size of an x86-64 transparent huge page.
const HugeSize = 2 << 20

// ParseMaps parses the text of /proc/PID/maps, one VMA a line:
//
//	start-end perms offset dev inode [path]
//	7ffd4f2e1000-7ffd4f302000 rw-p 00000000 00:00 0                          [stack]
//
// Its rules:
//
//   - [rule:19.maps-fields] It returns one vm.LinuxVMA per line, in the
//     order of the lines: Start and End from the range (hex), Perms as
//     printed, Offset (hex), Dev as printed, Inode (decimal); the smaps
//     counters stay zero. Empty text is no VMAs and no error.
//   - [rule:19.maps-path] Path is the rest of the line after the inode
//     column, without the spaces that pad it to its column, every other
//     character kept: spaces inside a file name, a trailing " (deleted)",
//     pseudo-names such as "[heap]".
//   - [rule:19.maps-anon] A line that ends after the inode column is
//     anonymous memory: Path "".
//   - [rule:19.maps-bad-line] A line that is not of this form (fewer than
//     five columns, a range not in hex or with start > end, permissions that
//     are not r/-, w/-, x/-, p/s, an offset not in hex, a device not
//     major:minor in hex, an inode not decimal) makes ParseMaps return nil
//     and an error that names the line's number, counting from 1
//     ("line 3").
func ParseMaps(text string) ([]vm.LinuxVMA, error) {
	// TODO: split the text into lines, and each line into its columns.
	panic("ParseMaps not implemented")
}

// ParseSmaps parses the text of /proc/PID/smaps: each VMA's maps line,
// followed by lines "Name:   value" about it.
//
//   - [rule:19.smaps-header] Every maps line starts a new VMA, parsed as
//     ParseMaps does; the field lines after it belong to it.
//   - [rule:19.smaps-bytes] The fields Rss, Pss, Shared_Clean, Shared_Dirty,
//     Private_Clean, Private_Dirty, Anonymous, AnonHugePages and Swap set
//     the counters of the same names, in bytes: smaps prints kB, 1024
//     bytes each.
//   - [rule:19.smaps-other-fields] Every other field line (Size,
//     KernelPageSize, Referenced, THPeligible, VmFlags, …) is skipped,
//     whatever its value.
//   - [rule:19.smaps-bad-line] A field of the list above whose value is not
//     "N kB", a field line before any maps line, or a maps line that
//     ParseMaps would refuse makes ParseSmaps return nil and an error that
//     names the line's number, counting from 1.
func ParseSmaps(text string) ([]vm.LinuxVMA, error) {
	// TODO: tell a field line ("Name:" with no space or '-' in Name) from a
	// maps line.
	panic("ParseSmaps not implemented")
}

// Classify says what v holds, from its path.
//
//   - [rule:19.classify] No path is vm.RegionAnon; "[heap]" is
//     vm.RegionHeap, "[stack]" vm.RegionStack, "[vdso]" vm.RegionVDSO; any
//     other path that starts with '[' is vm.RegionSpecial ("[vvar]",
//     "[vsyscall]", "[anon:name]"); anything else is vm.RegionFile.
func Classify(v vm.LinuxVMA) vm.RegionKind {
	// TODO
	panic("Classify not implemented")
}

// ReadSmaps reads and parses (with ParseSmaps) /proc/PID/smaps.
//
//   - [rule:19.read-smaps] It returns the VMAs the kernel lists for pid
//     now; pid 0 is the calling process (/proc/self/smaps).
//   - [rule:19.read-smaps-bad-pid] A negative pid is refused with an error
//     wrapping vm.ErrOutOfRange; a pid with no process is an error (its
//     file does not exist).
//   - [rule:19.cow-fork] So it shows copy-on-write: when a process has
//     written a private anonymous region and then forked, each of the two
//     reads the region's pages as SharedDirty (mapped by both, modified
//     before the fork) and none as PrivateDirty; once the child has written
//     every page, each reads them all as PrivateDirty and none as shared:
//     the child's writes made it copies, and the parent's pages are mapped
//     once again.
func ReadSmaps(pid int) ([]vm.LinuxVMA, error) {
	// TODO: os.ReadFile, then ParseSmaps.
	panic("ReadSmaps not implemented")
}

// MinorFaults returns the calling process's minor-fault count.
//
//   - [rule:19.minor-faults] It is the count of minor page faults of the
//     whole process, every thread together, as getrusage(RUSAGE_SELF)
//     reports it in ru_minflt: a count, not a size; it never decreases, and
//     it lies between two other readings of the same counter taken before
//     and after the call.
func MinorFaults() (uint64, error) {
	// TODO: unix.Getrusage.
	panic("MinorFaults not implemented")
}

// The experiments below that map anonymous memory share one rule:
//
//   - [rule:19.own-vma] TouchFresh, DropPages and ProtectFault each map a
//     fresh region of private anonymous memory with an inaccessible guard
//     page (PROT_NONE) just below it and just above it, so that the kernel
//     cannot merge the region with a neighbour: the region is a VMA of its
//     own, exactly [Addr, Addr + pages × page size). They leave it mapped
//     and return Addr; the caller unmaps it.
//   - [rule:19.bad-size] TouchFresh and DropPages refuse pages outside
//     1..MaxTouchPages, ProtectFault an offset outside the page, and
//     BusPastEOF a size outside 1..page size − 1, with an error wrapping
//     vm.ErrOutOfRange.

// TouchFresh shows demand paging.
//
//   - [rule:19.demand-paging] It maps pages fresh pages (see own-vma), reads
//     MinorFaults, writes one byte in each page, and reads MinorFaults
//     again. The kernel maps a fresh anonymous page on its first touch, one
//     fault per 4 KiB page (the region is smaller than a huge page), so
//     MinorAfter − MinorBefore >= Pages (other threads may add faults of
//     their own), and afterwards every page of the region is resident.
func TouchFresh(pages int) (vm.TouchReport, error) {
	// TODO: unix.Mmap, then unix.Mprotect the two guard pages.
	panic("TouchFresh not implemented")
}

// DropPages shows madvise(MADV_DONTNEED) on anonymous memory.
//
//   - [rule:19.dontneed] It maps pages fresh pages (see own-vma), writes a
//     non-zero byte in every page, reads the Rss of the region's VMA from
//     /proc/self/smaps (every page resident: pages × page size), calls
//     madvise(MADV_DONTNEED) on the region, reads the Rss again (0: the
//     pages are gone), and then reads every byte of the region: the
//     kernel gives private anonymous memory back as fresh zero pages, so
//     Zeroed is true.
func DropPages(pages int) (vm.DropReport, error) {
	// TODO
	panic("DropPages not implemented")
}

// ProtectFault shows mprotect and a protection fault caught safely.
//
//   - [rule:19.mprotect-fault] It maps one fresh page (see own-vma),
//     writes value at offset, makes the page read-only with mprotect
//     (PROT_READ), and writes value+1 at offset with
//     debug.SetPanicOnFault(true), which turns the fault into a panic
//     whose value has an Addr() method; it recovers, restores the previous
//     setting, and returns the fault's address, Addr + offset. The page is
//     left read-only ("r--p") and still holds value. A write that does not
//     fault is an error.
func ProtectFault(offset int, value byte) (vm.FaultReport, error) {
	// TODO
	panic("ProtectFault not implemented")
}

// BusPastEOF shows SIGBUS past the end of a mapped file.
//
//   - [rule:19.sigbus] It creates a file of size bytes (not zero) in dir,
//     maps two pages of it MAP_SHARED and read-only, and reads the bytes
//     size..page size − 1 of the first page: past the end of the file, yet
//     in its last page, they read zero (TailZero). Then it reads the first
//     byte of the second page, wholly past the end of the file: the kernel
//     raises SIGBUS, which SetPanicOnFault turns into a panic too; FaultAddr
//     is Addr + page size. It returns the file's path and leaves the
//     mapping, two pages long, mapped. A read that does not fault is an
//     error.
func BusPastEOF(dir string, size int) (vm.FaultReport, error) {
	// TODO
	panic("BusPastEOF not implemented")
}

// PrivateVsShared shows MAP_PRIVATE against MAP_SHARED on a real file.
//
//   - [rule:19.private-shared] It creates a file of one page of 'f' bytes
//     in dir and maps it twice, read-write: MAP_PRIVATE and MAP_SHARED
//     (leaving both mapped). It writes 'p' at byte 0 through the private
//     mapping, then 's' at byte 1 through the shared one, and reports the
//     first two bytes of the file read with pread (File), and of each
//     mapping: File "fs" and SharedSee "fs" (a shared write goes to the
//     page cache, which is the file), PrivateSee "pf" (the private write
//     made the mapping a copy of its own, anonymous now, which the later
//     shared write does not reach).
func PrivateVsShared(dir string) (vm.FileMapReport, error) {
	// TODO
	panic("PrivateVsShared not implemented")
}

// HugePage shows a transparent huge page.
//
//   - [rule:19.thp] It maps 2 × HugeSize of private anonymous memory, keeps
//     the HugeSize-aligned HugeSize inside it (the rest made inaccessible
//     with mprotect, so the aligned part is a VMA of its own), asks for
//     huge pages there with madvise(MADV_HUGEPAGE), writes one byte, and
//     returns the AnonHugePages of the VMA from /proc/self/smaps: with the
//     kernel's THP mode "always" or "madvise" and 2 MiB of free contiguous
//     memory, that one write faulted in a whole huge page, so it is at
//     least HugeSize. Addr is the aligned start, Len HugeSize.
func HugePage() (vm.HugeReport, error) {
	// TODO
	panic("HugePage not implemented")
}

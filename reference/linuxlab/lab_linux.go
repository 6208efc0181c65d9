package linuxlab

import (
	"errors"
	"fmt"
	"os"
	"reflect"
	"runtime/debug"
	"strconv"

	"golang.org/x/sys/unix"

	"github.com/vmkata/vmkata/vm"
)

// ReadSmaps reads and parses /proc/PID/smaps; pid 0 is the calling process
// (/proc/self/smaps).
func ReadSmaps(pid int) ([]vm.LinuxVMA, error) {
	if pid < 0 {
		return nil, fmt.Errorf("read smaps of pid %d: %w", pid, vm.ErrOutOfRange)
	}
	name := "self"
	if pid > 0 {
		name = strconv.Itoa(pid)
	}
	b, err := os.ReadFile("/proc/" + name + "/smaps")
	if err != nil {
		return nil, err
	}
	return ParseSmaps(string(b))
}

// MinorFaults returns the calling process's minor-fault count, all threads
// together, as getrusage(RUSAGE_SELF) reports it.
func MinorFaults() (uint64, error) {
	var ru unix.Rusage
	if err := unix.Getrusage(unix.RUSAGE_SELF, &ru); err != nil {
		return 0, fmt.Errorf("getrusage: %w", err)
	}
	return uint64(ru.Minflt), nil
}

// region maps pages fresh pages of private anonymous memory, readable and
// writable, between two inaccessible guard pages, so that the region is a
// VMA of its own: the kernel merges it with no neighbour.
func region(pages int) ([]byte, error) {
	ps := os.Getpagesize()
	b, err := unix.Mmap(-1, 0, (pages+2)*ps, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE|unix.MAP_ANONYMOUS)
	if err != nil {
		return nil, fmt.Errorf("mmap %d pages: %w", pages+2, err)
	}
	if err := errors.Join(unix.Mprotect(b[:ps], unix.PROT_NONE), unix.Mprotect(b[(pages+1)*ps:], unix.PROT_NONE)); err != nil {
		return nil, fmt.Errorf("mprotect the guard pages: %w", err)
	}
	return b[ps : (pages+1)*ps], nil
}

func addrOf(b []byte) vm.VAddr { return vm.VAddr(reflect.ValueOf(b).Pointer()) }

// vmaAt returns the VMA of this process holding a, as smaps reports it.
func vmaAt(a vm.VAddr) (vm.LinuxVMA, error) {
	vmas, err := ReadSmaps(0)
	if err != nil {
		return vm.LinuxVMA{}, err
	}
	for _, v := range vmas {
		if v.Contains(a) {
			return v, nil
		}
	}
	return vm.LinuxVMA{}, fmt.Errorf("no VMA holds %#x: %w", uint64(a), vm.ErrNotMapped)
}

func checkPages(pages int) error {
	if pages < 1 || pages > MaxTouchPages {
		return fmt.Errorf("%d pages: want 1..%d: %w", pages, MaxTouchPages, vm.ErrOutOfRange)
	}
	return nil
}

// TouchFresh maps pages fresh pages (see region), reads the minor-fault
// count, writes one byte in each page, and reads the count again.
func TouchFresh(pages int) (vm.TouchReport, error) {
	if err := checkPages(pages); err != nil {
		return vm.TouchReport{}, err
	}
	b, err := region(pages)
	if err != nil {
		return vm.TouchReport{}, err
	}
	r := vm.TouchReport{Addr: addrOf(b), Pages: pages}
	if r.MinorBefore, err = MinorFaults(); err != nil {
		return vm.TouchReport{}, err
	}
	ps := os.Getpagesize()
	for i := 0; i < len(b); i += ps {
		b[i] = 1
	}
	if r.MinorAfter, err = MinorFaults(); err != nil {
		return vm.TouchReport{}, err
	}
	return r, nil
}

// DropPages maps pages fresh pages (see region), writes to every page, and
// reads the region's Rss before and after madvise(MADV_DONTNEED); then it
// reads the whole region back.
func DropPages(pages int) (vm.DropReport, error) {
	if err := checkPages(pages); err != nil {
		return vm.DropReport{}, err
	}
	b, err := region(pages)
	if err != nil {
		return vm.DropReport{}, err
	}
	ps := os.Getpagesize()
	for i := 0; i < len(b); i += ps {
		b[i] = 0xaa
	}
	r := vm.DropReport{Addr: addrOf(b), Pages: pages}
	v, err := vmaAt(r.Addr)
	if err != nil {
		return vm.DropReport{}, err
	}
	r.RssBefore = v.Rss
	if err := unix.Madvise(b, unix.MADV_DONTNEED); err != nil {
		return vm.DropReport{}, fmt.Errorf("madvise(MADV_DONTNEED): %w", err)
	}
	if v, err = vmaAt(r.Addr); err != nil {
		return vm.DropReport{}, err
	}
	r.RssAfter = v.Rss
	r.Zeroed = true
	for _, c := range b {
		r.Zeroed = r.Zeroed && c == 0
	}
	return r, nil
}

// faultAt runs access with the runtime's panic-on-fault on, and returns the
// address of the fault it raised, or 0 when it raised none.
func faultAt(access func()) (addr vm.VAddr) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if e, ok := recover().(interface{ Addr() uintptr }); ok {
			addr = vm.VAddr(e.Addr())
		}
	}()
	access()
	return 0
}

// ProtectFault maps a fresh page (see region), writes value at offset,
// makes the page read-only with mprotect, and writes value+1 at offset,
// catching the fault.
func ProtectFault(offset int, value byte) (vm.FaultReport, error) {
	ps := os.Getpagesize()
	if offset < 0 || offset >= ps {
		return vm.FaultReport{}, fmt.Errorf("offset %d: want 0..%d: %w", offset, ps-1, vm.ErrOutOfRange)
	}
	b, err := region(1)
	if err != nil {
		return vm.FaultReport{}, err
	}
	b[offset] = value
	if err := unix.Mprotect(b, unix.PROT_READ); err != nil {
		return vm.FaultReport{}, fmt.Errorf("mprotect(PROT_READ): %w", err)
	}
	r := vm.FaultReport{Addr: addrOf(b), Len: uint64(ps)}
	r.FaultAddr = faultAt(func() { b[offset] = value + 1 })
	if r.FaultAddr == 0 {
		return r, errors.New("the write to a read-only page did not fault")
	}
	return r, nil
}

// BusPastEOF creates a file of size bytes (1 <= size < one page) in dir,
// maps two pages of it shared and read-only, checks that the rest of the
// first page reads zero, and reads the first byte of the second page,
// which lies wholly past the end of the file, catching the SIGBUS.
func BusPastEOF(dir string, size int) (vm.FaultReport, error) {
	ps := os.Getpagesize()
	if size < 1 || size >= ps {
		return vm.FaultReport{}, fmt.Errorf("size %d: want 1..%d: %w", size, ps-1, vm.ErrOutOfRange)
	}
	f, err := os.CreateTemp(dir, "sigbus-")
	if err != nil {
		return vm.FaultReport{}, err
	}
	defer f.Close()
	data := make([]byte, size)
	for i := range data {
		data[i] = 'b'
	}
	if _, err := f.Write(data); err != nil {
		return vm.FaultReport{}, err
	}
	b, err := unix.Mmap(int(f.Fd()), 0, 2*ps, unix.PROT_READ, unix.MAP_SHARED)
	if err != nil {
		return vm.FaultReport{}, fmt.Errorf("mmap %s: %w", f.Name(), err)
	}
	r := vm.FaultReport{Addr: addrOf(b), Len: uint64(2 * ps), Path: f.Name(), TailZero: true}
	for _, c := range b[size:ps] {
		r.TailZero = r.TailZero && c == 0
	}
	var sink byte
	r.FaultAddr = faultAt(func() { sink = b[ps] })
	if r.FaultAddr == 0 {
		return r, fmt.Errorf("reading past the end of %s did not fault (read %d)", f.Name(), sink)
	}
	return r, nil
}

// PrivateVsShared creates a file of one page of 'f' bytes in dir, maps it
// twice, MAP_PRIVATE and MAP_SHARED, writes 'p' at byte 0 through the
// private mapping, then 's' at byte 1 through the shared one, and reports
// the first two bytes of the file (read with pread) and of each mapping.
func PrivateVsShared(dir string) (vm.FileMapReport, error) {
	ps := os.Getpagesize()
	f, err := os.CreateTemp(dir, "mapped-")
	if err != nil {
		return vm.FileMapReport{}, err
	}
	defer f.Close()
	data := make([]byte, ps)
	for i := range data {
		data[i] = 'f'
	}
	if _, err := f.Write(data); err != nil {
		return vm.FileMapReport{}, err
	}
	priv, err := unix.Mmap(int(f.Fd()), 0, ps, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE)
	if err != nil {
		return vm.FileMapReport{}, fmt.Errorf("mmap MAP_PRIVATE: %w", err)
	}
	shared, err := unix.Mmap(int(f.Fd()), 0, ps, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED)
	if err != nil {
		return vm.FileMapReport{}, fmt.Errorf("mmap MAP_SHARED: %w", err)
	}
	priv[0] = 'p'
	shared[1] = 's'
	head := make([]byte, 2)
	if _, err := f.ReadAt(head, 0); err != nil {
		return vm.FileMapReport{}, err
	}
	return vm.FileMapReport{Path: f.Name(), Private: addrOf(priv), Shared: addrOf(shared),
		File: string(head), PrivateSee: string(priv[:2]), SharedSee: string(shared[:2])}, nil
}

// HugePage maps 4 MiB of private anonymous memory, keeps the 2 MiB-aligned
// HugeSize inside it (the rest made inaccessible), asks for huge pages
// there with madvise(MADV_HUGEPAGE), writes one byte, and reads the
// AnonHugePages of the VMA.
func HugePage() (vm.HugeReport, error) {
	b, err := unix.Mmap(-1, 0, 2*HugeSize, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE|unix.MAP_ANONYMOUS)
	if err != nil {
		return vm.HugeReport{}, fmt.Errorf("mmap 4 MiB: %w", err)
	}
	skip := int((HugeSize - uint64(addrOf(b))%HugeSize) % HugeSize)
	huge := b[skip : skip+HugeSize]
	if skip > 0 {
		err = unix.Mprotect(b[:skip], unix.PROT_NONE)
	}
	if err = errors.Join(err, unix.Mprotect(b[skip+HugeSize:], unix.PROT_NONE)); err != nil {
		return vm.HugeReport{}, fmt.Errorf("mprotect around the aligned 2 MiB: %w", err)
	}
	if err := unix.Madvise(huge, unix.MADV_HUGEPAGE); err != nil {
		return vm.HugeReport{}, fmt.Errorf("madvise(MADV_HUGEPAGE): %w", err)
	}
	huge[0] = 1
	r := vm.HugeReport{Addr: addrOf(huge), Len: HugeSize}
	v, err := vmaAt(r.Addr)
	if err != nil {
		return vm.HugeReport{}, err
	}
	r.AnonHugePages = v.AnonHugePages
	return r, nil
}

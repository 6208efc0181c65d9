// Package labrig is the trusted side of exercise 19's specs
// (specs/labspec): it makes and reads, in the process the learner's code
// runs in, what the specs check the learner's observations against. Under
// the sealed grader it runs in the subject process beside the learner's
// package (the judge calls it over the wire, and the subject is built from
// a copy of the kit that holds this package but no specs); under go test
// it runs in the test binary.
//
// Nothing here trusts the learner's code: it reads the kernel's own files
// (/proc/self/maps, /proc/PID/smaps, /proc/self/mem) and makes its own
// system calls.
package labrig

import (
	"errors"
	"fmt"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/sys/unix"

	"github.com/vmkata/vmkata/vm"
)

// Local is the rig of the calling process.
type Local struct{}

// Supported returns "" when the rig can run here, or why not.
func (Local) Supported() string {
	if _, err := os.Stat("/proc/self/smaps"); err != nil {
		return "this Linux shows no /proc/self/smaps (" + err.Error() + ")"
	}
	return ""
}

// Pid returns the process's id.
func (Local) Pid() int { return os.Getpid() }

// Maps returns the text of /proc/self/maps.
func (Local) Maps() (string, error) {
	b, err := os.ReadFile("/proc/self/maps")
	return string(b), err
}

// Smaps returns the text of /proc/PID/smaps; pid 0 is the process itself.
func (Local) Smaps(pid int) (string, error) {
	name := "self"
	if pid != 0 {
		name = strconv.Itoa(pid)
	}
	b, err := os.ReadFile("/proc/" + name + "/smaps")
	return string(b), err
}

// MinorFaults returns the process's minor-fault count (getrusage).
func (Local) MinorFaults() (uint64, error) {
	var ru unix.Rusage
	err := unix.Getrusage(unix.RUSAGE_SELF, &ru)
	return uint64(ru.Minflt), err
}

// Read returns n bytes of the process's memory at addr, read through
// /proc/self/mem: an unmapped or inaccessible address is an error, never a
// fault.
func (Local) Read(addr vm.VAddr, n int) ([]byte, error) {
	f, err := os.Open("/proc/self/mem")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b := make([]byte, n)
	if _, err := f.ReadAt(b, int64(addr)); err != nil {
		return nil, fmt.Errorf("read %d bytes at %#x: %w", n, uint64(addr), err)
	}
	return b, nil
}

// ReadFile returns the first n bytes of the file at path.
func (Local) ReadFile(path string, n int) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b := make([]byte, n)
	_, err = f.ReadAt(b, 0)
	return b, err
}

// FileSize returns the size of the file at path.
func (Local) FileSize(path string) (int64, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return 0, err
	}
	return fi.Size(), nil
}

// PanicOnFault reports whether the calling goroutine turns faults into
// panics (debug.SetPanicOnFault), leaving the setting as it is.
func (Local) PanicOnFault() bool {
	on := debug.SetPanicOnFault(false)
	debug.SetPanicOnFault(on)
	return on
}

// Unmap unmaps [addr, addr+n).
func (Local) Unmap(addr vm.VAddr, n uint64) error {
	if _, _, e := unix.Syscall(unix.SYS_MUNMAP, uintptr(addr), uintptr(n), 0); e != 0 {
		return fmt.Errorf("munmap [%#x, %#x): %w", uint64(addr), uint64(addr)+n, e)
	}
	return nil
}

// TempDir makes a fresh folder in the process's temporary folder, or in
// /tmp when that one cannot be reached (the sealed grader's subject runs
// with a private, empty tmpfs over /tmp, which hides the folder its
// TMPDIR names), and returns it.
func (Local) TempDir() (string, error) {
	dir, err := os.MkdirTemp("", "linuxlab-")
	if err != nil {
		dir, err = os.MkdirTemp("/tmp", "linuxlab-")
	}
	return dir, err
}

// THP returns the kernel's transparent-huge-page mode, the bracketed word
// of /sys/kernel/mm/transparent_hugepage/enabled (always, madvise or
// never), or "" when the kernel has none.
func (Local) THP() string {
	b, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/enabled")
	if err != nil {
		return ""
	}
	_, rest, ok := strings.Cut(string(b), "[")
	mode, _, ok2 := strings.Cut(rest, "]")
	if !ok || !ok2 {
		return ""
	}
	return mode
}

// THPFallbacks returns how many times, machine-wide, the kernel tried to
// map a transparent huge page at a fault and fell back to base pages for
// want of 2 MiB of free contiguous memory (thp_fault_fallback in
// /proc/vmstat), or 0 when it does not say.
func (Local) THPFallbacks() uint64 {
	b, err := os.ReadFile("/proc/vmstat")
	if err != nil {
		return 0
	}
	for line := range strings.Lines(string(b)) {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "thp_fault_fallback "); ok {
			n, _ := strconv.ParseUint(v, 10, 64)
			return n
		}
	}
	return 0
}

// children are the processes Fork started, by pid.
var children = struct {
	sync.Mutex
	m map[int]child
}{m: map[int]child{}}

type child struct {
	cmd, ack int    // the parent's ends of the two pipes
	region   []byte // the shared region (the parent's view)
}

// maxForkPages bounds the region Fork shares with its child.
const maxForkPages = 256

// Fork maps pages fresh pages of private anonymous memory between guard
// pages, writes to each, and forks: the child shares every page with the
// parent, copy-on-write, and waits for ChildWrite or EndChild. It returns
// the child's pid and the region's address.
func (Local) Fork(pages int) (int, vm.VAddr, error) {
	ps := os.Getpagesize()
	if pages < 1 || pages > maxForkPages {
		return 0, 0, fmt.Errorf("fork with %d pages: want 1..%d: %w", pages, maxForkPages, vm.ErrOutOfRange)
	}
	b, err := unix.Mmap(-1, 0, (pages+2)*ps, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE|unix.MAP_ANONYMOUS)
	if err != nil {
		return 0, 0, err
	}
	if err := errors.Join(unix.Mprotect(b[:ps], unix.PROT_NONE), unix.Mprotect(b[(pages+1)*ps:], unix.PROT_NONE)); err != nil {
		return 0, 0, err
	}
	region := b[ps : (pages+1)*ps]
	for i := 0; i < len(region); i += ps {
		region[i] = 1
	}
	var cmd, ack [2]int
	if err := unix.Pipe2(cmd[:], unix.O_CLOEXEC); err != nil {
		return 0, 0, err
	}
	if err := unix.Pipe2(ack[:], unix.O_CLOEXEC); err != nil {
		unix.Close(cmd[0])
		unix.Close(cmd[1])
		return 0, 0, err
	}
	pid, errno := forkChild(region, ps, cmd[0], ack[1])
	unix.Close(cmd[0])
	unix.Close(ack[1])
	if errno != 0 {
		unix.Close(cmd[1])
		unix.Close(ack[0])
		return 0, 0, fmt.Errorf("fork: %w", errno)
	}
	children.Lock()
	children.m[int(pid)] = child{cmd: cmd[1], ack: ack[0], region: region}
	children.Unlock()
	return int(pid), addrOf(region), nil
}

// ChildWrite makes the child started by Fork write to every page of the
// region, and waits until it has.
func (Local) ChildWrite(pid int) error {
	children.Lock()
	c, ok := children.m[pid]
	children.Unlock()
	if !ok {
		return fmt.Errorf("no child %d", pid)
	}
	if _, err := unix.Write(c.cmd, []byte{'w'}); err != nil {
		return fmt.Errorf("asking child %d to write: %w", pid, err)
	}
	var b [1]byte
	if n, err := unix.Read(c.ack, b[:]); n != 1 {
		return fmt.Errorf("child %d did not answer: %v", pid, err)
	}
	return nil
}

// EndChild ends the child started by Fork, waits for it, and unmaps the
// parent's region.
func (Local) EndChild(pid int) error {
	children.Lock()
	c, ok := children.m[pid]
	delete(children.m, pid)
	children.Unlock()
	if !ok {
		return fmt.Errorf("no child %d", pid)
	}
	unix.Close(c.cmd) // the child reads end of file and exits
	unix.Close(c.ack)
	_ = unix.Kill(pid, unix.SIGKILL) // if it has not yet
	var ws unix.WaitStatus
	_, err := unix.Wait4(pid, &ws, 0, nil)
	ps := os.Getpagesize()
	return errors.Join(err, Local{}.Unmap(addrOf(c.region)-vm.VAddr(ps), uint64(len(c.region)+2*ps)))
}

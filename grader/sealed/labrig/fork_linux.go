package labrig

import (
	"reflect"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/vmkata/vmkata/vm"
)

func addrOf(b []byte) vm.VAddr { return vm.VAddr(reflect.ValueOf(b).Pointer()) }

// forkChild forks the process with a raw clone, and returns the child's
// pid in the parent. The child, which inherits one thread of a Go program
// whose other threads may hold any lock, runs no Go runtime code at all:
// forkChild and childLoop are nosplit (no stack check, so no call into the
// scheduler) and make only raw system calls, as the syscall package's own
// fork does before its exec.
//
//go:nosplit
//go:norace
func forkChild(region []byte, ps, cmd, ack int) (uintptr, unix.Errno) {
	pid, _, errno := unix.RawSyscall6(unix.SYS_CLONE, uintptr(unix.SIGCHLD), 0, 0, 0, 0, 0)
	if errno != 0 || pid != 0 {
		return pid, errno
	}
	childLoop(region, ps, cmd, ack)
	return 0, 0
}

// childLoop is the child of forkChild: it closes every file but its ends
// of the two pipes (the sealed grader's pipe must end with the parent, and
// a pipe's reader sees its end only when every writer has closed it), dies
// with its parent, and on each byte read from cmd writes to every page of region
// and answers on ack; at the end of cmd it exits.
//
//go:nosplit
//go:norace
func childLoop(region []byte, ps, cmd, ack int) {
	lo, hi := uintptr(min(cmd, ack)), uintptr(max(cmd, ack))
	if lo > 0 {
		unix.RawSyscall(unix.SYS_CLOSE_RANGE, 0, lo-1, 0)
	}
	unix.RawSyscall(unix.SYS_CLOSE_RANGE, lo+1, hi-1, 0)
	unix.RawSyscall(unix.SYS_CLOSE_RANGE, hi+1, ^uintptr(0), 0)
	unix.RawSyscall(unix.SYS_PRCTL, unix.PR_SET_PDEATHSIG, uintptr(unix.SIGKILL), 0)
	var b [1]byte
	for {
		n, _, e := unix.RawSyscall(unix.SYS_READ, uintptr(cmd), uintptr(unsafe.Pointer(&b[0])), 1)
		if e == unix.EINTR {
			continue
		}
		if n != 1 {
			unix.RawSyscall(unix.SYS_EXIT_GROUP, 0, 0, 0)
		}
		for i := 0; i < len(region); i += ps {
			region[i] = 2
		}
		unix.RawSyscall(unix.SYS_WRITE, uintptr(ack), uintptr(unsafe.Pointer(&b[0])), 1)
	}
}

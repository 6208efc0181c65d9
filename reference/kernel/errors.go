package kernel

import (
	"errors"
	"fmt"

	"github.com/vmkata/vmkata/vm"
)

// Sentinel errors; errors.Is finds them in what the kernel returns.
var (
	// ErrNoProcess: no live process has the pid (never existed, or exited).
	ErrNoProcess = errors.New("no such process")
	// ErrKilled: the process was killed by a signal (SIGSEGV, SIGBUS, the
	// OOM killer's SIGKILL); errors.As finds the *SignalError.
	ErrKilled = errors.New("process was killed")
	// ErrSegv classifies a SIGSEGV (errors.Is on a *SignalError).
	ErrSegv = errors.New("segmentation fault")
	// ErrBus classifies a SIGBUS.
	ErrBus = errors.New("bus error")
	// ErrOOM classifies a kill by the OOM killer.
	ErrOOM = errors.New("killed by the OOM killer")
	// ErrNoFile: a named file does not exist in the kernel's file system.
	ErrNoFile = errors.New("no such file")
	// ErrNoMemory: ENOMEM: a mapping was refused (overcommit, no room in the
	// address space) or memory ran out with nothing left to kill.
	ErrNoMemory = errors.New("cannot allocate memory")
	// ErrInvalid: EINVAL: a bad argument to a system call (unaligned
	// address, zero length, a range outside the user address space).
	ErrInvalid = errors.New("invalid argument")
)

// Signal is a POSIX signal the memory manager delivers.
type Signal uint8

// Signals.
const (
	SIGSEGV Signal = 11
	SIGBUS  Signal = 7
	SIGKILL Signal = 9
)

// String prints SIGSEGV, SIGBUS or SIGKILL.
func (s Signal) String() string {
	switch s {
	case SIGSEGV:
		return "SIGSEGV"
	case SIGBUS:
		return "SIGBUS"
	case SIGKILL:
		return "SIGKILL"
	}
	return fmt.Sprintf("signal %d", uint8(s))
}

// SignalCode is the si_code that says why a signal was sent.
type SignalCode uint8

// Signal codes.
const (
	// SEGV_MAPERR: the address lies in no VMA (including a stack that may
	// not grow further: stack overflow).
	SegvMapErr SignalCode = iota + 1
	// SEGV_ACCERR: a VMA covers the address but does not allow the access
	// (a write to text, a read of PROT_NONE memory).
	SegvAccErr
	// BUS_ADRERR: a file mapping was accessed past the end of its file.
	BusAdrErr
	// OOM: the OOM killer's SIGKILL (no si_code in Linux; named here).
	OOMKill
)

// String prints SEGV_MAPERR, SEGV_ACCERR, BUS_ADRERR or OOM.
func (c SignalCode) String() string {
	switch c {
	case SegvMapErr:
		return "SEGV_MAPERR"
	case SegvAccErr:
		return "SEGV_ACCERR"
	case BusAdrErr:
		return "BUS_ADRERR"
	case OOMKill:
		return "OOM"
	}
	return fmt.Sprintf("code(%d)", uint8(c))
}

// SignalError is a fatal signal delivered to a process: the page-fault
// handler's verdict on a bad access, or the OOM killer's. The process dies
// (the model installs no handlers): its memory is freed, and every later
// call naming it returns an error wrapping this one.
type SignalError struct {
	Pid    int
	Signal Signal
	Code   SignalCode
	Addr   vm.VAddr  // the faulting address (0 for an OOM kill)
	Access vm.Access // the faulting access
	Reason string    // a sentence: "no VMA", "write to r-x text", "stack overflow" …
}

// Error prints e.g. "pid 2: SIGSEGV (SEGV_ACCERR) at 0x400000 on user write: r-x text VMA does not allow write".
func (e *SignalError) Error() string {
	if e.Code == OOMKill {
		return fmt.Sprintf("pid %d: %v (OOM): %s", e.Pid, e.Signal, e.Reason)
	}
	return fmt.Sprintf("pid %d: %v (%v) at %v on %v: %s", e.Pid, e.Signal, e.Code, e.Addr, e.Access, e.Reason)
}

// Is matches ErrKilled always, ErrSegv for SIGSEGV, ErrBus for SIGBUS and
// ErrOOM for an OOM kill.
func (e *SignalError) Is(target error) bool {
	switch target {
	case ErrKilled:
		return true
	case ErrSegv:
		return e.Signal == SIGSEGV
	case ErrBus:
		return e.Signal == SIGBUS
	case ErrOOM:
		return e.Code == OOMKill
	}
	return false
}

package sandbox

import (
	"os"
	"runtime"

	"golang.org/x/sys/unix"
)

const (
	rlimitAS    = -1 // macOS does not enforce RLIMIT_AS
	rlimitNPROC = unix.RLIMIT_NPROC
)

// probe finds out what this system offers: whether the caller is root,
// and how many processes its user runs now (RLIMIT_NPROC counts them all).
func probe() facts {
	f := facts{OS: runtime.GOOS, Root: os.Geteuid() == 0, UserProcesses: -1}
	if procs, err := unix.SysctlKinfoProcSlice("kern.proc.uid", os.Getuid()); err == nil {
		f.UserProcesses = len(procs)
	}
	return f
}

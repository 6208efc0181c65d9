//go:build unix && !linux && !darwin

package sandbox

import (
	"os"
	"runtime"
)

const (
	rlimitAS    = -1 // not set: not every Unix system has it
	rlimitNPROC = -1 // not set: it counts every process of the user
)

func probe() facts {
	return facts{OS: runtime.GOOS, Root: os.Geteuid() == 0, UserProcesses: -1}
}

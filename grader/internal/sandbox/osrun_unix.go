//go:build unix && !linux

package sandbox

import (
	"errors"
	"os"
	"os/exec"
)

// osRun is a run's process group.
type osRun struct {
	leaderGone bool // the group's leader may have been reaped: its id may be reused
}

func newOSRun(facts) osRun { return osRun{} }

// trampolineExe returns the path of this binary.
func trampolineExe() (*os.File, string, error) {
	path, err := os.Executable()
	return nil, path, err
}

func (*osRun) prepare(*exec.Cmd, plan) error { return nil }
func (*osRun) started()                      {}
func (*osRun) kill()                         {}
func (*osRun) release() error                { return nil }
func (*osRun) outOfMemory() bool             { return false }

// waitExited cannot wait without reaping here: it reports false.
func waitExited(int) bool { return false }

// privateFiles gives the run a private file system view: only Linux can.
func privateFiles(v filesView) error {
	if v != filesShared {
		return errors.New("no private file system view on this system")
	}
	return nil
}

// dropPrivilege gives up privilege the trampoline kept: only Linux keeps any.
func dropPrivilege(d dropMode) error {
	if d != dropNothing {
		return errors.New("no privilege to drop on this system")
	}
	return nil
}

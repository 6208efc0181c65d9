package addr

import (
	"os/exec"
	"syscall"
)

func init() {
	// $0 of the shell carries the marker the harness looks for; sleep is
	// bounded, so a leak cannot outlive the harness by long.
	cmd := exec.Command("/bin/sh", "-c", "sleep 120", "vmkata-hostile-orphan-exec")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	_ = cmd.Start()
}

package run

import (
	"os"
	"os/exec"
)

const exeSuffix = ".exe"

// ownGroup does nothing on Windows: the judge puts its subject in a Job
// Object that dies with it.
func ownGroup(*exec.Cmd) {}

// killGroup kills the judge; its subject's job is closed with it.
func killGroup(cmd *exec.Cmd) {
	if cmd.Process != nil {
		_ = cmd.Process.Kill()
	}
}

// askToStop does nothing on Windows: killing the judge closes its
// subject's job, which ends every process in it.
func askToStop(*exec.Cmd) {}

// signalOf returns "": Windows processes end with an exit code.
func signalOf(*os.ProcessState) string { return "" }

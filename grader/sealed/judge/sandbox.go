package judge

import "os/exec"

// startSandboxed starts the subject process.
func startSandboxed(cmd *exec.Cmd) error { return cmd.Start() }

// killTree kills the subject process.
func killTree(cmd *exec.Cmd) { _ = cmd.Process.Kill() }

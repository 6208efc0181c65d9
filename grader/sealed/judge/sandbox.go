package judge

import (
	"os"
	"os/exec"
	"strconv"
	"time"

	"github.com/vmkata/vmkata/grader/internal/sandbox"
)

// SubjectLimits are the limits of a subject process tree given its memory
// limit in bytes (0: none). The grader reports them with sandbox.Plan.
func SubjectLimits(memory uint64) sandbox.Options {
	return sandbox.Options{
		Limits: sandbox.Limits{
			Memory:    memory,
			Processes: 256,              // the Go runtime's threads count too
			CPU:       30 * time.Minute, // a backstop: calls have their own time limit
			Files:     64,
		},
		Isolate: true,
	}
}

// startSandboxed starts the subject process under the sandbox.
func (p *process) startSandboxed(cmd *exec.Cmd) error {
	var memory uint64
	if s := os.Getenv(EnvMemory); s != "" {
		if n, err := strconv.ParseUint(s, 10, 64); err == nil {
			memory = n
		}
	}
	run, err := sandbox.Start(cmd, SubjectLimits(memory))
	if err != nil {
		return err
	}
	p.run = run
	return nil
}

package run

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"strings"
	"time"
)

// outcome is how a judge process ended.
type outcome struct {
	timedOut bool
	code     int // exit status; -1 when killed by a signal
	signal   string
	stderr   string
}

// finished reports whether the process ended on its own with the status
// "go test" uses for success (0) or failed tests (1).
func (o outcome) finished() bool { return !o.timedOut && (o.code == 0 || o.code == 1) }

func (o outcome) describe(limit time.Duration) string {
	switch {
	case o.timedOut:
		return fmt.Sprintf("did not finish within %v", limit)
	case o.signal != "":
		return "was killed by " + o.signal
	default:
		return fmt.Sprintf("exited with status %d before reporting", o.code)
	}
}

// tail returns the last lines the process wrote, for context.
func (o outcome) tail() string {
	s := strings.TrimSpace(o.stderr)
	if s == "" {
		return ""
	}
	lines := strings.Split(s, "\n")
	if len(lines) > 12 {
		lines = lines[len(lines)-12:]
	}
	return "\n" + strings.Join(lines, "\n")
}

// stopGrace is how long a judge asked to stop may take before it is killed.
const stopGrace = 10 * time.Second

// runJudge runs the judge binary under a time limit, writing Ginkgo's JSON
// report to report. The judge is the kit's own code; the learner's code
// runs in the subject process the judge starts, in the same process group
// (or job), so the whole run is killed at the limit.
func runJudge(ctx context.Context, opt Options, bin, subject, report string, limit time.Duration, focus string, extra ...string) outcome {
	ctx, cancel := context.WithTimeout(ctx, limit+45*time.Second)
	defer cancel()
	cmd := exec.Command(bin, judgeArgs(opt, report, limit, focus, extra)...)
	cmd.Dir = opt.WorkDir
	cmd.Env = judgeEnv(opt, subject)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.WaitDelay = 2 * time.Second
	ownGroup(cmd)
	if err := cmd.Start(); err != nil {
		return outcome{code: -1, stderr: err.Error()}
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var o outcome
	select {
	case err := <-done:
		o = exitOutcome(cmd, err)
	case <-ctx.Done():
		askToStop(cmd)
		select {
		case <-done:
		case <-time.After(stopGrace):
			killGroup(cmd)
			<-done
		}
		o = outcome{timedOut: true, code: -1}
	}
	killGroup(cmd) // nothing of the run outlives it
	o.stderr = out.String()
	return o
}

func exitOutcome(cmd *exec.Cmd, err error) outcome {
	if err == nil {
		return outcome{}
	}
	if sig := signalOf(cmd.ProcessState); sig != "" {
		return outcome{code: -1, signal: sig}
	}
	return outcome{code: cmd.ProcessState.ExitCode()}
}

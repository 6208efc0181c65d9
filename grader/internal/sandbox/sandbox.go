// Package sandbox runs an untrusted program under limits, in isolation
// where the system allows, and kills every process it started when the run
// ends.
//
// Usage:
//
//	cmd := exec.Command(bin, args...)
//	cmd.Dir, cmd.Stdout, cmd.Stderr = emptyDir, &out, &out
//	r, err := sandbox.Start(cmd, sandbox.Options{Limits: sandbox.Limits{Memory: 2 << 30, Processes: 64}, Isolate: true})
//	if err != nil { … }
//	defer r.Close()
//	err = r.Wait() // or r.Kill() from a timer
//	log.Print(sandbox.Describe(r.Protections()))
//
// What is enforced depends on the system; Protections says what is in
// force for a run, and a run happens even when a protection is not
// available:
//
//   - Linux: the run is a process group, placed at clone time in a fresh
//     cgroup v2 leaf when the cgroup tree is writable (memory.max and
//     pids.max over the whole run where those controllers can be enabled,
//     cgroup.kill for the whole run). With Isolate, a new user and network
//     namespace (no network), and when the caller is root the run drops to
//     uid/gid 65534 (nobody). Where cgroups cannot bound them, memory is
//     bounded per process (RLIMIT_AS) and processes by RLIMIT_NPROC, the
//     latter only when the run has a user id of its own (counted over every
//     process of that user, so concurrent runs share it). CPU time
//     (RLIMIT_CPU, per process) and open files (RLIMIT_NOFILE) are rlimits.
//   - macOS and other Unix systems: a process group; rlimits for CPU time,
//     open files and processes; memory is not enforced (macOS ignores
//     RLIMIT_AS).
//   - Windows: a Job Object (kill on close, job memory, active processes,
//     job CPU time). Open files and network are not enforced.
//
// # How limits reach the program before its first instruction
//
// os/exec sets namespaces, credentials, the process group and the cgroup
// at clone time, but no rlimits. The program is therefore started through
// a trampoline: the calling binary itself (os.Executable), which this
// package's init function turns, when it finds the trampoline's
// environment variable, into a tiny program that applies the rlimits to
// itself and then replaces itself with the target by execve. Its pid, group,
// cgroup and namespaces carry over to the target, so every limit is in force
// when the target's first instruction (the Go runtime, then its package init
// functions) runs. The alternative, prlimit(2) on a child stopped before
// exec, needs ptrace to stop it, which containers often forbid, and has no
// macOS equivalent. Because the trampoline lives in init, any binary that
// calls Start carries it; nothing has to be wired into main. Start returns
// once the target has been executed, or with the reason it could not be.
//
// On Windows the process is created suspended, assigned to the Job Object,
// then resumed, so the job's limits also precede its first instruction.
//
// Preconditions, when Isolate drops to uid 65534: the target's path and
// cmd.Dir must be readable and searchable by that user.
package sandbox

import (
	"errors"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Limits bounds a run. A zero field sets no limit.
type Limits struct {
	Memory    uint64        // bytes: over the whole run where the system allows (cgroup v2 memory.max, Job Object), else per process (RLIMIT_AS)
	Processes int           // processes and threads of the run (cgroup pids.max, Job Object active processes, RLIMIT_NPROC for a run with a user id of its own)
	CPU       time.Duration // CPU time, rounded up to whole seconds on Unix (RLIMIT_CPU per process; on Windows the job's user time)
	Files     int           // open files per process (RLIMIT_NOFILE)
}

// Options control a run.
type Options struct {
	Limits
	// Isolate, on Linux, runs the program in new user and network
	// namespaces (no network) where the kernel allows, and as uid/gid 65534
	// when the caller is root. Elsewhere it is reported as not available.
	Isolate bool
}

// Protection is one protection of a run and whether it is in force.
type Protection struct {
	Name   string // what is protected, e.g. "memory limit", "network"
	Active bool   // whether it is in force for the run
	Detail string // how, or why not, e.g. "whole run (cgroup v2)", "not enforced on this system"
}

func (p Protection) String() string { return p.Name + ": " + p.Detail }

// Describe prints protections on one line for reports, e.g.
// "memory limit: whole run (cgroup v2); network: off (network namespace)".
func Describe(ps []Protection) string {
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = p.String()
	}
	return strings.Join(parts, "; ")
}

// Cause says why a run's main process ended.
type Cause int

const (
	// Ended: the process exited, or died of a signal not sent by a limit
	// or by Kill. A Go program that hits RLIMIT_AS ends this way, with
	// exit status 2 and "out of memory" on its standard error.
	Ended       Cause = iota
	Killed            // Kill or Close was called before it ended
	OutOfMemory       // the kernel killed a process of the run at the run's memory limit
	CPUTime           // it reached the CPU-time limit
)

func (c Cause) String() string {
	switch c {
	case Ended:
		return "ended"
	case Killed:
		return "killed"
	case OutOfMemory:
		return "out of memory"
	case CPUTime:
		return "CPU time limit"
	}
	return "Cause(" + strconv.Itoa(int(c)) + ")"
}

// DefaultWaitDelay is the WaitDelay Start gives a command that has none:
// how long Wait waits for the output pipes once the main process has ended.
const DefaultWaitDelay = time.Second

// ErrStarted is returned by Start for a command that was already started.
var ErrStarted = errors.New("sandbox: the command was already started")

// Start starts cmd, which must not have been started, under opt. The caller
// sets Path, Args, Env, Dir, the standard streams (or pipes) and ExtraFiles
// as for exec.Cmd.Start, and must then use the returned Run's Wait, never
// cmd.Wait. Start sets cmd.WaitDelay to DefaultWaitDelay when it is zero,
// replaces cmd.SysProcAttr, and on Unix points cmd.Path and cmd.Args at the
// trampoline, adds to cmd.Env and appends to cmd.ExtraFiles.
//
// When the main process ends, every process left in the run is killed.
// On Linux the run is also killed if the OS thread that called Start
// exits (the parent-death signal), as it may when Start is called from a
// goroutine locked to its thread.
func Start(cmd *exec.Cmd, opt Options) (*Run, error) {
	return start(cmd, opt, system())
}

var (
	probeOnce sync.Once
	probed    facts
)

// system returns what this system offers, probed on first use.
func system() facts {
	probeOnce.Do(func() { probed = probe() })
	return probed
}

func check(cmd *exec.Cmd) error {
	if cmd.Process != nil {
		return ErrStarted
	}
	if cmd.Err != nil {
		return cmd.Err
	}
	if cmd.Path == "" {
		return errors.New("sandbox: no command")
	}
	if cmd.WaitDelay == 0 {
		cmd.WaitDelay = DefaultWaitDelay
	}
	return nil
}

// Plan returns the protections a run started now with opt would have,
// without starting anything, so that a report can state them once.
func Plan(opt Options) []Protection {
	return append([]Protection(nil), decide(system(), opt).protections...)
}

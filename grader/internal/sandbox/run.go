package sandbox

import (
	"os/exec"
	"sync"
	"sync/atomic"
)

// Run is one started program and everything it starts. Its methods may be
// called from several goroutines.
type Run struct {
	cmd  *exec.Cmd
	plan plan
	os   osRun // the OS's own state: cgroup leaf, Job Object; guarded by mu once started

	waitOnce sync.Once
	err      error // cmd.Wait's error; set by waitOnce
	cause    Cause // set by waitOnce

	killed atomic.Bool // Kill was called

	// mu orders killing against reaping the group's leader, so that a group
	// id is never signalled after it could have been reused, and against
	// releasing what the run held.
	mu sync.Mutex

	closeOnce sync.Once
	closeErr  error
}

// Wait waits for the main process to end and returns what exec.Cmd.Wait
// returns for it (exec.ErrWaitDelay when a process left in the run kept an
// output pipe open past cmd.WaitDelay). As with exec.Cmd.Wait, reads from
// cmd's StdoutPipe or StderrPipe must be done before Wait is called. Wait
// may be called more than once, and from several goroutines.
func (r *Run) Wait() error {
	r.waitOnce.Do(func() { r.finish(r.wait()) })
	return r.err
}

// Cause says why the main process ended; it waits for it to end.
func (r *Run) Cause() Cause {
	_ = r.Wait()
	return r.cause
}

// Kill kills every process of the run that can still be reached: the whole
// run where the system allows (cgroup, Job Object), else the process group.
// It does not wait; Wait does.
func (r *Run) Kill() {
	r.killed.Store(true)
	r.killAll()
}

// Close kills the run, waits for its main process and releases what the
// run held (its cgroup, its Job Object). It is idempotent, and returns the
// error of releasing, if any.
func (r *Run) Close() error {
	r.closeOnce.Do(func() {
		r.Kill()
		_ = r.Wait()
		r.mu.Lock()
		defer r.mu.Unlock()
		r.closeErr = r.os.release()
	})
	return r.closeErr
}

// Protections says what is in force for this run.
func (r *Run) Protections() []Protection {
	return append([]Protection(nil), r.plan.protections...)
}

// finish records how the main process ended.
func (r *Run) finish(err error) {
	r.err = err
	switch {
	case r.os.outOfMemory():
		r.cause = OutOfMemory
	case r.overCPU():
		r.cause = CPUTime
	case r.killed.Load():
		r.cause = Killed
	default:
		r.cause = Ended
	}
}

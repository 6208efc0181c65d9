//go:build unix

package sandbox

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// trampolineEnv, when set, makes this binary the trampoline (see the
// package doc). Its value is the run's settings, as spec.String writes
// them.
const trampolineEnv = "VMKATA_SANDBOX"

// trampolineName is the trampoline's argv[0], as ps shows it.
const trampolineName = "vmkata-sandbox"

func init() {
	if v, ok := os.LookupEnv(trampolineEnv); ok {
		trampoline(v)
	}
}

// trampoline applies spec to this process — its rlimits, then its private
// file system view, then giving up privilege, in that order, because each
// step needs what the next one takes away — and executes the target with
// this process's remaining arguments. It never returns: on failure it
// writes the reason to the report descriptor and exits; a probe exits 0
// once every step has worked.
func trampoline(v string) {
	// Capabilities are per thread: every step, and the exec, happen on this one.
	runtime.LockOSThread()
	report := os.Stderr
	fail := func(err error) {
		fmt.Fprintf(report, "sandbox: %v", err)
		os.Exit(127)
	}
	s, err := parseSpec(v)
	if err != nil {
		fail(err)
	}
	if s.report != 2 {
		report = os.NewFile(uintptr(s.report), "report")
	}
	if err := os.Unsetenv(trampolineEnv); err != nil {
		fail(err)
	}
	path := s.path
	var target *os.File // kept alive to the exec: its finalizer would close the descriptor
	if s.files != filesShared && !s.probe {
		// The target may live where the private view hides it (a scratch
		// folder under /tmp): open it now, execute it by descriptor later.
		if target, err = os.Open(s.path); err != nil {
			fail(err)
		}
		path = "/proc/self/fd/" + strconv.Itoa(int(target.Fd()))
	}
	for _, l := range s.limits.list() {
		if err := setrlimit(l.resource, l.value); err != nil {
			fail(fmt.Errorf("setting %s to %d: %w", l.name, l.value, err))
		}
	}
	if err := privateFiles(s.files); err != nil {
		fail(err)
	}
	if err := dropPrivilege(s.drop); err != nil {
		fail(err)
	}
	if s.probe {
		os.Exit(0)
	}
	syscall.CloseOnExec(s.report)
	err = syscall.Exec(path, os.Args[1:], os.Environ())
	runtime.KeepAlive(target)
	fail(fmt.Errorf("exec %s: %w", s.path, err))
}

// setrlimit sets both the soft and the hard limit of resource to v, or to
// the current hard limit if that is lower (only root may raise it).
func setrlimit(resource int, v uint64) error {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(resource, &lim); err != nil {
		return err
	}
	setBoth(&lim.Cur, &lim.Max, v)
	return syscall.Setrlimit(resource, &lim)
}

// setBoth sets a limit's soft and hard values to v, or to the hard value
// if lower. (The fields are uint64 on most systems, int64 on some BSDs,
// where -1 is no limit.)
func setBoth[T int64 | uint64](soft, hard *T, v uint64) {
	v = min(v, uint64(*hard))
	*soft, *hard = T(v), T(v)
}

// spec is what the parent tells the trampoline.
type spec struct {
	report int // descriptor to write a failure to; closed by a successful exec; 2 only in a probe
	limits rlimits
	files  filesView // the file system the target sees
	drop   dropMode  // how the trampoline gives up privilege before the exec
	probe  bool      // exit 0 once set up, instead of executing the target
	path   string    // the target
}

func (s spec) String() string {
	return fmt.Sprintf("report=%d;as=%d;nproc=%d;cpu=%d;nofile=%d;files=%d;drop=%d;probe=%d;path=%s",
		s.report, s.limits.AS, s.limits.NProc, s.limits.CPU, s.limits.NoFile, s.files, s.drop, b2i(s.probe), s.path)
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func parseSpec(v string) (spec, error) {
	var s spec
	head, path, ok := strings.Cut(v, ";path=")
	if !ok || path == "" {
		return s, fmt.Errorf("malformed %s=%q: no path", trampolineEnv, v)
	}
	s.path = path
	for _, kv := range strings.Split(head, ";") {
		k, val, _ := strings.Cut(kv, "=")
		n, err := strconv.ParseUint(val, 10, 64)
		if err != nil {
			return s, fmt.Errorf("malformed %s=%q: %s: %w", trampolineEnv, v, k, err)
		}
		switch k {
		case "report":
			s.report = int(n)
		case "as":
			s.limits.AS = n
		case "nproc":
			s.limits.NProc = int(n)
		case "cpu":
			s.limits.CPU = n
		case "nofile":
			s.limits.NoFile = int(n)
		case "files":
			s.files = filesView(n)
		case "drop":
			s.drop = dropMode(n)
		case "probe":
			s.probe = n == 1
		default:
			return s, fmt.Errorf("malformed %s=%q: unknown %q", trampolineEnv, v, k)
		}
	}
	if s.report < 3 && !(s.probe && s.report == 2) {
		return s, fmt.Errorf("malformed %s=%q: no report descriptor", trampolineEnv, v)
	}
	if s.files > filesReadOnly || s.drop > dropCapabilities {
		return s, fmt.Errorf("malformed %s=%q: unknown files or drop mode", trampolineEnv, v)
	}
	return s, nil
}

// rlimit is one resource limit to set.
type rlimit struct {
	name     string
	resource int
	value    uint64
}

// list returns the limits to set, in a fixed order.
func (l rlimits) list() []rlimit {
	var out []rlimit
	add := func(name string, resource int, v uint64) {
		if v > 0 && resource >= 0 {
			out = append(out, rlimit{name, resource, v})
		}
	}
	add("RLIMIT_AS", rlimitAS, l.AS)
	add("RLIMIT_NPROC", rlimitNPROC, uint64(l.NProc))
	add("RLIMIT_CPU", syscall.RLIMIT_CPU, l.CPU)
	add("RLIMIT_NOFILE", syscall.RLIMIT_NOFILE, uint64(l.NoFile))
	return out
}

func start(cmd *exec.Cmd, opt Options, f facts) (*Run, error) {
	if err := check(cmd); err != nil {
		return nil, err
	}
	p := decide(f, opt)
	r := &Run{cmd: cmd, plan: p, os: newOSRun(f)}

	exe, exePath, err := trampolineExe()
	if err != nil {
		return nil, err
	}
	defer exe.Close()
	reportR, reportW, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	defer reportR.Close()
	defer reportW.Close()

	extra := append(append([]*os.File(nil), cmd.ExtraFiles...), reportW)
	s := spec{report: 2 + len(extra), limits: p.rlimits, files: p.files, drop: p.drop, path: cmd.Path}
	if exePath == "" { // the trampoline is passed as a descriptor
		extra = append(extra, exe)
		exePath = "/proc/self/fd/" + strconv.Itoa(2+len(extra))
	}
	args := cmd.Args
	if len(args) == 0 {
		args = []string{cmd.Path}
	}
	cmd.Env = append(cmd.Environ(), trampolineEnv+"="+s.String())
	cmd.ExtraFiles = extra
	cmd.Path, cmd.Args = exePath, append([]string{trampolineName}, args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := r.os.prepare(cmd, p); err != nil {
		return nil, err
	}
	err = cmd.Start()
	r.os.started()
	if err != nil {
		return nil, errors.Join(err, r.os.release())
	}
	reportW.Close()
	// EOF without a word: the exec succeeded and closed the descriptor.
	msg, _ := io.ReadAll(reportR)
	go r.watch()
	if len(msg) > 0 {
		r.Close()
		return nil, errors.New(string(msg))
	}
	return r, nil
}

// watch kills the rest of the run as soon as the main process has ended,
// where the system can tell without reaping it.
func (r *Run) watch() {
	if waitExited(r.cmd.Process.Pid) {
		r.endGroup()
	}
}

// wait reaps the main process and kills the rest of the run.
func (r *Run) wait() error {
	r.watch() // before reaping, so that output pipes held by the rest close
	err := r.cmd.Wait()
	// Without waitExited the leader is reaped by now; its group id stays
	// reserved while a member lives, so the group can still be killed.
	r.endGroup()
	return err
}

// endGroup kills what is left of the run once its leader has ended, and
// stops Kill from signalling the group from then on.
func (r *Run) endGroup() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.os.leaderGone {
		r.os.leaderGone = true
		_ = syscall.Kill(-r.cmd.Process.Pid, syscall.SIGKILL)
	}
	r.os.kill()
}

func (r *Run) killAll() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.os.leaderGone {
		_ = syscall.Kill(-r.cmd.Process.Pid, syscall.SIGKILL)
	}
	r.os.kill()
}

// overCPU reports whether the main process was killed at its CPU-time
// limit.
func (r *Run) overCPU() bool {
	limit := r.plan.rlimits.CPU
	ps := r.cmd.ProcessState
	if limit == 0 || ps == nil {
		return false
	}
	ws, ok := ps.Sys().(syscall.WaitStatus)
	if !ok || !ws.Signaled() || (ws.Signal() != syscall.SIGKILL && ws.Signal() != syscall.SIGXCPU) {
		return false
	}
	// rusage under-reports what the kernel counted (by 15% seen on a busy
	// machine); nothing else sends SIGKILL after that much CPU time.
	used := ps.UserTime() + ps.SystemTime()
	return used >= time.Duration(limit)*time.Second*3/4
}

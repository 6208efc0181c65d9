package sandbox

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// degraded is this system with no cgroup and no namespaces: what a run
// gets where neither is available.
func degraded(t *testing.T) facts {
	f := probeWith(t.TempDir()) // a plain directory is no cgroup
	require.False(t, f.Cgroup, "a plain directory taken for a cgroup")
	f.UserNS, f.NetNS, f.Files = false, false, filesShared
	return f
}

func TestProbe(t *testing.T) {
	f := system()
	t.Logf("%+v", f)
	assert.Equal(t, os.Geteuid() == 0, f.Root)
	if f.Root {
		assert.True(t, f.UserNS || f.NetNS, "root can make a network namespace")
	}
}

// startHelper starts helper name under opt and f, and returns the run and
// its standard output.
func startHelper(t *testing.T, f facts, opt Options, name string, args ...string) (*Run, *bufio.Reader) {
	t.Helper()
	cmd := helperCmd(name, args...)
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	r, err := start(cmd, opt, f)
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, r.Close()) })
	return r, bufio.NewReader(out)
}

// readPids reads n process ids, one a line.
func readPids(t *testing.T, out *bufio.Reader, n int) []int {
	t.Helper()
	var pids []int
	for range n {
		line, err := out.ReadString('\n')
		require.NoError(t, err, "after %v", pids)
		pid, err := strconv.Atoi(strings.TrimSpace(line))
		require.NoError(t, err, "line %q", line)
		pids = append(pids, pid)
	}
	return pids
}

// alive reports whether pid is a process that has not ended.
func alive(pid int) bool {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	// pid (comm) STATE ...
	_, rest, _ := strings.Cut(string(b), ") ")
	return !strings.HasPrefix(rest, "Z") && !strings.HasPrefix(rest, "X")
}

// eventuallyDead asserts that every pid ends within a second.
func eventuallyDead(t *testing.T, pids []int) {
	t.Helper()
	assert.Eventually(t, func() bool {
		for _, p := range pids {
			if alive(p) {
				return false
			}
		}
		return true
	}, time.Second, 5*time.Millisecond, "processes %v outlived the run", pids)
}

func TestKillKillsTheWholeRun(t *testing.T) {
	f := system()
	r, out := startHelper(t, f, Options{}, "tree", "3", "stay")
	pids := readPids(t, out, 3)
	r.Kill()
	require.Error(t, r.Wait())
	assert.Equal(t, Killed, r.Cause())
	if !f.Cgroup {
		t.Skip("no cgroup v2 here: the child in a session of its own escapes a process-group kill")
	}
	eventuallyDead(t, pids)
}

func TestTheRunEndsWithItsMainProcess(t *testing.T) {
	for name, f := range map[string]facts{"system": system(), "degraded": degraded(t)} {
		t.Run(name, func(t *testing.T) {
			r, out := startHelper(t, f, Options{}, "tree", "3", "exit")
			pids := readPids(t, out, 3)
			assert.NoError(t, r.Wait())
			if !f.Cgroup {
				// The last child left the process group; it outlives the run.
				require.True(t, alive(pids[2]))
				_ = syscall.Kill(pids[2], syscall.SIGKILL)
			}
			assert.Equal(t, Ended, r.Cause())
			eventuallyDead(t, pids[:2])
			if f.Cgroup {
				eventuallyDead(t, pids[2:])
			}
		})
	}
}

func TestAHeldOutputPipeDoesNotStallWait(t *testing.T) {
	for name, f := range map[string]facts{"system": system(), "degraded": degraded(t)} {
		t.Run(name, func(t *testing.T) {
			cmd := helperCmd("holdout")
			cmd.WaitDelay = 200 * time.Millisecond
			var out bytes.Buffer
			cmd.Stdout = &out
			r, err := start(cmd, Options{}, f)
			require.NoError(t, err)
			defer r.Close()
			begin := time.Now()
			err = r.Wait()
			took := time.Since(begin)
			assert.Less(t, took, cmd.WaitDelay+time.Second, "Wait took %v", took)
			pid, perr := strconv.Atoi(strings.TrimSpace(out.String()))
			require.NoError(t, perr, "output %q", out.String())
			if f.Cgroup {
				assert.NoError(t, err)
				eventuallyDead(t, []int{pid})
			} else {
				assert.ErrorIs(t, err, exec.ErrWaitDelay)
				_ = syscall.Kill(pid, syscall.SIGKILL)
			}
		})
	}
}

func TestAMemoryHogInAnInitFunctionDies(t *testing.T) {
	cmd := helperCmd("hog")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	r, err := Start(cmd, Options{Limits: Limits{Memory: 2 << 30}})
	require.NoError(t, err)
	defer r.Close()
	err = r.Wait()
	assert.NotContains(t, stdout.String(), "survived")
	var exit *exec.ExitError
	require.ErrorAs(t, err, &exit)
	if system().CgroupMemory {
		assert.Equal(t, OutOfMemory, r.Cause())
		return
	}
	// RLIMIT_AS: the Go runtime cannot map more and says so.
	assert.Equal(t, Ended, r.Cause())
	assert.Equal(t, 2, exit.ExitCode())
	assert.Contains(t, stderr.String(), "fatal error: out of memory")
	assert.Contains(t, stderr.String(), "hogInInit", "it died in the init function")
}

func TestAForkBombIsBounded(t *testing.T) {
	const limit = 40
	f := system()
	opt := Options{Limits: Limits{Processes: limit}, Isolate: true}
	if !f.CgroupPids && !f.Root {
		t.Skip("no cgroup pids controller and not root: nothing bounds processes here")
	}
	r, out := startHelper(t, f, opt, "bomb", "1000")
	lines, _ := io.ReadAll(out)
	_ = r.Wait()
	started := strings.Count(string(lines), "started")
	// Threads count too: each helper has several.
	assert.Less(t, started, limit, "output:\n%s", lines)
	assert.Greater(t, started, 0, "output:\n%s", lines)
	assert.Contains(t, string(lines), "refused")
}

func TestAnIsolatedRunHasNoNetwork(t *testing.T) {
	f := system()
	if !f.UserNS && !f.NetNS {
		t.Skip("no network namespace here (needs root, or unprivileged user namespaces)")
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	dial := func(isolate bool) string {
		r, out := startHelper(t, f, Options{Isolate: isolate}, "dial", l.Addr().String())
		b, _ := io.ReadAll(out)
		require.NoError(t, r.Wait())
		return string(b)
	}
	assert.Equal(t, "connected\n", dial(false), "the control run")
	assert.Contains(t, dial(true), "refused:")
}

// status returns the lines of /proc/PID/status named by keys, as this
// process sees them.
func status(t *testing.T, pid int, keys ...string) string {
	t.Helper()
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	require.NoError(t, err)
	var out strings.Builder
	for line := range strings.Lines(string(b)) {
		if k, v, _ := strings.Cut(line, ":"); slices.Contains(keys, k) {
			fmt.Fprintf(&out, "%s %s\n", k, strings.Join(strings.Fields(v), " "))
		}
	}
	return out.String()
}

func TestAnIsolatedRunDropsRoot(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("not root: nothing to drop")
	}
	for name, f := range map[string]facts{"system": system(), "degraded": degraded(t)} {
		t.Run(name, func(t *testing.T) {
			_, out := startHelper(t, f, Options{Isolate: true}, "pid")
			pid := readPids(t, out, 1)[0]
			assert.Equal(t, "Uid 65534 65534 65534 65534\nGid 65534 65534 65534 65534\nGroups \n",
				status(t, pid, "Uid", "Gid", "Groups"), "as the machine sees it")
			assert.Equal(t, "CapPrm 0000000000000000\nCapEff 0000000000000000\nCapAmb 0000000000000000\n",
				status(t, pid, "CapPrm", "CapEff", "CapAmb"), "no capability left")
		})
	}
}

// sharedFolder makes a world-writable folder that anyone can reach,
// outside /tmp, /var/tmp and /dev/shm: in this package's folder, else in
// the root folder, else in the home folder.
func sharedFolder(t *testing.T) string {
	t.Helper()
	home, _ := os.UserHomeDir()
	for _, parent := range []string{".", "/", home} {
		abs, err := filepath.Abs(parent)
		if err != nil || parent == "" || underPrivateTmp(abs) || !searchable(abs) {
			continue
		}
		dir, err := os.MkdirTemp(abs, "shared-")
		if err != nil {
			continue
		}
		t.Cleanup(func() { os.RemoveAll(dir) })
		require.NoError(t, os.Chmod(dir, 0o777))
		return dir
	}
	t.Skip("no writable folder outside /tmp, /var/tmp and /dev/shm to test the read-only view with")
	return ""
}

// searchable reports whether every folder from p up to the root lets
// anyone through.
func searchable(p string) bool {
	for d := p; ; d = filepath.Dir(d) {
		fi, err := os.Stat(d)
		if err != nil || fi.Mode().Perm()&0o001 == 0 {
			return false
		}
		if d == filepath.Dir(d) {
			return true
		}
	}
}

func underPrivateTmp(p string) bool {
	for _, d := range []string{"/tmp", "/var/tmp", "/dev/shm"} {
		if p == d || strings.HasPrefix(p, d+"/") {
			return true
		}
	}
	return false
}

func TestAnIsolatedRunKeepsItsFilesToItself(t *testing.T) {
	f := system()
	if f.Files == filesShared {
		t.Skip("no mount namespace here (needs root, or unprivileged user namespaces)")
	}
	// A folder writable by anyone, as /tmp is, but outside the folders the
	// run gets private copies of (where it would simply not exist).
	shared := sharedFolder(t)
	name := fmt.Sprintf("vmkata-sandbox-test-%d", os.Getpid())
	files := []string{"/tmp/" + name, "/var/tmp/" + name, "/dev/shm/" + name, filepath.Join(shared, name)}
	r, out := startHelper(t, f, Options{Isolate: true}, "write", files...)
	b, _ := io.ReadAll(out)
	require.NoError(t, r.Wait())
	for _, file := range files[:3] {
		assert.Contains(t, string(b), file+": <nil>\n", "the run has a private %s of its own", filepath.Dir(file))
	}
	if f.Files == filesReadOnly {
		assert.Contains(t, string(b), files[3]+": open "+files[3]+": read-only file system\n")
	}
	for _, file := range files {
		_, err := os.Stat(file)
		assert.True(t, errors.Is(err, os.ErrNotExist), "%s was written outside the run", file)
	}
}

func TestRlimitsAreInForce(t *testing.T) {
	f := degraded(t)
	opt := Options{Limits: Limits{Memory: 3 << 30, CPU: 1500 * time.Millisecond, Files: 77, Processes: 500}, Isolate: true}
	r, out := startHelper(t, f, opt, "limits")
	b, _ := io.ReadAll(out)
	require.NoError(t, r.Wait())
	got := string(b)
	assert.Regexp(t, `Max cpu time +2 +2 `, got)
	assert.Regexp(t, `Max open files +77 +77 `, got)
	assert.Regexp(t, `Max address space +3221225472 +3221225472 `, got)
	if f.Root {
		assert.Regexp(t, `Max processes +500 +500 `, got)
	}
}

func TestTheCPULimitStopsASpinner(t *testing.T) {
	r, _ := startHelper(t, system(), Options{Limits: Limits{CPU: time.Second}}, "spin")
	done := make(chan struct{})
	go func() { _ = r.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(30 * time.Second): // 1 s of CPU takes longer on a busy machine
		t.Fatal("a spinner outlived a 1 s CPU limit by 30 s")
	}
	assert.Equal(t, CPUTime, r.Cause(), "%v after %v of CPU", r.Wait(), r.cmd.ProcessState.UserTime()+r.cmd.ProcessState.SystemTime())
}

func TestUnavailableProtectionsAreReportedAndTheRunStillHappens(t *testing.T) {
	f := degraded(t)
	f.Root = false
	opt := Options{Limits: Limits{Memory: 3 << 30, Processes: 100}, Isolate: true}
	r, _ := startHelper(t, f, opt, "exit")
	require.NoError(t, r.Wait())
	active := map[string]bool{}
	for _, p := range r.Protections() {
		active[p.Name] = p.Active
	}
	assert.Equal(t, map[string]bool{"files": false, "network": false, "memory limit": true, "process limit": false, "kill at the end": true}, active)
	d := Describe(r.Protections())
	assert.Contains(t, d, "network: not isolated on this system")
	assert.Contains(t, d, "memory limit: per process, 3072 MiB of address space (RLIMIT_AS; cannot place a process in a new cgroup v2 under ")
	assert.Contains(t, d, "process limit: not enforced on this system (the run shares your user id; ")
}

func TestStartSaysWhyTheProgramCouldNotRun(t *testing.T) {
	cmd := exec.Command("/nonexistent/program")
	_, err := Start(cmd, Options{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "/nonexistent/program")

	_, err = Start(cmd, Options{})
	assert.ErrorIs(t, err, ErrStarted, "a command cannot start twice")
}

func TestCloseRemovesTheCgroupAndIsIdempotent(t *testing.T) {
	f := system()
	r, _ := startHelper(t, f, Options{}, "sleep")
	leaf := r.os.leaf
	require.NoError(t, r.Close())
	require.NoError(t, r.Close())
	assert.Equal(t, Killed, r.Cause())
	if f.Cgroup {
		_, err := os.Stat(leaf)
		assert.True(t, errors.Is(err, os.ErrNotExist), "cgroup %s left behind", leaf)
	}
}

// ExampleStart runs a program under limits and reports what was in force.
func ExampleStart() {
	cmd := helperCmd("exit")
	r, err := Start(cmd, Options{Limits: Limits{CPU: time.Second, Files: 64}})
	if err != nil {
		panic(err)
	}
	defer r.Close()
	err = r.Wait()
	fmt.Println(err == nil, r.Cause(), Describe(r.Protections()))
}

// BenchmarkStart times starting and waiting for a trivial Go program,
// plainly and sandboxed.
func BenchmarkStart(b *testing.B) {
	dir, err := os.MkdirTemp("", "sandbox-bench-") // uid 65534 must reach it
	if err == nil {
		b.Cleanup(func() { os.RemoveAll(dir) })
		err = os.Chmod(dir, 0o755)
	}
	if err != nil {
		b.Fatal(err)
	}
	bin := dir + "/trivial"
	build := exec.Command("go", "build", "-o", bin, "./testdata/trivial")
	if out, err := build.CombinedOutput(); err != nil {
		b.Fatalf("%v: %s", err, out)
	}
	b.Run("plain", func(b *testing.B) {
		for b.Loop() {
			if err := exec.Command(bin).Run(); err != nil {
				b.Fatal(err)
			}
		}
	})
	for _, isolate := range []bool{false, true} {
		b.Run("sandboxed/isolate="+strconv.FormatBool(isolate), func(b *testing.B) {
			opt := Options{Limits: Limits{Memory: 2 << 30, Processes: 100, CPU: 10 * time.Second, Files: 100}, Isolate: isolate}
			system()
			for b.Loop() {
				r, err := Start(exec.Command(bin), opt)
				if err != nil {
					b.Fatal(err)
				}
				if err := errors.Join(r.Wait(), r.Close()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// Package judge is the trusted side of sealed grading: it runs an
// exercise's specs in a process built only from the kit's own code, and
// reaches the learner's package through proxies to a subject process (see
// packages wire and subject).
//
// The judge of an exercise is the exercise's own test package built with a
// facade (grader/sealed/facade/exNN) in place of the learner's
// files: the same exported names, each a Func proxy:
//
//	var New = judge.Func[func(vm.TLBConfig) (*remote.TLB, error)]("New")
//
// The grader runs it with EnvSubject naming the subject binary. The
// subject starts on the first call; when it crashes, hangs or exits, the
// spec that was running fails with the reason, and the next call starts a
// fresh one. The subject is stopped after the suite.
package judge

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/onsi/ginkgo/v2"

	"github.com/vmkata/vmkata/grader/internal/sandbox"
	"github.com/vmkata/vmkata/grader/internal/subject"
	_ "github.com/vmkata/vmkata/grader/sealed/remote" // the vm proxies and value types
	"github.com/vmkata/vmkata/grader/sealed/wire"
)

// Environment variables the grader sets for a judge process.
const (
	EnvSubject     = "VMKATA_SUBJECT"        // path of the subject binary (required)
	EnvCallTimeout = "VMKATA_CALL_TIMEOUT"   // how long one call into the learner's code may take, e.g. "10s"
	EnvMemory      = "VMKATA_SUBJECT_MEMORY" // memory limit of the subject process tree, bytes
)

// MaxMessage bounds one message from the subject: the judge never holds
// more of the learner's output than that in memory.
const MaxMessage = 64 << 20

// DefaultCallTimeout bounds one call into the learner's code (callbacks
// included) when EnvCallTimeout is not set.
const DefaultCallTimeout = 10 * time.Second

var (
	current        = &process{}
	stopAfterSuite sync.Once

	// live is the subject's sandbox while one runs, for the signal handler.
	live         atomic.Pointer[sandbox.Run]
	stopOnSignal sync.Once
)

// endRunsOnSignal makes a judge asked to stop (SIGTERM, or an interrupt,
// as the grader does at its time limit) end its subject's whole run at
// once, children included, before the test framework's own handling winds
// the suite up; a judge killed outright would leave the subject's children
// running. Only a judge, which starts subjects, does this: other programs
// that link this package keep their own signal handling.
func endRunsOnSignal() {
	c := make(chan os.Signal, 1)
	signal.Notify(c, syscall.SIGTERM, os.Interrupt)
	go func() {
		for range c {
			if r := live.Load(); r != nil {
				_ = r.Close()
			}
		}
	}()
}

// Func returns a function of type F that calls the subject's function
// called name. F's results are converted as wire describes: a learner's
// object arrives as the proxy type F names (*remote.TLB, vm.Policy …).
func Func[F any](name string) F {
	stopAfterSuite.Do(func() { ginkgo.AfterSuite(Stop) })
	t := reflect.TypeFor[F]()
	if t.Kind() != reflect.Func {
		panic(fmt.Sprintf("judge.Func: %v is not a func type", t))
	}
	return reflect.MakeFunc(t, func(in []reflect.Value) []reflect.Value {
		args := make([]any, len(in))
		for i, v := range in {
			args[i] = v.Interface()
		}
		outs := make([]any, t.NumOut())
		for i := range outs {
			outs[i] = reflect.New(t.Out(i)).Interface()
		}
		Call(name, args, outs...)
		res := make([]reflect.Value, len(outs))
		for i, o := range outs {
			res[i] = reflect.ValueOf(o).Elem()
		}
		return res
	}).Interface().(F)
}

// Call calls the subject's function name with args and stores its results
// in out (pointers), starting the subject if it is not running.
func Call(name string, args []any, out ...any) {
	c, err := current.conn()
	if err != nil {
		panic(fmt.Sprintf("could not start your code's process: %v", err))
	}
	c.Call(wire.Ref{}, name, args, out...)
}

// Stop ends the subject process, if any. Suites call it after the last spec.
func Stop() { current.stop() }

// process is the current subject process.
type process struct {
	mu       sync.Mutex
	cmd      *exec.Cmd
	run      *sandbox.Run // the subject's sandbox: every process it starts dies with it
	broken   atomic.Bool  // the connection timed out or broke: the next call starts a new subject
	startErr error        // why the subject could not start; set once, for every later call
	c        *wire.Conn
	stdin    io.Closer
	stderr   *tail
	done     chan struct{} // closed when cmd has been waited for
	dir      string
}

func (p *process) conn() (*wire.Conn, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.startErr != nil {
		// A subject that could not start (an init function that exits,
		// panics or never returns) would fail the same way again: every
		// later spec fails at once with the same reason.
		return nil, p.startErr
	}
	if p.c != nil {
		select {
		case <-p.done:
		default:
			if !p.broken.Load() {
				return p.c, nil
			}
			// Timed out or broken: the subject is being killed.
			p.kill()
			<-p.done
		}
		p.cleanup()
	}
	c, err := p.start()
	p.startErr = err
	return c, err
}

func (p *process) start() (*wire.Conn, error) {
	bin := os.Getenv(EnvSubject)
	if bin == "" {
		return nil, fmt.Errorf("%s is not set (the grader runs judge suites)", EnvSubject)
	}
	timeout := DefaultCallTimeout
	if s := os.Getenv(EnvCallTimeout); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil || d <= 0 {
			return nil, fmt.Errorf("%s=%q: want a positive duration such as 10s", EnvCallTimeout, s)
		}
		timeout = d
	}
	dir, err := os.MkdirTemp("", "vmkata-subject-")
	if err != nil {
		return nil, err
	}
	// The subject may run as an unprivileged user (see SubjectLimits).
	if err := os.Chmod(dir, 0o777); err != nil {
		return nil, err
	}
	cmd := exec.Command(bin)
	cmd.Dir = dir
	cmd.Env = []string{"HOME=" + dir, "TMPDIR=" + dir, "GOMAXPROCS=2", "GOTRACEBACK=single"}
	// The judge's ends are its own (not exec's StdinPipe/StdoutPipe, which
	// Wait closes under a reader), in blocking mode (Fd does that): replies
	// are read with plain read calls on the calling goroutine.
	stdinR, stdin, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	stdout, stdoutW, err := os.Pipe()
	if err != nil {
		stdinR.Close()
		stdin.Close()
		return nil, err
	}
	stdin.Fd()
	stdout.Fd()
	cmd.Stdin, cmd.Stdout = stdinR, stdoutW
	p.stderr = &tail{max: 16 << 10}
	cmd.Stderr = p.stderr
	cmd.WaitDelay = time.Second
	err = p.startSandboxed(cmd)
	// The subject's ends are the subject's alone now: a subject that dies
	// is seen as the end of its output at once.
	stdinR.Close()
	stdoutW.Close()
	if err != nil {
		stdin.Close()
		stdout.Close()
		os.RemoveAll(dir)
		return nil, err
	}
	p.cmd, p.stdin, p.dir = cmd, stdin, dir
	stopOnSignal.Do(endRunsOnSignal)
	live.Store(p.run)
	p.done = make(chan struct{})
	go func(run *sandbox.Run, done chan struct{}) {
		_ = run.Wait()
		close(done)
	}(p.run, p.done)

	r := bufio.NewReader(stdout)
	if err := skipToMagic(r, p.done); err != nil {
		p.failStart()
		return nil, fmt.Errorf("%v%s", err, p.stderr.String())
	}
	c := wire.NewConn(r, stdin, nil)
	c.Strict = true
	c.MaxMessage = MaxMessage
	c.Timeout = timeout
	c.OnTimeout = func() { p.broken.Store(true); p.kill() }
	c.Closed = func(err error) string {
		p.broken.Store(true)
		if errors.Is(err, wire.ErrTooLarge) {
			p.kill()
			return fmt.Sprintf("your code's process sent a reply over %d MiB: no answer of the exercise is that large", MaxMessage>>20)
		}
		return p.describeExit(err)
	}
	hello := time.AfterFunc(10*time.Second, p.kill)
	err = c.AwaitHello()
	hello.Stop()
	if err != nil {
		p.failStart()
		return nil, err
	}
	p.c = c
	return c, nil
}

// failStart ends a subject that did not start serving and forgets it.
// Called with p.mu held.
func (p *process) failStart() {
	p.kill()
	<-p.done
	p.cleanup()
}

// skipToMagic reads r up to and including subject.Magic.
func skipToMagic(r *bufio.Reader, done <-chan struct{}) error {
	found := make(chan error, 1)
	go func() {
		var seen []byte
		for {
			b, err := r.ReadByte()
			if err != nil {
				found <- errors.New("your code's process ended before it started serving")
				return
			}
			seen = append(seen, b)
			if bytes.HasSuffix(seen, []byte(subject.Magic)) {
				found <- nil
				return
			}
			if len(seen) > 1<<20 {
				seen = seen[len(seen)-len(subject.Magic):]
			}
		}
	}()
	select {
	case err := <-found:
		return err
	case <-time.After(30 * time.Second):
		return errors.New("your code's process did not start within 30s (an init function that does not return?)")
	}
}

// describeExit says why the subject went away, for the failing spec.
func (p *process) describeExit(error) string {
	select {
	case <-p.done:
	case <-time.After(2 * time.Second):
		p.kill()
		<-p.done
	}
	st := p.cmd.ProcessState
	var why string
	switch {
	case st == nil:
		why = "stopped"
	case p.run.Cause() == sandbox.OutOfMemory || p.stderr.Contains("out of memory") || p.stderr.Contains("cannot allocate memory"):
		why = "ran out of memory"
	case p.run.Cause() == sandbox.CPUTime:
		why = "used up its CPU time"
	case !st.Exited():
		why = "was killed (" + st.String() + "; over a limit of the sandbox?)"
	case st.ExitCode() == 2 && p.stderr.Contains("goroutine "):
		why = "crashed with a fatal runtime error or a panic in a goroutine"
	default:
		why = fmt.Sprintf("exited with status %d (os.Exit?)", st.ExitCode())
	}
	return "your code's process " + why + p.stderr.String()
}

func (p *process) kill() {
	if p.run != nil {
		p.run.Kill()
	}
}

// cleanup forgets a finished process. Called with p.mu held.
func (p *process) cleanup() {
	if p.stdin != nil {
		p.stdin.Close()
	}
	if p.run != nil {
		live.CompareAndSwap(p.run, nil)
		_ = p.run.Close()
	}
	os.RemoveAll(p.dir)
	p.c, p.cmd, p.run, p.stdin, p.dir = nil, nil, nil, nil, ""
	p.broken.Store(false)
}

func (p *process) stop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cmd == nil {
		return
	}
	p.stdin.Close()
	select {
	case <-p.done:
	case <-time.After(2 * time.Second):
		p.kill()
		<-p.done
	}
	p.cleanup()
}

// tail keeps the first and the last bytes written to it: a Go program's
// fatal error comes first, its goroutines' stacks after.
type tail struct {
	mu   sync.Mutex
	max  int
	head []byte
	buf  []byte
}

func (t *tail) Write(b []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if room := t.max/4 - len(t.head); room > 0 {
		n := min(room, len(b))
		t.head = append(t.head, b[:n]...)
		b = b[n:]
	}
	t.buf = append(t.buf, b...)
	if len(t.buf) > t.max {
		t.buf = t.buf[len(t.buf)-t.max:]
	}
	return len(b), nil
}

// Contains reports whether s was written (within what is kept).
func (t *tail) Contains(s string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return strings.Contains(string(t.head), s) || strings.Contains(string(t.buf), s)
}

// String returns the first and last lines of the kept output, indented,
// after a newline; or "" when there is none.
func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	lines := strings.Split(strings.TrimSpace(string(t.head)), "\n")
	if len(lines) > 12 {
		lines = lines[:12]
	}
	if rest := strings.TrimSpace(string(t.buf)); rest != "" {
		more := strings.Split(rest, "\n")
		if len(more) > 12 {
			more = more[len(more)-12:]
		}
		lines = append(append(lines, "…"), more...)
	}
	s := strings.TrimSpace(strings.Join(lines, "\n"))
	if s == "" {
		return ""
	}
	return "\nits output:\n  " + strings.ReplaceAll(s, "\n", "\n  ")
}

package script

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"

	"github.com/vmkata/vmkata/reference/kernel"
	"github.com/vmkata/vmkata/vm"
)

// Options tune Run.
type Options struct {
	// JSON prints one JSON object per line instead of text.
	JSON bool
	// Parts, if set, is called on the configuration of every boot, after
	// the script's config lines: it plugs other parts into the kernel's
	// seams (kernel.Config's NewTLB, FaultHandler …). An error fails the
	// boot.
	Parts func(cfg *kernel.Config) error
}

// Run executes prog on a fresh reference kernel and writes the event log
// to w. It returns nil when every command ran and every expect held, an
// *ExpectError for the first expect that did not hold (the summary is
// still printed), or an *Error for a command that could not run (an
// unknown or dead process, a CPU that does not exist, a bad kernel
// configuration). After every command the kernel's invariants are checked
// (kernel.Check); a broken one is an *Error too: a bug in the kernel.
func Run(prog *Program, w io.Writer, opt Options) error {
	m := &machine{file: prog.File, log: newLogger(w, opt.JSON), parts: opt.Parts}
	m.reset()
	for _, c := range prog.Commands {
		m.line = c.Line()
		m.log.command(c)
		if err := c.run(m); err != nil {
			var ee *ExpectError
			if errors.As(err, &ee) {
				m.summary()
				return ee
			}
			var se *Error
			if errors.As(err, &se) {
				return se
			}
			return &Error{File: m.file, Line: m.line, Msg: err.Error()}
		}
		if m.k != nil {
			if err := m.k.Check(); err != nil {
				return &Error{File: m.file, Line: m.line, Msg: fmt.Sprintf("the kernel broke an invariant: %v", err)}
			}
		}
	}
	m.summary()
	return m.log.err
}

// machine is the state of a running script: the kernel (booted at the
// first command that needs it), the named processes and variables, the
// outcome of the last command and the counters at the last mark.
type machine struct {
	file  string
	log   *logger
	line  int
	parts func(cfg *kernel.Config) error // Options.Parts

	cfg     kernel.Config    // the configuration of the next boot
	k       *kernel.Kernel   // nil until booted
	procs   map[string]*proc // by name
	names   map[int]string   // pid -> name
	vars    map[string]vm.VAddr
	pending string // the name the next new process gets (its spawn event comes before its pid)
	last    outcome
	marked  map[string]uint64 // counters at the last mark (nil: since boot)
}

// proc is a named process.
type proc struct {
	name string
	pid  int
	dead error // why it is gone; nil while alive
}

// outcome is what the last command that ran did: nothing wrong, a fatal
// signal (a *kernel.SignalError) or a failed system call (errno set).
type outcome struct {
	line  int
	src   string
	err   error
	errno string
}

// reset forgets the kernel and everything in it; the next command boots a
// new one with the configuration given since.
func (m *machine) reset() {
	m.cfg = kernel.Config{Frames: 64, SwapSlots: 64}
	m.k = nil
	m.procs = map[string]*proc{}
	m.names = map[int]string{}
	m.vars = map[string]vm.VAddr{}
	m.last = outcome{}
	m.marked = nil
}

// kernel returns the kernel, booting it on first use.
func (m *machine) kernel() (*kernel.Kernel, error) {
	if m.k != nil {
		return m.k, nil
	}
	cfg := m.cfg
	cfg.Observer = m.observe
	if m.parts != nil {
		if err := m.parts(&cfg); err != nil {
			return nil, fmt.Errorf("booting the kernel: %v", err)
		}
	}
	k, err := kernel.New(cfg)
	if err != nil {
		return nil, fmt.Errorf("booting the kernel: %v", err)
	}
	m.k = k
	m.log.boot(m.line, k.Config())
	return k, nil
}

// observe logs a kernel event, naming its process.
func (m *machine) observe(e kernel.Event) {
	if _, ok := m.names[e.Pid]; !ok && e.Pid != 0 && m.pending != "" {
		m.names[e.Pid] = m.pending
	}
	m.log.event(m.line, e, m.names[e.Pid])
}

// live returns the live process called name (booting the kernel if no
// command has yet: the answer is then "no such process").
func (m *machine) live(name string) (*proc, error) {
	if _, err := m.kernel(); err != nil {
		return nil, err
	}
	p, ok := m.procs[name]
	switch {
	case !ok:
		return nil, fmt.Errorf("no process named %q (spawn or fork it first)", name)
	case p.dead != nil:
		return nil, fmt.Errorf("process %q is dead (%v)", name, p.dead)
	}
	return p, nil
}

// newProc reserves name for a process about to be created.
func (m *machine) newProc(name string) error {
	if _, ok := m.procs[name]; ok {
		return fmt.Errorf("a process named %q exists already", name)
	}
	m.pending = name
	return nil
}

// born records the process created under the pending name.
func (m *machine) born(pid int) {
	m.procs[m.pending] = &proc{name: m.pending, pid: pid}
	m.names[pid] = m.pending
	m.pending = ""
}

// settle records the outcome of a kernel call made for the command at src
// and marks the processes that died. A fatal signal and a failed system
// call are outcomes the script may expect, not errors; any other error is
// returned: the script is wrong (or the kernel broken).
func (m *machine) settle(src string, err error) error {
	m.pending = ""
	m.reap()
	m.last = outcome{line: m.line, src: src, err: err}
	if err == nil {
		return nil
	}
	var se *kernel.SignalError
	if errors.As(err, &se) {
		m.log.note(m.line, "killed", fmt.Sprintf("%s killed: %v", m.names[se.Pid], se))
		return nil
	}
	if m.last.errno = errnoOf(err); m.last.errno != "" {
		m.log.note(m.line, "syscall_error", fmt.Sprintf("failed with %s: %v", m.last.errno, err))
		return nil
	}
	return err
}

// reap marks the processes that died (a fatal signal, the OOM killer).
func (m *machine) reap() {
	for _, p := range m.procs {
		if p.dead != nil {
			continue
		}
		if _, err := m.k.RSS(p.pid); err != nil {
			p.dead = err
		}
	}
}

// errnoOf names the errno of a failed system call, or "" if err is not one.
func errnoOf(err error) string {
	switch {
	case errors.Is(err, kernel.ErrNoMemory):
		return "ENOMEM"
	case errors.Is(err, kernel.ErrInvalid):
		return "EINVAL"
	case errors.Is(err, kernel.ErrNoFile):
		return "ENOENT"
	}
	return ""
}

// addr resolves an address expression for process p.
func (m *machine) addr(e addrExpr, p *proc) (vm.VAddr, error) {
	base := vm.VAddr(e.num)
	switch e.sym {
	case "":
	case "text":
		base = m.k.TextBase()
	case "stack":
		base = m.k.StackTop()
	case "mmap":
		base = m.k.MmapBase()
	case "heap":
		h, err := m.k.HeapStart(p.pid)
		if err != nil {
			return 0, err
		}
		base = h
	case "brk":
		b, err := m.k.Brk(p.pid, 0)
		if err != nil {
			return 0, err
		}
		base = b
	default:
		v, ok := m.vars[e.sym]
		if !ok {
			return 0, fmt.Errorf("unknown address name %q (text, heap, brk, stack, mmap, or a variable bound by mmap … as VAR)", e.sym)
		}
		base = v
	}
	va := vm.VAddr(int64(base) + e.off)
	if (e.off > 0 && va < base) || (e.off < 0 && va > base) {
		return 0, fmt.Errorf("address %v wraps around", e)
	}
	return va, nil
}

// counters returns every counter by name: the kernel's Stats fields and,
// per CPU, its TLB's (cpu0.tlb_hits, cpu0.tlb_misses, …).
func (m *machine) counters() map[string]uint64 {
	out := map[string]uint64{}
	for _, f := range m.k.Stats().Fields() {
		out[f.Name] = f.Value
	}
	for c := range m.k.CPUs() {
		s, _ := m.k.TLBStats(c)
		pre := fmt.Sprintf("cpu%d.tlb_", c)
		out[pre+"hits"], out[pre+"misses"], out[pre+"inserts"] = s.Hits, s.Misses, s.Inserts
		out[pre+"evictions"], out[pre+"flushes"] = s.Evictions, s.Flushes
	}
	return out
}

// summary prints the counters and every process's RSS, if a kernel ran.
func (m *machine) summary() {
	if m.k == nil {
		return
	}
	var ps []procSummary
	for _, name := range slices.Sorted(maps.Keys(m.procs)) {
		p := m.procs[name]
		s := procSummary{Name: name, Pid: p.pid, Alive: p.dead == nil}
		if p.dead == nil {
			s.RSS, _ = m.k.RSS(p.pid)
			s.Swapped, _ = m.k.Swapped(p.pid)
		} else {
			s.Death = p.dead.Error()
		}
		ps = append(ps, s)
	}
	m.log.summary(m.k.Stats(), ps)
}

// procSummary is one process in the summary.
type procSummary struct {
	Name    string `json:"name"`
	Pid     int    `json:"pid"`
	Alive   bool   `json:"alive"`
	RSS     int    `json:"rss"`
	Swapped int    `json:"swapped"`
	Death   string `json:"death,omitempty"`
}

// Status is the exit status of a run that ended with err (from Parse or
// Run): 0 for nil, 1 for an *ExpectError (an expect did not hold), 2 for
// anything else (a bad script, a command that could not run).
func Status(err error) int {
	var failed *ExpectError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &failed):
		return 1
	}
	return 2
}

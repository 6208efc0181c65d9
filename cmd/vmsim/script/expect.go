package script

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/vmkata/vmkata/reference/kernel"
	"github.com/vmkata/vmkata/vm"
)

// expectCmd is "expect …": an assertion about the simulated system that
// makes a script check itself. A failed one stops the script with an
// *ExpectError saying what was expected and what happened.
type expectCmd struct {
	at
	what  string   // read, segv, sigbus, ok, error, killed, alive, counter, delta, rss, swapped, vmas, page, refs, file
	name  string   // process, counter or file
	addr  addrExpr // read, page, refs
	n     uint64   // LEN of read and file; the number compared by counters
	off   uint64   // file offset
	op    string   // ==, !=, <, <=, >, >=
	data  pattern  // read, file
	state string   // page state; signal kind or errno
}

var expectUsage = `expect read NAME ADDR [LEN] ==|!= VALUE|"text" | expect file FILE [OFFSET] ==|!= VALUE|"text" | ` +
	`expect segv [maperr|accerr] | expect sigbus | expect ok | expect error ENOMEM|EINVAL|ENOENT | ` +
	`expect killed NAME [segv|sigbus|oom] | expect alive NAME | expect counter|delta COUNTER OP N | ` +
	`expect rss|swapped|vmas NAME OP N | expect page NAME ADDR none|present|swapped|zero|writable|readonly | expect refs NAME ADDR OP N`

var ops = []string{"==", "!=", "<", "<=", ">", ">="}

func (c *expectCmd) String() string {
	s := "expect " + c.what
	switch c.what {
	case "read":
		s += fmt.Sprintf(" %s %v %#x %s %v", c.name, c.addr, c.n, c.op, c.data)
	case "file":
		s += fmt.Sprintf(" %q %#x %#x %s %v", c.name, c.off, c.n, c.op, c.data)
	case "segv", "error":
		if c.state != "" {
			s += " " + c.state
		}
	case "killed":
		s += " " + c.name
		if c.state != "" {
			s += " " + c.state
		}
	case "alive":
		s += " " + c.name
	case "counter", "delta", "rss", "swapped", "vmas":
		s += fmt.Sprintf(" %s %s %d", c.name, c.op, c.n)
	case "page":
		s += fmt.Sprintf(" %s %v %s", c.name, c.addr, c.state)
	case "refs":
		s += fmt.Sprintf(" %s %v %s %d", c.name, c.addr, c.op, c.n)
	}
	return s
}

func parseExpect(c at, a *args) (Command, error) {
	a.usage = expectUsage
	what, err := a.oneOf("expectation", "read", "file", "segv", "sigbus", "ok", "error", "killed", "alive",
		"counter", "delta", "rss", "swapped", "vmas", "page", "refs")
	if err != nil {
		return nil, err
	}
	a.cmd = "expect " + what
	cmd := &expectCmd{at: c, what: what}
	switch what {
	case "read", "file":
		if what == "read" {
			if cmd.name, err = a.name("NAME"); err == nil {
				cmd.addr, err = a.addr()
			}
		} else if cmd.name, err = a.file(); err == nil && a.more() && !slices.Contains(ops, a.peek()) {
			cmd.off, err = a.size("OFFSET")
		}
		if err != nil {
			return nil, err
		}
		lenGiven := a.more() && !slices.Contains(ops, a.peek())
		if lenGiven {
			if cmd.n, err = a.size("LEN"); err != nil {
				return nil, err
			}
			if cmd.n == 0 {
				return nil, fmt.Errorf("%s: zero length", a.cmd)
			}
		}
		if cmd.op, err = a.oneOf("==|!=", "==", "!="); err != nil {
			return nil, err
		}
		if cmd.data, err = a.pattern(); err != nil {
			return nil, err
		}
		if !lenGiven {
			cmd.n = cmd.data.defaultLen()
		}
	case "segv":
		if a.more() {
			cmd.state, err = a.oneOf("code", "maperr", "accerr")
		}
	case "error":
		cmd.state, err = a.oneOf("errno", "ENOMEM", "EINVAL", "ENOENT")
	case "killed", "alive":
		if cmd.name, err = a.name("NAME"); err == nil && what == "killed" && a.more() {
			cmd.state, err = a.oneOf("cause", "segv", "sigbus", "oom")
		}
	case "counter", "delta":
		if cmd.name, err = a.word("COUNTER"); err != nil {
			return nil, err
		}
		if !knownCounter(cmd.name) {
			return nil, fmt.Errorf("%s: unknown counter %q (counters: %s, and cpuN.tlb_hits, cpuN.tlb_misses, cpuN.tlb_inserts, cpuN.tlb_evictions, cpuN.tlb_flushes)",
				a.cmd, cmd.name, strings.Join(counterNames(), ", "))
		}
		err = cmd.compare(a)
	case "rss", "swapped", "vmas":
		if cmd.name, err = a.name("NAME"); err == nil {
			err = cmd.compare(a)
		}
	case "page", "refs":
		if cmd.name, err = a.name("NAME"); err == nil {
			cmd.addr, err = a.addr()
		}
		if err == nil && what == "page" {
			cmd.state, err = a.oneOf("state", "none", "present", "swapped", "zero", "writable", "readonly")
		} else if err == nil {
			err = cmd.compare(a)
		}
	}
	return cmd, err
}

// compare parses "OP N".
func (c *expectCmd) compare(a *args) error {
	var err error
	if c.op, err = a.oneOf("OP", ops...); err != nil {
		return err
	}
	w, err := a.word("N")
	if err != nil {
		return err
	}
	if c.n, err = parseSize(w); err != nil {
		return a.wrap(err)
	}
	return nil
}

func counterNames() []string {
	var names []string
	for _, f := range (kernel.Stats{}).Fields() {
		names = append(names, f.Name)
	}
	return names
}

var tlbCounter = regexp.MustCompile(`^cpu([0-9]|[1-5][0-9]|6[0-3])\.tlb_(hits|misses|inserts|evictions|flushes)$`)

func knownCounter(name string) bool {
	return slices.Contains(counterNames(), name) || tlbCounter.MatchString(name)
}

// holds applies the comparison.
func holds(got uint64, op string, want uint64) bool {
	switch op {
	case "==":
		return got == want
	case "!=":
		return got != want
	case "<":
		return got < want
	case "<=":
		return got <= want
	case ">":
		return got > want
	}
	return got >= want
}

func (c *expectCmd) run(m *machine) error {
	if _, err := m.kernel(); err != nil {
		return err
	}
	got, err := c.check(m)
	if err != nil {
		return err
	}
	if got != "" {
		return &ExpectError{File: m.file, Line: c.line, Msg: fmt.Sprintf("%s: %s", c.src, got)}
	}
	m.log.note(c.line, "expect", "ok")
	return nil
}

// check returns "" when the expectation holds, what happened instead when
// it does not, or an error when it cannot be checked (an unknown process).
func (c *expectCmd) check(m *machine) (string, error) {
	last := m.last
	if last.line == 0 {
		last.src = "nothing"
	}
	switch c.what {
	case "ok":
		if last.err != nil {
			return fmt.Sprintf("line %d (%s) failed: %v", last.line, last.src, last.err), nil
		}
	case "segv", "sigbus":
		var se *kernel.SignalError
		if !errors.As(last.err, &se) {
			return fmt.Sprintf("line %d (%s) ended with %s, no signal", last.line, last.src, errText(last.err)), nil
		}
		want := kernel.SIGSEGV
		if c.what == "sigbus" {
			want = kernel.SIGBUS
		}
		code := map[string]kernel.SignalCode{"maperr": kernel.SegvMapErr, "accerr": kernel.SegvAccErr}[c.state]
		if se.Signal != want || (code != 0 && se.Code != code) {
			return fmt.Sprintf("line %d (%s) got %v (%v)", last.line, last.src, se.Signal, se.Code), nil
		}
	case "error":
		if last.errno != c.state {
			return fmt.Sprintf("line %d (%s) ended with %s", last.line, last.src, errText(last.err)), nil
		}
	case "killed", "alive":
		p, ok := m.procs[c.name]
		if !ok {
			return "", fmt.Errorf("no process named %q", c.name)
		}
		if c.what == "alive" {
			if p.dead != nil {
				return fmt.Sprintf("%s is dead: %v", c.name, p.dead), nil
			}
			return "", nil
		}
		cause := map[string]error{"": kernel.ErrKilled, "segv": kernel.ErrSegv, "sigbus": kernel.ErrBus, "oom": kernel.ErrOOM}[c.state]
		switch {
		case p.dead == nil:
			return fmt.Sprintf("%s is alive", c.name), nil
		case !errors.Is(p.dead, cause):
			return fmt.Sprintf("%s died otherwise: %v", c.name, p.dead), nil
		}
	case "counter", "delta":
		now := m.counters()
		if _, ok := now[c.name]; !ok {
			return "", fmt.Errorf("no counter %q on this machine (%d CPUs)", c.name, m.k.CPUs())
		}
		got := now[c.name]
		if c.what == "delta" && m.marked != nil {
			got -= m.marked[c.name]
		}
		if !holds(got, c.op, c.n) {
			return fmt.Sprintf("%s is %d", c.name, got), nil
		}
	case "rss", "swapped", "vmas":
		p, err := m.live(c.name)
		if err != nil {
			return "", err
		}
		var got int
		switch c.what {
		case "rss":
			got, _ = m.k.RSS(p.pid)
		case "swapped":
			got, _ = m.k.Swapped(p.pid)
		default:
			vmas, _ := m.k.VMAs(p.pid)
			got = len(vmas)
		}
		if !holds(uint64(got), c.op, c.n) {
			return fmt.Sprintf("%s of %s is %d", c.what, c.name, got), nil
		}
	case "page", "refs":
		return c.checkPage(m)
	case "read":
		return c.checkRead(m)
	case "file":
		data, err := m.k.ReadFile(c.name)
		if err != nil {
			return "", err
		}
		if c.off+c.n > uint64(len(data)) {
			return fmt.Sprintf("%s holds only %d bytes", c.name, len(data)), nil
		}
		got := data[c.off : c.off+c.n]
		if c.matches(got) != (c.op == "==") {
			return fmt.Sprintf("%s holds %s", c.name, describe(got)), nil
		}
	}
	return "", nil
}

func (c *expectCmd) checkPage(m *machine) (string, error) {
	p, va, err := m.target(c.name, c.addr)
	if err != nil {
		return "", err
	}
	info, err := m.k.PageInfo(p.pid, va)
	if err != nil {
		return "", err
	}
	state := info.State.String()
	if info.State == vm.PagePresent {
		switch {
		case info.PTE.PFN() == 0:
			state = "present (the zero page, read-only)"
		case info.PTE.Has(vm.PTEWritable):
			state = fmt.Sprintf("present (%v, writable, %d references)", info.PTE.PFN(), info.Refs)
		default:
			state = fmt.Sprintf("present (%v, read-only, %d references)", info.PTE.PFN(), info.Refs)
		}
	}
	if c.what == "refs" {
		got := uint64(info.Refs)
		if info.State != vm.PagePresent || !holds(got, c.op, c.n) {
			return fmt.Sprintf("the page at %v is %s", va, state), nil
		}
		return "", nil
	}
	present := info.State == vm.PagePresent
	ok := map[string]bool{
		"none": info.State == vm.PageNone, "swapped": info.State == vm.PageSwapped, "present": present,
		"zero":     present && info.PTE.PFN() == 0,
		"writable": present && info.PTE.Has(vm.PTEWritable), "readonly": present && !info.PTE.Has(vm.PTEWritable),
	}[c.state]
	if !ok {
		return fmt.Sprintf("the page at %v is %s", va, state), nil
	}
	return "", nil
}

// checkRead reads the bytes (a real access: it may fault, even kill).
func (c *expectCmd) checkRead(m *machine) (string, error) {
	p, va, err := m.target(c.name, c.addr)
	if err != nil {
		return "", err
	}
	buf := make([]byte, 0, min(c.n, chunk))
	for done := uint64(0); done < c.n; {
		k := min(c.n-done, chunk)
		b, err := m.k.Read(p.pid, va+vm.VAddr(done), int(k))
		m.reap()
		if err != nil {
			if errnoOf(err) == "" && !errors.As(err, new(*kernel.SignalError)) {
				return "", err
			}
			return fmt.Sprintf("the read failed: %v", err), nil
		}
		if bad := c.mismatch(b, done); bad >= 0 && c.op == "==" {
			return fmt.Sprintf("byte %d at %v is %#02x, want %#02x (read %s)", done+uint64(bad), va+vm.VAddr(done)+vm.VAddr(bad), b[bad], c.data.at(done+uint64(bad)), describe(b[:min(len(b), 64)])), nil
		} else if bad >= 0 {
			return "", nil // != holds
		}
		buf = append(buf[:0], b[:min(len(b), 64)]...)
		done += k
	}
	if c.op == "!=" {
		return fmt.Sprintf("read %s", describe(buf)), nil
	}
	return "", nil
}

// mismatch returns the index of the first byte of b (at offset off of the
// compared range) that differs from the pattern, or -1.
func (c *expectCmd) mismatch(b []byte, off uint64) int {
	for i, x := range b {
		if x != c.data.at(off+uint64(i)) {
			return i
		}
	}
	return -1
}

func (c *expectCmd) matches(b []byte) bool { return c.mismatch(b, 0) < 0 }

func errText(err error) string {
	if err == nil {
		return "success"
	}
	return err.Error()
}

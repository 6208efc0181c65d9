package script

import (
	"fmt"

	"github.com/vmkata/vmkata/vm"
)

// chunk is how many bytes an access moves at a time, so that a read of a
// large range does not need a buffer as large.
const chunk = 64 << 10

// readCmd is "read NAME ADDR [LEN]" (loads) or "fetch NAME ADDR [LEN]"
// (instruction fetches, which need execute permission).
type readCmd struct {
	at
	fetch bool
	name  string
	addr  addrExpr
	n     uint64
}

func (c *readCmd) String() string {
	op := "read"
	if c.fetch {
		op = "fetch"
	}
	return fmt.Sprintf("%s %s %v %#x", op, c.name, c.addr, c.n)
}

func parseRead(c at, a *args) (Command, error) {
	cmd := &readCmd{at: c, fetch: a.cmd == "fetch", n: 1}
	var err error
	if cmd.name, err = a.name("NAME"); err != nil {
		return nil, err
	}
	if cmd.addr, err = a.addr(); err != nil {
		return nil, err
	}
	if a.more() {
		if cmd.n, err = a.size("LEN"); err != nil {
			return nil, err
		}
		if cmd.n == 0 {
			return nil, fmt.Errorf("%s: zero length", a.cmd)
		}
	}
	return cmd, nil
}

func (c *readCmd) run(m *machine) error {
	p, va, err := m.target(c.name, c.addr)
	if err != nil {
		return err
	}
	got, err := m.readBytes(p, va, c.n, c.fetch)
	if err != nil {
		return m.settle(c.src, err)
	}
	m.log.read(c.line, p.name, va, c.n, describeRun(got, c.n))
	return m.settle(c.src, nil)
}

// readBytes reads n bytes at va in chunks; it keeps the first 64 bytes and
// whether all bytes were equal (what describeRun needs).
func (m *machine) readBytes(p *proc, va vm.VAddr, n uint64, fetch bool) (run, error) {
	var r run
	for done := uint64(0); done < n; {
		k := min(n-done, chunk)
		var b []byte
		var err error
		if fetch {
			b, err = m.k.Fetch(p.pid, va+vm.VAddr(done), int(k))
		} else {
			b, err = m.k.Read(p.pid, va+vm.VAddr(done), int(k))
		}
		if err != nil {
			return r, err
		}
		r.add(b)
		done += k
	}
	return r, nil
}

// run summarizes a long read: its first bytes and whether every byte was
// the same.
type run struct {
	head []byte
	n    uint64
	same bool
}

func (r *run) add(b []byte) {
	for _, c := range b {
		if r.n == 0 {
			r.same = true
		} else if c != r.head[0] {
			r.same = false
		}
		if len(r.head) < 64 {
			r.head = append(r.head, c)
		}
		r.n++
	}
}

// describeRun prints a read's bytes: all of them when they fit, a run of
// one byte as "0x00 × 65536".
func describeRun(r run, n uint64) string {
	if r.same && n > 1 {
		return fmt.Sprintf("%#02x × %d", r.head[0], n)
	}
	if n <= 64 {
		return describe(r.head)
	}
	return describe(r.head[:16]) + fmt.Sprintf(" … (%d bytes)", n)
}

// writeCmd is `write NAME ADDR VALUE|"text" [LEN]`: the pattern repeated
// over LEN bytes (default: one byte, or the text once).
type writeCmd struct {
	at
	name string
	addr addrExpr
	data pattern
	n    uint64
}

func (c *writeCmd) String() string {
	return fmt.Sprintf("write %s %v %v %#x", c.name, c.addr, c.data, c.n)
}

func parseWrite(c at, a *args) (Command, error) {
	cmd := &writeCmd{at: c}
	var err error
	if cmd.name, err = a.name("NAME"); err != nil {
		return nil, err
	}
	if cmd.addr, err = a.addr(); err != nil {
		return nil, err
	}
	if cmd.data, err = a.pattern(); err != nil {
		return nil, err
	}
	cmd.n = cmd.data.defaultLen()
	if a.more() {
		if cmd.n, err = a.size("LEN"); err != nil {
			return nil, err
		}
		if cmd.n == 0 {
			return nil, fmt.Errorf("write: zero length")
		}
	}
	return cmd, nil
}

func (c *writeCmd) run(m *machine) error {
	p, va, err := m.target(c.name, c.addr)
	if err != nil {
		return err
	}
	buf := make([]byte, min(c.n, chunk))
	for done := uint64(0); done < c.n; {
		k := min(c.n-done, chunk)
		c.data.fill(buf[:k], done)
		if err := m.k.Write(p.pid, va+vm.VAddr(done), buf[:k]); err != nil {
			return m.settle(c.src, err)
		}
		done += k
	}
	return m.settle(c.src, nil)
}

// target resolves a command's process and address.
func (m *machine) target(name string, e addrExpr) (*proc, vm.VAddr, error) {
	p, err := m.live(name)
	if err != nil {
		return nil, 0, err
	}
	va, err := m.addr(e, p)
	return p, va, err
}

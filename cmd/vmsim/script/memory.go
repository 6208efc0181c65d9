package script

import (
	"fmt"
	"strconv"

	"github.com/vmkata/vmkata/reference/kernel"
	"github.com/vmkata/vmkata/vm"
)

// mmapCmd is "mmap NAME ADDR|any LEN PROT anon|file FILE [OFFSET]
// private|shared [fixed] [as VAR]".
type mmapCmd struct {
	at
	name   string
	addr   *addrExpr // nil: any
	length uint64
	prot   vm.Perm
	file   string // "" for anon
	offset uint64
	shared bool
	fixed  bool
	as     string
}

func (c *mmapCmd) String() string {
	s := "mmap " + c.name + " "
	if c.addr == nil {
		s += "any"
	} else {
		s += c.addr.String()
	}
	s += fmt.Sprintf(" %#x %s ", c.length, protString(c.prot))
	if c.file == "" {
		s += "anon"
	} else {
		s += fmt.Sprintf("file %s %#x", strconv.Quote(c.file), c.offset)
	}
	if c.shared {
		s += " shared"
	} else {
		s += " private"
	}
	if c.fixed {
		s += " fixed"
	}
	if c.as != "" {
		s += " as " + c.as
	}
	return s
}

func parseMmap(c at, a *args) (Command, error) {
	cmd := &mmapCmd{at: c}
	var err error
	if cmd.name, err = a.name("NAME"); err != nil {
		return nil, err
	}
	if a.peek() == "any" {
		a.i++
	} else {
		e, err := a.addr()
		if err != nil {
			return nil, err
		}
		cmd.addr = &e
	}
	if cmd.length, err = a.size("LEN"); err != nil {
		return nil, err
	}
	w, err := a.word("PROT")
	if err != nil {
		return nil, err
	}
	if cmd.prot, err = parseProt(w); err != nil {
		return nil, a.wrap(err)
	}
	src, err := a.oneOf("anon|file", "anon", "file")
	if err != nil {
		return nil, err
	}
	if src == "file" {
		if cmd.file, err = a.file(); err != nil {
			return nil, err
		}
		if w := a.peek(); w != "private" && w != "shared" && w != "" {
			if cmd.offset, err = a.size("OFFSET"); err != nil {
				return nil, err
			}
		}
	}
	share, err := a.oneOf("private|shared", "private", "shared")
	if err != nil {
		return nil, err
	}
	cmd.shared = share == "shared"
	if a.peek() == "fixed" {
		a.i++
		cmd.fixed = true
		if cmd.addr == nil {
			return nil, fmt.Errorf("mmap: fixed needs an address, not any")
		}
	}
	if a.peek() == "as" {
		a.i++
		if cmd.as, err = a.name("VAR"); err != nil {
			return nil, err
		}
		switch cmd.as {
		case "text", "heap", "brk", "stack", "mmap", "any":
			return nil, fmt.Errorf("mmap: %s is a reserved name", cmd.as)
		}
	}
	return cmd, nil
}

func (c *mmapCmd) run(m *machine) error {
	p, err := m.live(c.name)
	if err != nil {
		return err
	}
	args := kernel.MmapArgs{Length: c.length, Perm: c.prot, Shared: c.shared, Fixed: c.fixed, File: c.file, Offset: c.offset}
	if c.addr != nil {
		if args.Addr, err = m.addr(*c.addr, p); err != nil {
			return err
		}
	}
	va, err := m.k.Mmap(p.pid, args)
	if err == nil && c.as != "" {
		m.vars[c.as] = va
		m.log.note(c.line, "bind", fmt.Sprintf("%s = %v", c.as, va))
	}
	return m.settle(c.src, err)
}

// rangeCmd is "munmap NAME ADDR LEN", "mprotect NAME ADDR LEN PROT" or
// "madvise NAME ADDR LEN dontneed|willneed".
type rangeCmd struct {
	at
	op     string
	name   string
	addr   addrExpr
	length uint64
	prot   vm.Perm       // mprotect
	advice kernel.Advice // madvise
}

func (c *rangeCmd) String() string {
	s := fmt.Sprintf("%s %s %v %#x", c.op, c.name, c.addr, c.length)
	switch c.op {
	case "mprotect":
		s += " " + protString(c.prot)
	case "madvise":
		s += map[kernel.Advice]string{kernel.MadvDontNeed: " dontneed", kernel.MadvWillNeed: " willneed"}[c.advice]
	}
	return s
}

func parseRange(c at, a *args) (Command, error) {
	cmd := &rangeCmd{at: c, op: a.cmd}
	var err error
	if cmd.name, err = a.name("NAME"); err != nil {
		return nil, err
	}
	if cmd.addr, err = a.addr(); err != nil {
		return nil, err
	}
	if cmd.length, err = a.size("LEN"); err != nil {
		return nil, err
	}
	switch cmd.op {
	case "mprotect":
		w, err := a.word("PROT")
		if err != nil {
			return nil, err
		}
		if cmd.prot, err = parseProt(w); err != nil {
			return nil, a.wrap(err)
		}
	case "madvise":
		adv, err := a.oneOf("ADVICE", "dontneed", "willneed")
		if err != nil {
			return nil, err
		}
		cmd.advice = kernel.MadvDontNeed
		if adv == "willneed" {
			cmd.advice = kernel.MadvWillNeed
		}
	}
	return cmd, nil
}

func (c *rangeCmd) run(m *machine) error {
	p, va, err := m.target(c.name, c.addr)
	if err != nil {
		return err
	}
	switch c.op {
	case "munmap":
		err = m.k.Munmap(p.pid, va, c.length)
	case "mprotect":
		err = m.k.Mprotect(p.pid, va, c.length, c.prot)
	default:
		err = m.k.Madvise(p.pid, va, c.length, c.advice)
	}
	return m.settle(c.src, err)
}

// brkCmd is "brk NAME ADDR" (set the break) or "brk NAME +DELTA|-DELTA"
// (move it, as sbrk does).
type brkCmd struct {
	at
	name  string
	addr  addrExpr // when delta is 0
	delta int64
}

func (c *brkCmd) String() string {
	if c.delta > 0 {
		return fmt.Sprintf("brk %s +%#x", c.name, c.delta)
	}
	if c.delta < 0 {
		return fmt.Sprintf("brk %s -%#x", c.name, -c.delta)
	}
	return fmt.Sprintf("brk %s %v", c.name, c.addr)
}

func parseBrk(c at, a *args) (Command, error) {
	cmd := &brkCmd{at: c}
	var err error
	if cmd.name, err = a.name("NAME"); err != nil {
		return nil, err
	}
	w := a.peek()
	if w != "" && (w[0] == '+' || w[0] == '-') {
		a.i++
		n, err := parseSize(w[1:])
		if err != nil || n == 0 || n > 1<<62 {
			return nil, fmt.Errorf("brk: %q is not a non-zero delta (usage: %s)", w, a.usage)
		}
		cmd.delta = int64(n)
		if w[0] == '-' {
			cmd.delta = -cmd.delta
		}
		return cmd, nil
	}
	cmd.addr, err = a.addr()
	return cmd, err
}

func (c *brkCmd) run(m *machine) error {
	p, err := m.live(c.name)
	if err != nil {
		return err
	}
	if c.delta != 0 {
		_, err = m.k.Sbrk(p.pid, c.delta)
		return m.settle(c.src, err)
	}
	va, err := m.addr(c.addr, p)
	if err != nil {
		return err
	}
	_, err = m.k.Brk(p.pid, va)
	return m.settle(c.src, err)
}

// dumpCmd is "dump NAME": the process's VMAs as /proc/PID/maps shows them,
// each with its resident pages, then the process's RSS and swap use.
type dumpCmd struct {
	at
	name string
}

func (c *dumpCmd) String() string { return "dump " + c.name }

func parseDump(c at, a *args) (Command, error) {
	name, err := a.name("NAME")
	return &dumpCmd{c, name}, err
}

// maxDumpPages bounds the pages a dump inspects per VMA for its RSS column.
const maxDumpPages = 1 << 16

func (c *dumpCmd) run(m *machine) error {
	p, err := m.live(c.name)
	if err != nil {
		return err
	}
	vmas, _ := m.k.VMAs(p.pid)
	rss, _ := m.k.RSS(p.pid)
	swapped, _ := m.k.Swapped(p.pid)
	brk, _ := m.k.Brk(p.pid, 0)
	ps := vm.VAddr(m.k.PageSize())
	var lines, maps []string
	lines = append(lines, fmt.Sprintf("%s (pid %d): %d VMAs, rss %d pages, %d swapped, brk %v", c.name, p.pid, len(vmas), rss, swapped, brk))
	for _, v := range vmas {
		resident, zero, inSwap := 0, 0, 0
		if v.Range.Len()/uint64(ps) <= maxDumpPages {
			for va := v.Range.Start; va < v.Range.End; va += ps {
				info, _ := m.k.PageInfo(p.pid, va)
				switch {
				case info.State == vm.PageSwapped:
					inSwap++
				case info.State == vm.PagePresent && info.PTE.PFN() == 0:
					zero++
				case info.State == vm.PagePresent:
					resident++
				}
			}
		}
		line := fmt.Sprintf("  %-60s rss %d", v.String(), resident)
		if zero > 0 {
			line += fmt.Sprintf(", %d zero page", zero)
		}
		if inSwap > 0 {
			line += fmt.Sprintf(", %d swapped", inSwap)
		}
		lines = append(lines, line)
		maps = append(maps, v.String())
	}
	m.log.lines(c.line, "dump", lines, map[string]any{"process": c.name, "pid": p.pid, "rss": rss, "swapped": swapped, "brk": brk.String(), "maps": maps})
	return nil
}

package script

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/vmkata/vmkata/reference/kernel"
)

// fileCmd is `file NAME SIZE [fill BYTE | text "…"]`: an in-memory file of
// SIZE bytes, zeroes, one byte repeated, or a text repeated.
type fileCmd struct {
	at
	name string
	size uint64
	fill *pattern // nil: zeroes
}

// maxFile bounds a file's size: its bytes live in the simulator.
const maxFile = 1 << 30

func (c *fileCmd) String() string {
	s := fmt.Sprintf("file %s %#x", strconv.Quote(c.name), c.size)
	switch {
	case c.fill == nil:
	case c.fill.quoted:
		s += " text " + c.fill.String()
	default:
		s += " fill " + c.fill.String()
	}
	return s
}

func parseFile(c at, a *args) (Command, error) {
	cmd := &fileCmd{at: c}
	var err error
	if cmd.name, err = a.file(); err != nil {
		return nil, err
	}
	if cmd.size, err = a.size("SIZE"); err != nil {
		return nil, err
	}
	if cmd.size > maxFile {
		return nil, fmt.Errorf("file: %#x bytes is more than the %#x a file may hold", cmd.size, maxFile)
	}
	if !a.more() {
		return cmd, nil
	}
	how, err := a.oneOf("fill|text", "fill", "text")
	if err != nil {
		return nil, err
	}
	p, err := a.pattern()
	if err != nil {
		return nil, err
	}
	if (how == "text") != p.quoted {
		return nil, fmt.Errorf(`file: want fill BYTE or text "…", got %s %v`, how, p)
	}
	cmd.fill = &p
	return cmd, nil
}

func (c *fileCmd) run(m *machine) error {
	k, err := m.kernel()
	if err != nil {
		return err
	}
	data := make([]byte, c.size)
	if c.fill != nil {
		c.fill.fill(data, 0)
	}
	k.WriteFile(c.name, data)
	return nil
}

// image is the layout options of spawn and exec.
type image struct {
	text, data string
	bss, stack uint64
}

func (im image) String() string {
	var b strings.Builder
	if im.text != "" {
		b.WriteString(" text " + strconv.Quote(im.text))
	}
	if im.data != "" {
		b.WriteString(" data " + strconv.Quote(im.data))
	}
	if im.bss != 0 {
		fmt.Fprintf(&b, " bss %#x", im.bss)
	}
	if im.stack != 0 {
		fmt.Fprintf(&b, " stack %#x", im.stack)
	}
	return b.String()
}

// parseImage reads layout options: text FILE, data FILE, bss SIZE, stack SIZE.
func parseImage(a *args, im *image) error {
	for a.more() {
		opt, err := a.oneOf("layout option", "text", "data", "bss", "stack")
		if err != nil {
			return err
		}
		switch opt {
		case "text":
			im.text, err = a.file()
		case "data":
			im.data, err = a.file()
		case "bss":
			im.bss, err = a.size("SIZE")
		case "stack":
			im.stack, err = a.size("SIZE")
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func (im image) kernelImage(name string) kernel.Image {
	return kernel.Image{Name: name, Text: im.text, Data: im.data, BSS: im.bss, Stack: im.stack}
}

// spawnCmd is "spawn NAME [layout]": a new process running an image.
type spawnCmd struct {
	at
	name string
	img  image
}

func (c *spawnCmd) String() string { return "spawn " + c.name + c.img.String() }

func parseSpawn(c at, a *args) (Command, error) {
	cmd := &spawnCmd{at: c}
	var err error
	if cmd.name, err = a.name("NAME"); err != nil {
		return nil, err
	}
	return cmd, parseImage(a, &cmd.img)
}

func (c *spawnCmd) run(m *machine) error {
	k, err := m.kernel()
	if err != nil {
		return err
	}
	if err := m.newProc(c.name); err != nil {
		return err
	}
	pid, err := k.Spawn(c.img.kernelImage(c.name))
	if err == nil {
		m.born(pid)
	}
	return m.settle(c.src, err)
}

// execCmd is "exec NAME FILE [layout]": the process's address space is
// replaced by the image, mapped lazily.
type execCmd struct {
	at
	name string
	img  image
}

func (c *execCmd) String() string {
	rest := c.img
	rest.text = ""
	return "exec " + c.name + " " + strconv.Quote(c.img.text) + rest.String()
}

func parseExec(c at, a *args) (Command, error) {
	cmd := &execCmd{at: c}
	var err error
	if cmd.name, err = a.name("NAME"); err != nil {
		return nil, err
	}
	if cmd.img.text, err = a.file(); err != nil {
		return nil, err
	}
	return cmd, parseImage(a, &cmd.img)
}

func (c *execCmd) run(m *machine) error {
	p, err := m.live(c.name)
	if err != nil {
		return err
	}
	return m.settle(c.src, m.k.Exec(p.pid, c.img.kernelImage(c.name)))
}

// forkCmd is "fork PARENT CHILD".
type forkCmd struct {
	at
	parent, child string
}

func (c *forkCmd) String() string { return "fork " + c.parent + " " + c.child }

func parseFork(c at, a *args) (Command, error) {
	cmd := &forkCmd{at: c}
	var err error
	if cmd.parent, err = a.name("PARENT"); err != nil {
		return nil, err
	}
	cmd.child, err = a.name("CHILD")
	return cmd, err
}

func (c *forkCmd) run(m *machine) error {
	p, err := m.live(c.parent)
	if err != nil {
		return err
	}
	if err := m.newProc(c.child); err != nil {
		return err
	}
	pid, err := m.k.Fork(p.pid)
	if err == nil {
		m.born(pid)
	}
	return m.settle(c.src, err)
}

// exitCmd is "exit NAME".
type exitCmd struct {
	at
	name string
}

func (c *exitCmd) String() string { return "exit " + c.name }

func parseExit(c at, a *args) (Command, error) {
	name, err := a.name("NAME")
	return &exitCmd{c, name}, err
}

func (c *exitCmd) run(m *machine) error {
	p, err := m.live(c.name)
	if err != nil {
		return err
	}
	err = m.k.Exit(p.pid)
	if err == nil {
		p.dead = fmt.Errorf("exited")
	}
	return m.settle(c.src, err)
}

// switchCmd is "switch CPU NAME": a context switch on CPU to the process.
type switchCmd struct {
	at
	cpu  int
	name string
}

func (c *switchCmd) String() string { return fmt.Sprintf("switch %d %s", c.cpu, c.name) }

func parseSwitch(c at, a *args) (Command, error) {
	w, err := a.word("CPU")
	if err != nil {
		return nil, err
	}
	n, err := parseNum(w)
	if err != nil || n > 63 {
		return nil, fmt.Errorf("switch: CPU %q is not a CPU number 0..63", w)
	}
	name, err := a.name("NAME")
	return &switchCmd{c, int(n), name}, err
}

func (c *switchCmd) run(m *machine) error {
	p, err := m.live(c.name)
	if err != nil {
		return err
	}
	if c.cpu >= m.k.CPUs() {
		return fmt.Errorf("switch: cpu %d does not exist (%d CPUs; see config cpus)", c.cpu, m.k.CPUs())
	}
	return m.settle(c.src, m.k.Switch(c.cpu, p.pid))
}

// syncCmd is "sync": dirty page-cache pages are written back to their files.
type syncCmd struct{ at }

func (c *syncCmd) String() string { return "sync" }

func parseSync(c at, _ *args) (Command, error) { return &syncCmd{c}, nil }

func (c *syncCmd) run(m *machine) error {
	k, err := m.kernel()
	if err != nil {
		return err
	}
	before := k.Stats().Writebacks
	k.Sync()
	m.log.note(c.line, "sync", fmt.Sprintf("%d dirty page-cache pages written back", k.Stats().Writebacks-before))
	return m.settle(c.src, nil)
}

// markCmd is "mark": expect delta compares with the counters from here.
type markCmd struct{ at }

func (c *markCmd) String() string { return "mark" }

func parseMark(c at, _ *args) (Command, error) { return &markCmd{c}, nil }

func (c *markCmd) run(m *machine) error {
	if _, err := m.kernel(); err != nil {
		return err
	}
	m.marked = m.counters()
	return nil
}

// repeatCmd is "repeat N COMMAND…": the command, N times.
type repeatCmd struct {
	at
	n    uint64
	body Command
}

// maxRepeat bounds a repeat, so that a typo cannot run for hours.
const maxRepeat = 1 << 20

func (c *repeatCmd) String() string { return fmt.Sprintf("repeat %d %v", c.n, c.body) }

func parseRepeat(c at, a *args) (Command, error) {
	w, err := a.word("N")
	if err != nil {
		return nil, err
	}
	n, err := parseNum(w)
	if err != nil || n < 1 || n > maxRepeat {
		return nil, fmt.Errorf("repeat: %q is not a count 1..%d", w, maxRepeat)
	}
	if !a.more() {
		return nil, fmt.Errorf("repeat: missing COMMAND (usage: %s)", a.usage)
	}
	body, err := parseTokens(c.line, c.src, a.toks[a.i:])
	if err != nil {
		return nil, err
	}
	switch body.(type) {
	case *configCmd, *rebootCmd, *repeatCmd:
		return nil, fmt.Errorf("repeat: cannot repeat %s", a.toks[a.i].text)
	}
	a.i = len(a.toks)
	return &repeatCmd{c, n, body}, nil
}

func (c *repeatCmd) run(m *machine) error {
	for range c.n {
		if err := c.body.run(m); err != nil {
			return err
		}
	}
	return nil
}

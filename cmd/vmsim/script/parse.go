package script

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// Program is a parsed script: its commands in order, each knowing its line.
type Program struct {
	File     string    // the script's name, for messages
	Commands []Command // one per non-blank, non-comment line
}

// Command is one parsed line of a script.
type Command interface {
	// Line returns the 1-based line the command was written on.
	Line() int
	// String prints the command in canonical form (numbers in hex, sizes
	// in bytes, defaults spelled out), which parses back to the same
	// command.
	String() string
	// source returns the command as written, without its comment.
	source() string
	// run executes the command on the machine.
	run(m *machine) error
}

// at is what every command carries: its line.
type at struct {
	line int
	src  string // the line as written, without its comment
}

// Line returns the command's line.
func (c at) Line() int { return c.line }

// Error is a mistake in a script: a line that does not parse, or a command
// that cannot run (an unknown process, a bad CPU). Error prints as
// "FILE:LINE: message".
type Error struct {
	File string
	Line int
	Msg  string
}

func (e *Error) Error() string { return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg) }

// ExpectError is an expect line that did not hold: the script ran, and the
// simulated system did not do what the script said it would. It prints as
// "FILE:LINE: expect …: got …".
type ExpectError struct {
	File string
	Line int
	Msg  string
}

func (e *ExpectError) Error() string { return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg) }

// spec describes one command word: its usage, whether it is a config line,
// and how its arguments parse.
type spec struct {
	usage string
	parse func(c at, a *args) (Command, error)
}

// commands maps each command word to its spec; init fills it (parse
// functions refer to it through repeat).
var commands map[string]spec

func init() {
	commands = map[string]spec{
		"config":   {"config KEY VALUE…", parseConfig},
		"reboot":   {"reboot", parseReboot},
		"file":     {`file NAME SIZE [fill BYTE | text "…"]`, parseFile},
		"spawn":    {"spawn NAME [text FILE] [data FILE] [bss SIZE] [stack SIZE]", parseSpawn},
		"exec":     {"exec NAME FILE [data FILE] [bss SIZE] [stack SIZE]", parseExec},
		"fork":     {"fork PARENT CHILD", parseFork},
		"exit":     {"exit NAME", parseExit},
		"switch":   {"switch CPU NAME", parseSwitch},
		"read":     {"read NAME ADDR [LEN]", parseRead},
		"fetch":    {"fetch NAME ADDR [LEN]", parseRead},
		"write":    {`write NAME ADDR VALUE|"text" [LEN]`, parseWrite},
		"mmap":     {"mmap NAME ADDR|any LEN PROT anon|file FILE [OFFSET] private|shared [fixed] [as VAR]", parseMmap},
		"munmap":   {"munmap NAME ADDR LEN", parseRange},
		"mprotect": {"mprotect NAME ADDR LEN PROT", parseRange},
		"madvise":  {"madvise NAME ADDR LEN dontneed|willneed", parseRange},
		"brk":      {"brk NAME ADDR|+DELTA|-DELTA", parseBrk},
		"sync":     {"sync", parseSync},
		"mark":     {"mark", parseMark},
		"dump":     {"dump NAME", parseDump},
		"repeat":   {"repeat N COMMAND…", parseRepeat},
		"expect":   {"expect WHAT…", parseExpect},
	}
}

// Parse reads a script. file names it in error messages. The first bad
// line stops the parse; its error is an *Error.
func Parse(file string, r io.Reader) (*Program, error) {
	prog := &Program{File: file}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	booted := false // a non-config command was seen since the start or the last reboot
	for line := 1; sc.Scan(); line++ {
		toks, err := lex(sc.Text())
		if err != nil {
			return nil, &Error{file, line, err.Error()}
		}
		if len(toks) == 0 {
			continue
		}
		c, err := parseTokens(line, source(sc.Text()), toks)
		if err != nil {
			return nil, &Error{file, line, err.Error()}
		}
		switch c.(type) {
		case *configCmd:
			if booted {
				return nil, &Error{file, line, "config must come before the first other command (or right after a reboot)"}
			}
		case *rebootCmd:
			booted = false
		default:
			booted = true
		}
		prog.Commands = append(prog.Commands, c)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	return prog, nil
}

// parseTokens parses one command from its tokens.
func parseTokens(line int, src string, toks []token) (Command, error) {
	if toks[0].quoted {
		return nil, fmt.Errorf("a line starts with a command word, not a string %s", toks[0])
	}
	name := toks[0].text
	s, ok := commands[name]
	if !ok {
		return nil, fmt.Errorf("unknown command %q (commands: %s)", name, commandList())
	}
	a := &args{cmd: name, usage: s.usage, toks: toks[1:]}
	c, err := s.parse(at{line, src}, a)
	if err != nil {
		return nil, err
	}
	if err := a.done(); err != nil {
		return nil, err
	}
	return c, nil
}

func commandList() string {
	return "config, reboot, file, spawn, exec, fork, exit, switch, read, fetch, write, mmap, munmap, mprotect, madvise, brk, sync, mark, dump, repeat, expect"
}

// args walks the arguments of one command.
type args struct {
	cmd, usage string
	toks       []token
	i          int
}

// more reports whether an argument is left.
func (a *args) more() bool { return a.i < len(a.toks) }

// peek returns the next bare word without taking it, or "".
func (a *args) peek() string {
	if !a.more() || a.toks[a.i].quoted {
		return ""
	}
	return a.toks[a.i].text
}

// next takes the next argument, a bare word or a string.
func (a *args) next(what string) (token, error) {
	if !a.more() {
		return token{}, fmt.Errorf("%s: missing %s (usage: %s)", a.cmd, what, a.usage)
	}
	t := a.toks[a.i]
	a.i++
	return t, nil
}

// word takes the next argument, which must be a bare word.
func (a *args) word(what string) (string, error) {
	t, err := a.next(what)
	if err != nil {
		return "", err
	}
	if t.quoted {
		return "", fmt.Errorf("%s: %s is a string, want %s (usage: %s)", a.cmd, t, what, a.usage)
	}
	return t.text, nil
}

// name takes a process or variable name.
func (a *args) name(what string) (string, error) {
	t, err := a.next(what)
	if err != nil {
		return "", err
	}
	if t.quoted || !isIdent(t.text) {
		return "", fmt.Errorf("%s: %s is not a valid %s (letters, digits, '_' and '.', starting with a letter)", a.cmd, t, what)
	}
	return t.text, nil
}

// file takes a file name: any word or string, e.g. /bin/app or "my file".
func (a *args) file() (string, error) {
	t, err := a.next("FILE")
	if err != nil {
		return "", err
	}
	if t.text == "" {
		return "", fmt.Errorf("%s: empty file name", a.cmd)
	}
	return t.text, nil
}

// done reports an error if arguments are left over.
func (a *args) done() error {
	if a.more() {
		return fmt.Errorf("%s: unexpected argument %s (usage: %s)", a.cmd, a.toks[a.i], a.usage)
	}
	return nil
}

// wrap prefixes an argument error with the command and its usage.
func (a *args) wrap(err error) error {
	return fmt.Errorf("%s: %v (usage: %s)", a.cmd, err, a.usage)
}

func (a *args) size(what string) (uint64, error) {
	w, err := a.word(what)
	if err != nil {
		return 0, err
	}
	n, err := parseSize(w)
	if err != nil {
		return 0, a.wrap(err)
	}
	return n, nil
}

func (a *args) addr() (addrExpr, error) {
	w, err := a.word("ADDR")
	if err != nil {
		return addrExpr{}, err
	}
	e, err := parseAddr(w)
	if err != nil {
		return addrExpr{}, a.wrap(err)
	}
	return e, nil
}

// oneOf takes a word that must be one of choices.
func (a *args) oneOf(what string, choices ...string) (string, error) {
	w, err := a.word(what)
	if err != nil {
		return "", err
	}
	for _, c := range choices {
		if w == c {
			return w, nil
		}
	}
	return "", fmt.Errorf("%s: %q is not a %s (want %s)", a.cmd, w, what, strings.Join(choices, ", "))
}

// source returns a line without its comment and surrounding spaces.
func source(line string) string {
	quoted := false
	for i := 0; i < len(line); i++ {
		switch c := line[i]; {
		case c == '\\' && quoted:
			i++
		case c == '"':
			quoted = !quoted
		case c == '#' && !quoted:
			return strings.TrimSpace(line[:i])
		}
	}
	return strings.TrimSpace(line)
}

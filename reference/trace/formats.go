package trace

import (
	"fmt"

	"github.com/vmkata/vmkata/vm"
)

var errTooBig = fmt.Errorf("number does not fit in 64 bits: %w", vm.ErrOutOfRange)

const (
	wantRef    = "want a page number (decimal or 0x hex), optionally followed by w (write) or r (read)"
	wantAddr   = "want an address (0x hex or decimal), optionally with R or W"
	wantLackey = `want a lackey line: "I  addr,size", " L addr,size", " S addr,size", " M addr,size" (hex addr, decimal size) or "==…"`
)

// nextRefs parses the next token of a reference string.
func (r *Reader) nextRefs() (Ref, bool, error) {
	tok, line, ok, err := r.sc.token(r.name)
	if !ok || err != nil {
		return Ref{}, false, err
	}
	r.line = line
	num, write := tok, false
	switch tok[len(tok)-1] {
	case 'w', 'W':
		num, write = tok[:len(tok)-1], true
	case 'r', 'R':
		num = tok[:len(tok)-1]
	}
	v, ok, overflow := parseNum(num)
	switch {
	case !ok:
		return Ref{}, false, syntaxError(r.name, line, tok, wantRef)
	case overflow:
		return Ref{}, false, parseErr(r.name, line, tok, errTooBig)
	}
	return Ref{Page: vm.PageID(v), Write: write}, true, nil
}

// field returns the bounds of the first field of b at or after i: a run of
// bytes other than spaces, tabs and commas. start == len(b) when none is left.
func field(b []byte, i int) (start, end int) {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == ',') {
		i++
	}
	start = i
	for i < len(b) && b[i] != ' ' && b[i] != '\t' && b[i] != ',' {
		i++
	}
	return start, i
}

// isOp reports whether f is an R or W field, and whether it is W.
func isOp(f []byte) (op, write bool) {
	if len(f) != 1 {
		return false, false
	}
	switch f[0] {
	case 'R', 'r':
		return true, false
	case 'W', 'w':
		return true, true
	}
	return false, false
}

// nextAddr parses lines of an address trace until one holds a reference.
func (r *Reader) nextAddr() (Ref, bool, error) {
	for {
		text, line, ok, err := r.sc.line(r.name)
		if !ok || err != nil {
			return Ref{}, false, err
		}
		b := text
		for i, c := range b {
			if c == '#' {
				b = b[:i]
				break
			}
		}
		s1, e1 := field(b, 0)
		if s1 == len(b) {
			continue // blank or comment
		}
		s2, e2 := field(b, e1)
		if s3, _ := field(b, e2); s3 != len(b) {
			return Ref{}, false, syntaxError(r.name, line, text, wantAddr)
		}
		a, write := b[s1:e1], false
		if s2 != len(b) {
			op, w := isOp(b[s2:e2])
			if !op { // "W 0x1000"
				op, w = isOp(a)
				a = b[s2:e2]
			}
			if !op {
				return Ref{}, false, syntaxError(r.name, line, text, wantAddr)
			}
			write = w
		}
		v, ok, overflow := parseNum(a)
		switch {
		case !ok:
			return Ref{}, false, syntaxError(r.name, line, text, wantAddr)
		case overflow:
			return Ref{}, false, parseErr(r.name, line, text, errTooBig)
		}
		r.line = line
		return Ref{Page: vm.PageID(v >> r.shift), Write: write}, true, nil
	}
}

// nextLackey parses lines of a lackey trace until one holds an access, and
// queues the references of that access.
func (r *Reader) nextLackey() (Ref, bool, error) {
	for {
		text, line, ok, err := r.sc.line(r.name)
		if !ok || err != nil {
			return Ref{}, false, err
		}
		i := 0
		for i < len(text) && (text[i] == ' ' || text[i] == '\t') {
			i++
		}
		b := text[i:]
		if len(b) == 0 || (len(b) >= 2 && b[0] == '=' && b[1] == '=') {
			continue
		}
		var write, modify bool
		switch b[0] {
		case 'I', 'L':
		case 'S':
			write = true
		case 'M':
			modify = true
		default:
			return Ref{}, false, syntaxError(r.name, line, text, wantLackey)
		}
		if len(b) < 2 || (b[1] != ' ' && b[1] != '\t') {
			return Ref{}, false, syntaxError(r.name, line, text, wantLackey)
		}
		addr, size, err := r.lackeyAccess(b[1:], line, text)
		if err != nil {
			return Ref{}, false, err
		}
		r.line = line
		r.first, r.next = addr>>r.shift, addr>>r.shift
		r.last = (addr + size - 1) >> r.shift
		r.write, r.thenWrite = write, modify
		r.pending = true
		return r.drain(), true, nil
	}
}

// lackeyAccess parses the "addr,size" part of a lackey line (with spaces
// around it).
func (r *Reader) lackeyAccess(b []byte, line int, text []byte) (addr, size uint64, err error) {
	comma := -1
	for i, c := range b {
		if c == ',' {
			comma = i
			break
		}
	}
	if comma < 0 {
		return 0, 0, syntaxError(r.name, line, text, wantLackey)
	}
	a, n := trimSpace(b[:comma]), trimSpace(b[comma+1:])
	if len(a) > 2 && a[0] == '0' && (a[1] == 'x' || a[1] == 'X') {
		a = a[2:]
	}
	addr, ok1, over1 := parseHex(a)
	size, ok2, over2 := parseNum(n)
	switch {
	case !ok1 || !ok2 || (len(n) > 1 && n[1] == 'x'):
		return 0, 0, syntaxError(r.name, line, text, wantLackey)
	case over1 || over2:
		return 0, 0, parseErr(r.name, line, text, errTooBig)
	case size == 0 || size > MaxAccessSize:
		return 0, 0, parseErr(r.name, line, text,
			fmt.Errorf("access size %d is outside [1, %d]: %w", size, MaxAccessSize, vm.ErrOutOfRange))
	case addr+(size-1) < addr:
		return 0, 0, parseErr(r.name, line, text,
			fmt.Errorf("access of %d bytes runs past the top of the address space: %w", size, vm.ErrOutOfRange))
	}
	return addr, size, nil
}

func trimSpace(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t') {
		b = b[1:]
	}
	for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == '\t') {
		b = b[:len(b)-1]
	}
	return b
}

// drain returns the next queued reference of a lackey access: the pages
// first..last in order, then, for M, the same pages again as writes.
func (r *Reader) drain() Ref {
	ref := Ref{Page: vm.PageID(r.next), Write: r.write}
	switch {
	case r.next < r.last:
		r.next++
	case r.thenWrite:
		r.thenWrite, r.write, r.next = false, true, r.first
	default:
		r.pending = false
	}
	return ref
}

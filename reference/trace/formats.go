package trace

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/vmkata/vmkata/reference/replace"
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

// oracleRecord is the size of an oracle-general record: uint32 time,
// uint64 object id, uint32 size, int64 next-access time, little-endian,
// packed.
const oracleRecord = 24

// nextOracle returns the next oracle-general record's object id as the
// page, and keeps its next-access field.
func (r *Reader) nextOracle() (Ref, bool, error) {
	s := &r.sc
	for s.w-s.r < oracleRecord && s.fill(len(s.buf)) {
	}
	switch left := s.w - s.r; {
	case s.err != nil:
		return Ref{}, false, fmt.Errorf("%s: read: %w", r.displayName(), s.err)
	case left == 0:
		return Ref{}, false, nil
	case left < oracleRecord:
		return Ref{}, false, parseErr(r.name, r.line+1, nil,
			fmt.Errorf("the file ends %d bytes into a %d-byte oracle-general record: %w", left, oracleRecord, strconv.ErrSyntax))
	}
	rec := s.buf[s.r : s.r+oracleRecord]
	s.r += oracleRecord
	r.line++
	r.nextAccess = int64(binary.LittleEndian.Uint64(rec[16:]))
	return Ref{Page: vm.PageID(binary.LittleEndian.Uint64(rec[4:]))}, true, nil
}

// readOracle decodes the whole records in the buffer into dst, refilling
// it, until dst is full or the input ends; Next handles the end.
func (r *Reader) readOracle(dst []Ref) int {
	s := &r.sc
	n := 0
	for n < len(dst) {
		if s.w-s.r < oracleRecord && !s.fill(len(s.buf)) {
			break
		}
		k := min(len(dst)-n, (s.w-s.r)/oracleRecord)
		if k == 0 {
			break
		}
		b := s.buf[s.r : s.r+k*oracleRecord]
		for i := range k {
			dst[n+i] = Ref{Page: vm.PageID(binary.LittleEndian.Uint64(b[i*oracleRecord+4:]))}
		}
		s.r += k * oracleRecord
		n += k
		r.nextAccess = int64(binary.LittleEndian.Uint64(b[len(b)-oracleRecord+16:]))
	}
	r.count += uint64(n)
	r.line += n
	return n
}

// nextCSV parses lines of a csv trace until one holds a reference: the
// page is the number in the Reader's column. A first line whose field there
// is not a number is a header and is skipped; so are blank lines and lines
// starting with '#'.
func (r *Reader) nextCSV() (Ref, bool, error) {
	for {
		text, line, ok, err := r.sc.line(r.name)
		if !ok || err != nil {
			return Ref{}, false, err
		}
		b := trimSpace(text)
		if len(b) == 0 || b[0] == '#' {
			continue
		}
		f, col := b, 1
		for ; col < r.column; col++ {
			i := bytes.IndexByte(f, ',')
			if i < 0 {
				break
			}
			f = f[i+1:]
		}
		if i := bytes.IndexByte(f, ','); i >= 0 {
			f = f[:i]
		}
		f = trimSpace(f)
		if col < r.column {
			return Ref{}, false, syntaxError(r.name, line, text, fmt.Sprintf("want at least %d comma-separated columns", r.column))
		}
		v, ok, overflow := parseNum(f)
		switch {
		case !ok && r.count == 0 && line == 1:
			continue // a header
		case !ok:
			return Ref{}, false, syntaxError(r.name, line, text, fmt.Sprintf("want a number (decimal or 0x hex) in column %d", r.column))
		case overflow:
			return Ref{}, false, parseErr(r.name, line, text, errTooBig)
		}
		r.line = line
		return Ref{Page: vm.PageID(v)}, true, nil
	}
}

// detectLen is how much of a trace Detect looks at.
const detectLen = 4 << 10

// Detect names the format of a trace from its file name and its first
// bytes, where that is unambiguous:
//
//   - oracle-general: a name containing "oracleGeneral" (libCacheSim's
//     convention), or content with a byte that no text trace has (NUL, a
//     control character other than tab, CR, LF, VT and FF, or a byte of
//     0x80 or more);
//   - lackey: the first line that is not blank starts with "==" or is a
//     lackey access ("I  addr,size", " L …", " S …", " M …");
//   - addr: the first line that is neither blank nor a '#' comment is an
//     address and an R or W, in either order;
//   - refs: anything else.
//
// A csv trace is never detected (its lines read as a reference string):
// name it.
func Detect(name string, head []byte) Format {
	if strings.Contains(name, "oracleGeneral") {
		return OracleGeneral
	}
	for _, c := range head {
		if c == 0 || c >= 0x80 || (c < ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\v' && c != '\f') {
			return OracleGeneral
		}
	}
	for len(head) > 0 {
		line := head
		if i := bytes.IndexByte(head, '\n'); i >= 0 {
			line, head = head[:i], head[i+1:]
		} else {
			head = nil
		}
		t := trimSpace(trimCR(line))
		if len(t) == 0 {
			continue
		}
		if bytes.HasPrefix(t, []byte("==")) || isLackeyAccess(line) {
			return Lackey
		}
		if t[0] == '#' {
			continue
		}
		s1, e1 := field(t, 0)
		s2, e2 := field(t, e1)
		if s3, _ := field(t, e2); s2 < len(t) && s3 == len(t) {
			op1, _ := isOp(t[s1:e1])
			op2, _ := isOp(t[s2:e2])
			if op1 != op2 {
				return Addr
			}
		}
		return Refs
	}
	return Refs
}

// isLackeyAccess reports whether line looks like a lackey access: "I",
// or " L", " S", " M", then blanks, hex digits, a comma and a size.
func isLackeyAccess(line []byte) bool {
	var rest []byte
	switch {
	case len(line) > 2 && line[0] == 'I' && line[1] == ' ':
		rest = line[1:]
	case len(line) > 3 && line[0] == ' ' && strings.IndexByte("LSM", line[1]) >= 0 && line[2] == ' ':
		rest = line[2:]
	default:
		return false
	}
	rest = trimSpace(trimCR(rest))
	comma := bytes.IndexByte(rest, ',')
	if comma <= 0 {
		return false
	}
	_, okAddr, _ := parseHex(rest[:comma])
	_, okSize, _ := parseNum(rest[comma+1:])
	return okAddr && okSize
}

// WriteOracleGeneral writes pages as an oracle-general trace: one 24-byte
// record a reference, with its position as the time, the page as the object
// id, size 4096, and the next-access time libCacheSim's tools would compute
// (the position, from 1, of the next reference to the page; -1 for none).
// It returns an error wrapping vm.ErrOutOfRange for 2^31-1 references or
// more, and w's error.
func WriteOracleGeneral(w io.Writer, pages []vm.PageID) error {
	if len(pages) >= math.MaxInt32 {
		return fmt.Errorf("trace: oracle-general: %d references is too many (max %d): %w", len(pages), math.MaxInt32-1, vm.ErrOutOfRange)
	}
	next := replace.NextUses(pages)
	bw := bufio.NewWriterSize(w, 1<<16)
	var rec [oracleRecord]byte
	for i, p := range pages {
		binary.LittleEndian.PutUint32(rec[0:], uint32(i))
		binary.LittleEndian.PutUint64(rec[4:], uint64(p))
		binary.LittleEndian.PutUint32(rec[12:], 4096)
		at := int64(-1)
		if next[i] != math.MaxInt32 {
			at = int64(next[i]) + 1
		}
		binary.LittleEndian.PutUint64(rec[16:], uint64(at))
		if _, err := bw.Write(rec[:]); err != nil {
			return err
		}
	}
	return bw.Flush()
}

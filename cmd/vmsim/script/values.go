package script

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/vmkata/vmkata/vm"
)

// parseNum parses a decimal or 0x-prefixed hexadecimal number.
func parseNum(s string) (uint64, error) {
	base, digits := 10, s
	if strings.HasPrefix(s, "0x") || strings.HasPrefix(s, "0X") {
		base, digits = 16, s[2:]
	}
	n, err := strconv.ParseUint(digits, base, 64)
	if err != nil || digits == "" || digits[0] == '+' {
		return 0, fmt.Errorf("%q is not a number (want decimal or 0x hex)", s)
	}
	return n, nil
}

// parseSize parses a number with an optional K, M or G suffix (powers of
// 1024), e.g. 4096, 0x1000, 4K, 2M. The suffixes are not hex digits, so
// 0x10K is 0x10 KiB.
func parseSize(s string) (uint64, error) {
	mult, num := uint64(1), s
	if n := len(s); n > 1 {
		switch s[n-1] {
		case 'K', 'k':
			mult, num = 1<<10, s[:n-1]
		case 'M', 'm':
			mult, num = 1<<20, s[:n-1]
		case 'G', 'g':
			mult, num = 1<<30, s[:n-1]
		}
	}
	n, err := parseNum(num)
	if err != nil {
		return 0, fmt.Errorf("%q is not a size (want a number with an optional K, M or G suffix)", s)
	}
	if n > (1<<64-1)/mult {
		return 0, fmt.Errorf("size %q overflows 64 bits", s)
	}
	return n * mult, nil
}

// parseByte parses a byte value 0..255.
func parseByte(s string) (byte, error) {
	n, err := parseNum(s)
	if err != nil {
		return 0, err
	}
	if n > 255 {
		return 0, fmt.Errorf("%s does not fit in a byte (0..255)", s)
	}
	return byte(n), nil
}

// parseProt parses a protection: "none", or letters among r, w, x and '-'
// (r, rw, r-x, rw-, rwx, ---).
func parseProt(s string) (vm.Perm, error) {
	if s == "none" {
		return 0, nil
	}
	var p vm.Perm
	for _, c := range s {
		switch c {
		case 'r':
			p |= vm.PermRead
		case 'w':
			p |= vm.PermWrite
		case 'x':
			p |= vm.PermExec
		case '-':
		default:
			return 0, fmt.Errorf("%q is not a protection (want none or letters among r, w, x, e.g. rw, r-x)", s)
		}
	}
	if s == "" {
		return 0, fmt.Errorf("empty protection")
	}
	return p, nil
}

// protString prints a protection the way parseProt reads it: rw-, r-x, ---.
func protString(p vm.Perm) string { return p.String()[:3] }

// addrExpr is an address as a script writes it: a number or a symbol
// (text, heap, brk, stack, mmap, or a variable bound by "mmap … as VAR"),
// plus or minus sizes: 0x601000, heap, heap+4K, stack-8, buf+0x10-1.
type addrExpr struct {
	sym string // "" for a plain number
	num uint64 // the number when sym is ""
	off int64  // the sum of the terms after the base
}

// String prints the expression in canonical form: heap+0x1000, stack-0x8, 0x601000.
func (a addrExpr) String() string {
	base := a.sym
	if base == "" {
		base = fmt.Sprintf("%#x", a.num)
	}
	switch {
	case a.off > 0:
		return fmt.Sprintf("%s+%#x", base, a.off)
	case a.off < 0:
		return fmt.Sprintf("%s-%#x", base, -a.off)
	}
	return base
}

// parseAddr parses an address expression.
func parseAddr(s string) (addrExpr, error) {
	bad := func(why string) (addrExpr, error) {
		return addrExpr{}, fmt.Errorf("%q is not an address (%s; want a number, or text, heap, brk, stack, mmap or a variable, plus or minus sizes)", s, why)
	}
	end := strings.IndexAny(s, "+-")
	if end < 0 {
		end = len(s)
	}
	base, rest := s[:end], s[end:]
	var a addrExpr
	switch {
	case base == "":
		return bad("no base")
	case base[0] >= '0' && base[0] <= '9':
		n, err := parseNum(base)
		if err != nil {
			return bad("bad number")
		}
		a.num = n
	case isIdent(base):
		a.sym = base
	default:
		return bad("bad name")
	}
	for rest != "" {
		sign := int64(1)
		if rest[0] == '-' {
			sign = -1
		}
		rest = rest[1:]
		end := strings.IndexAny(rest, "+-")
		if end < 0 {
			end = len(rest)
		}
		n, err := parseSize(rest[:end])
		if err != nil || n > 1<<62 {
			return bad("bad offset")
		}
		a.off += sign * int64(n)
		rest = rest[end:]
	}
	return a, nil
}

// isIdent reports whether s is a name: a letter or '_' followed by letters,
// digits, '_' or '.'.
func isIdent(s string) bool {
	for i, c := range s {
		letter := c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
		if !letter && (i == 0 || !(c >= '0' && c <= '9' || c == '.')) {
			return false
		}
	}
	return s != ""
}

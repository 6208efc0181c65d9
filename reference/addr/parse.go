package addr

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/vmkata/vmkata/vm"
)

// ParseVAddr parses a virtual address written in hexadecimal with a 0x or 0X
// prefix ("0x7fff_ffff_f000"), in binary with 0b or in octal with 0o, or in
// decimal ("4096"). Underscores may separate digits, as in Go literals (not
// leading, trailing or doubled); surrounding spaces are ignored. A decimal
// number with a leading zero is still decimal ("010" is ten).
//
// A value above 2^64-1 returns an error wrapping vm.ErrOutOfRange; anything
// else that is not a number wraps strconv.ErrSyntax. Both quote the input.
func ParseVAddr(s string) (vm.VAddr, error) {
	v, err := parseUint(s)
	return vm.VAddr(v), err
}

func parseUint(s string) (uint64, error) {
	const want = "want a hex (0x…), binary (0b…), octal (0o…) or decimal number"
	digits, base := strings.TrimSpace(s), 10
	if len(digits) > 2 && digits[0] == '0' {
		switch digits[1] {
		case 'x', 'X':
			digits, base = digits[2:], 16
		case 'b', 'B':
			digits, base = digits[2:], 2
		case 'o', 'O':
			digits, base = digits[2:], 8
		}
	}
	if base != 10 && strings.HasPrefix(digits, "_") { // Go allows 0x_ff
		digits = digits[1:]
	}
	if digits == "" || digits[0] == '_' || digits[len(digits)-1] == '_' || strings.Contains(digits, "__") {
		return 0, fmt.Errorf("addr: parse %q: %s: %w", s, want, strconv.ErrSyntax)
	}
	if len(digits) > 0 && (digits[0] == '+' || digits[0] == '-') {
		return 0, fmt.Errorf("addr: parse %q: a sign is not allowed, %s: %w", s, want, strconv.ErrSyntax)
	}
	v, err := strconv.ParseUint(strings.ReplaceAll(digits, "_", ""), base, 64)
	switch {
	case errors.Is(err, strconv.ErrRange):
		return 0, fmt.Errorf("addr: parse %q: does not fit in 64 bits: %w", s, vm.ErrOutOfRange)
	case err != nil:
		return 0, fmt.Errorf("addr: parse %q: %s: %w", s, want, strconv.ErrSyntax)
	}
	return v, nil
}

package trace

// parseNum parses b as a decimal number, or as hexadecimal after a 0x or 0X
// prefix. It reports whether b was a number and whether it overflowed 64
// bits. It allocates nothing.
func parseNum(b []byte) (v uint64, ok, overflow bool) {
	if len(b) > 2 && b[0] == '0' && (b[1] == 'x' || b[1] == 'X') {
		return parseHex(b[2:])
	}
	if len(b) == 0 {
		return 0, false, false
	}
	for _, c := range b {
		d := uint64(c - '0')
		if d > 9 {
			return 0, false, false
		}
		if v > (1<<64-1-d)/10 {
			overflow = true
		}
		v = v*10 + d
	}
	return v, true, overflow
}

// parseHex parses b as hexadecimal digits without a prefix.
func parseHex(b []byte) (v uint64, ok, overflow bool) {
	if len(b) == 0 {
		return 0, false, false
	}
	for _, c := range b {
		var d uint64
		switch {
		case '0' <= c && c <= '9':
			d = uint64(c - '0')
		case 'a' <= c && c <= 'f':
			d = uint64(c-'a') + 10
		case 'A' <= c && c <= 'F':
			d = uint64(c-'A') + 10
		default:
			return 0, false, false
		}
		if v>>60 != 0 {
			overflow = true
		}
		v = v<<4 | d
	}
	return v, true, overflow
}

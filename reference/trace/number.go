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

// hexVal maps a byte to its value as a hex digit, or to 0xff: a table
// lookup, because a switch on random digits mispredicts its branches.
var hexVal = func() (t [256]uint8) {
	for i := range t {
		t[i] = 0xff
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = uint8(c - '0')
	}
	for c := 'a'; c <= 'f'; c++ {
		t[c] = uint8(c-'a') + 10
		t[c-'a'+'A'] = uint8(c-'a') + 10
	}
	return t
}()

// parseHex parses b as hexadecimal digits without a prefix.
func parseHex(b []byte) (v uint64, ok, overflow bool) {
	if len(b) == 0 {
		return 0, false, false
	}
	for _, c := range b {
		d := hexVal[c]
		if d == 0xff {
			return 0, false, false
		}
		if v>>60 != 0 {
			overflow = true
		}
		v = v<<4 | uint64(d)
	}
	return v, true, overflow
}

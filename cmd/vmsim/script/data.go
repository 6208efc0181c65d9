package script

import (
	"fmt"
	"strconv"
	"strings"
)

// pattern is the bytes a write stores or an expect compares: a byte value
// or a text, repeated to fill the length.
type pattern struct {
	text   string // the text, when quoted
	quoted bool
	b      byte // the byte, when not quoted
}

// String prints the pattern: "text" or 0x41.
func (p pattern) String() string {
	if p.quoted {
		return strconv.Quote(p.text)
	}
	return fmt.Sprintf("%#x", p.b)
}

// defaultLen is the length when none is given: one byte, or the text's.
func (p pattern) defaultLen() uint64 {
	if p.quoted {
		return uint64(len(p.text))
	}
	return 1
}

// at returns the byte the pattern has at offset i.
func (p pattern) at(i uint64) byte {
	if p.quoted {
		return p.text[i%uint64(len(p.text))]
	}
	return p.b
}

// fill writes the pattern into buf as if buf started at offset off.
func (p pattern) fill(buf []byte, off uint64) {
	for i := range buf {
		buf[i] = p.at(off + uint64(i))
	}
}

// parsePattern parses a VALUE (a byte) or a "text" (not empty).
func (a *args) pattern() (pattern, error) {
	t, err := a.next(`VALUE or "text"`)
	if err != nil {
		return pattern{}, err
	}
	if t.quoted {
		if t.text == "" {
			return pattern{}, fmt.Errorf("%s: empty text (usage: %s)", a.cmd, a.usage)
		}
		return pattern{text: t.text, quoted: true}, nil
	}
	b, err := parseByte(t.text)
	if err != nil {
		return pattern{}, a.wrap(err)
	}
	return pattern{b: b}, nil
}

// describe prints bytes for a learner: a short printable text in quotes, a
// run of one byte as "0x00 × 4096", otherwise the first bytes in hex.
func describe(b []byte) string {
	if len(b) == 0 {
		return "nothing"
	}
	same := true
	for _, c := range b {
		same = same && c == b[0]
	}
	if same && len(b) > 1 {
		return fmt.Sprintf("%#02x × %d", b[0], len(b))
	}
	printable := len(b) <= 64
	for _, c := range b {
		printable = printable && c >= 0x20 && c < 0x7f
	}
	if printable && len(b) > 1 {
		return strconv.Quote(string(b))
	}
	var s strings.Builder
	for i, c := range b {
		if i == 16 {
			fmt.Fprintf(&s, " … (%d bytes)", len(b))
			break
		}
		if i > 0 {
			s.WriteByte(' ')
		}
		fmt.Fprintf(&s, "%#02x", c)
	}
	return s.String()
}

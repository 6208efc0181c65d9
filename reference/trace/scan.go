package trace

import (
	"bytes"
	"errors"
	"fmt"
	"io"
)

// MaxLine is the longest line an addr or lackey trace may have (a reference
// string has no limit: it is read token by token).
const MaxLine = 1 << 20

// initialBuf is the size of a Reader's buffer before any long line grows it.
const initialBuf = 64 << 10

// maxToken is the longest token of a reference string.
const maxToken = 4 << 10

// scanner is the byte-level reader under every format: it hands out lines or
// whitespace-separated tokens as slices of its own buffer, valid until the
// next call, so reading allocates nothing once the buffer is sized.
//
// Invariant: buf[r:w] holds the bytes read from rd and not yet consumed;
// newlines counts the '\n' bytes consumed, so the line under buf[r] is
// newlines+1.
type scanner struct {
	rd        io.Reader
	buf       []byte
	r, w      int
	eof       bool  // rd has nothing more
	err       error // rd's error, other than io.EOF
	newlines  int
	inComment bool  // token mode: skipping a '#' comment up to the newline
	read      int64 // bytes read from rd so far
}

// consumed returns how many bytes of rd have been consumed.
func (s *scanner) consumed() int64 { return s.read - int64(s.w-s.r) }

func newScanner(rd io.Reader) scanner {
	return scanner{rd: rd, buf: make([]byte, initialBuf)}
}

// fill moves the unread bytes to the front of buf and reads more, growing buf
// up to limit when it is full. It reports false when nothing more can come:
// end of input, a read error (in s.err), or a full buffer at its limit.
func (s *scanner) fill(limit int) bool {
	if s.eof {
		return false
	}
	if s.r > 0 {
		copy(s.buf, s.buf[s.r:s.w])
		s.w -= s.r
		s.r = 0
	}
	if s.w == len(s.buf) {
		if len(s.buf) >= limit {
			return false
		}
		bigger := make([]byte, min(2*len(s.buf), limit))
		copy(bigger, s.buf[:s.w])
		s.buf = bigger
	}
	for tries := 0; tries < 100; tries++ {
		n, err := s.rd.Read(s.buf[s.w:])
		s.w += n
		s.read += int64(n)
		if err != nil {
			s.eof = true
			if !errors.Is(err, io.EOF) {
				s.err = err
			}
			return n > 0
		}
		if n > 0 {
			return true
		}
	}
	s.eof, s.err = true, io.ErrNoProgress
	return false
}

// line returns the next line without its "\n" (and without a "\r" before
// it) and its number. ok is false at the end of input or on an error.
func (s *scanner) line(file string) (text []byte, num int, ok bool, err error) {
	for {
		if i := bytes.IndexByte(s.buf[s.r:s.w], '\n'); i >= 0 {
			text = s.buf[s.r : s.r+i]
			s.r += i + 1
			s.newlines++
			return trimCR(text), s.newlines, true, nil
		}
		if !s.fill(MaxLine) {
			break
		}
	}
	switch {
	case s.err != nil:
		return nil, s.newlines + 1, false, fmt.Errorf("%s: read: %w", file, s.err)
	case s.w-s.r == len(s.buf) && !s.eof:
		return nil, s.newlines + 1, false, parseErr(file, s.newlines+1, s.buf[s.r:s.w],
			fmt.Errorf("line longer than %d bytes", MaxLine))
	case s.r < s.w: // last line, no final newline
		text = s.buf[s.r:s.w]
		s.r = s.w
		return trimCR(text), s.newlines + 1, true, nil
	}
	return nil, s.newlines + 1, false, nil
}

func trimCR(b []byte) []byte {
	if len(b) > 0 && b[len(b)-1] == '\r' {
		return b[:len(b)-1]
	}
	return b
}

// isSep reports whether c separates the tokens of a reference string.
func isSep(c byte) bool {
	return c == ' ' || c == ',' || c == '\t' || c == '\r' || c == '\v' || c == '\f'
}

// token returns the next token of a reference string and its line number,
// skipping separators, newlines and '#' comments. ok is false at the end of
// input or on an error.
func (s *scanner) token(file string) (tok []byte, num int, ok bool, err error) {
	for { // skip separators and comments
		for s.r < s.w {
			c := s.buf[s.r]
			switch {
			case c == '\n':
				s.newlines++
				s.inComment = false
			case s.inComment, isSep(c):
			case c == '#':
				s.inComment = true
			default:
				goto start
			}
			s.r++
		}
		if !s.fill(len(s.buf)) {
			if s.err != nil {
				return nil, s.newlines + 1, false, fmt.Errorf("%s: read: %w", file, s.err)
			}
			return nil, s.newlines + 1, false, nil
		}
	}
start:
	for j := s.r; ; j++ {
		if j == s.w {
			n := j - s.r
			if !s.fill(max(len(s.buf), maxToken)) {
				if s.err != nil {
					return nil, s.newlines + 1, false, fmt.Errorf("%s: read: %w", file, s.err)
				}
				if s.w-s.r >= maxToken {
					return nil, s.newlines + 1, false, parseErr(file, s.newlines+1, s.buf[s.r:s.w],
						fmt.Errorf("token longer than %d bytes", maxToken))
				}
				tok = s.buf[s.r:s.w]
				s.r = s.w
				return tok, s.newlines + 1, true, nil
			}
			j = s.r + n // fill moved the token to the front
		}
		if c := s.buf[j]; c == '\n' || c == '#' || isSep(c) {
			tok = s.buf[s.r:j]
			s.r = j
			return tok, s.newlines + 1, true, nil
		}
	}
}

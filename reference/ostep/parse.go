package ostep

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// ParseError is a line of a problem text that could not be read.
type ParseError struct {
	Name string // the input's name, e.g. its file name
	Line int    // 1-based; 0 for an error about the whole text (a missing line)
	Msg  string
}

func (e *ParseError) Error() string {
	if e.Line == 0 {
		return fmt.Sprintf("%s: %s", e.Name, e.Msg)
	}
	return fmt.Sprintf("%s:%d: %s", e.Name, e.Line, e.Msg)
}

// lineReader numbers the lines of an input and builds ParseErrors.
type lineReader struct {
	sc   *bufio.Scanner
	name string
	n    int
}

func newLineReader(r io.Reader, name string) *lineReader {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 4096), 1<<20)
	return &lineReader{sc: sc, name: name}
}

func (l *lineReader) next() (string, bool) {
	if !l.sc.Scan() {
		return "", false
	}
	l.n++
	return l.sc.Text(), true
}

func (l *lineReader) errf(format string, args ...any) error {
	return &ParseError{Name: l.name, Line: l.n, Msg: fmt.Sprintf(format, args...)}
}

func (l *lineReader) missing(what string) error {
	return &ParseError{Name: l.name, Msg: "no " + what + " line"}
}

// parseSize reads a size as the simulators print their arguments: a number
// with an optional k, m or g suffix (powers of 1024).
func parseSize(s string) (uint64, error) {
	s = strings.TrimSpace(s)
	mult := uint64(1)
	switch {
	case strings.HasSuffix(s, "k") || strings.HasSuffix(s, "K"):
		mult, s = 1<<10, s[:len(s)-1]
	case strings.HasSuffix(s, "m") || strings.HasSuffix(s, "M"):
		mult, s = 1<<20, s[:len(s)-1]
	case strings.HasSuffix(s, "g") || strings.HasSuffix(s, "G"):
		mult, s = 1<<30, s[:len(s)-1]
	}
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil || n == 0 || n > 1<<40/mult {
		return 0, fmt.Errorf("size %q is not a positive number with an optional k, m or g", s)
	}
	return n * mult, nil
}

// parseHex reads a hex number with an optional 0x.
func parseHex(s string, bits int) (uint64, error) {
	return strconv.ParseUint(strings.TrimPrefix(strings.TrimSpace(s), "0x"), 16, bits)
}

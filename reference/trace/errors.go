package trace

import (
	"errors"
	"fmt"
	"strconv"
)

// ErrEmpty is returned (wrapped, with the file name) by a parser that reaches
// the end of a trace without having produced a single reference.
var ErrEmpty = errors.New("trace has no references")

// maxErrText is how much of an offending line a ParseError keeps.
const maxErrText = 80

// ParseError reports a malformed line of a trace.
type ParseError struct {
	File string // the file name given to Open or NewReader; "" for ParseRefs
	Line int    // line number, from 1
	Text string // the offending text (a token or a line), cut to 80 bytes
	Err  error  // what was wrong; wraps strconv.ErrSyntax or vm.ErrOutOfRange
}

// Error prints e.g. `app.trace:3: "0xZZ W": want an address …: invalid syntax`.
func (e *ParseError) Error() string {
	where := "line " + strconv.Itoa(e.Line)
	if e.File != "" {
		where = e.File + ":" + strconv.Itoa(e.Line)
	}
	return fmt.Sprintf("%s: %q: %v", where, e.Text, e.Err)
}

// Unwrap returns Err, so that errors.Is(err, strconv.ErrSyntax) holds.
func (e *ParseError) Unwrap() error { return e.Err }

// syntaxError builds the ParseError of a malformed text; want says what was
// expected.
func syntaxError(file string, line int, text []byte, want string) error {
	return &ParseError{File: file, Line: line, Text: cut(text), Err: fmt.Errorf("%s: %w", want, strconv.ErrSyntax)}
}

// parseErr builds a ParseError around an error of its own.
func parseErr(file string, line int, text []byte, err error) error {
	return &ParseError{File: file, Line: line, Text: cut(text), Err: err}
}

func cut(text []byte) string {
	if len(text) > maxErrText {
		return string(text[:maxErrText]) + "…"
	}
	return string(text)
}

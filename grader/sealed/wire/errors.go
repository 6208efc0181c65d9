package wire

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
)

// Error is an error crossing the pipe. It keeps what specs test: its
// message, which registered sentinels it wraps, the registered error values
// it wraps (a *vm.Fault), and, when it is or wraps an error the receiving
// side sent earlier, that error itself.
type Error struct {
	ID        uint64 // the sender's ID for this error, so it can come back as itself
	Origin    uint64 // non-zero: the receiver's own error with this ID, which this one is or wraps
	Msg       string
	Sentinels []int // indices of the registered sentinels it wraps
	Values    []any // registered error values it wraps
}

// remoteError is an Error received: it prints the sender's message and
// unwraps to what errors.Is and errors.As should find.
type remoteError struct {
	c       *Conn
	id      uint64
	msg     string
	wrapped []error
}

func (e *remoteError) Error() string   { return e.msg }
func (e *remoteError) Unwrap() []error { return e.wrapped }

// GomegaString is what a failed expectation prints for the error after its
// message (Gomega looks for this method): the errors it wraps, which
// errors.Is and errors.As find. Without it Gomega would print the struct,
// connection and encoder state included, which is long to produce and
// useless to read.
func (e *remoteError) GomegaString() string {
	if len(e.wrapped) == 0 {
		return "(wraps no error a spec can test for)"
	}
	var b strings.Builder
	b.WriteString("wraps:")
	for _, w := range e.wrapped {
		fmt.Fprintf(&b, " %q (%T)", w.Error(), w)
	}
	return b.String()
}

func (c *Conn) exportError(err error) *Error {
	w := &Error{Msg: err.Error()}
	var back *remoteError
	if errors.As(err, &back) && back.c == c {
		w.Origin = back.id
	}
	registry.RLock()
	for i, s := range registry.errs {
		if errors.Is(err, s) {
			w.Sentinels = append(w.Sentinels, i)
		}
	}
	for _, t := range registry.errType {
		target := reflect.New(t)
		if errors.As(err, target.Interface()) {
			w.Values = append(w.Values, target.Elem().Interface())
		}
	}
	registry.RUnlock()
	c.mu.Lock()
	w.ID = c.next
	c.next++
	c.sent[w.ID] = err
	c.mu.Unlock()
	return w
}

func (c *Conn) importError(w *Error) error {
	e := &remoteError{c: c, id: w.ID, msg: w.Msg}
	if w.Origin != 0 {
		c.mu.Lock()
		orig, ok := c.sent[w.Origin]
		c.mu.Unlock()
		if ok {
			if orig.Error() == w.Msg {
				return orig // returned unchanged: it is the very error sent
			}
			e.wrapped = append(e.wrapped, orig)
		}
	}
	registry.RLock()
	for _, i := range w.Sentinels {
		if i >= 0 && i < len(registry.errs) {
			e.wrapped = append(e.wrapped, registry.errs[i])
		}
	}
	registry.RUnlock()
	for _, v := range w.Values {
		if err, ok := v.(error); ok {
			e.wrapped = append(e.wrapped, err)
		}
	}
	return e
}

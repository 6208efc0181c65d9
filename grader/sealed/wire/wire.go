// Package wire connects the grader's judge process to the subject process
// that runs a learner's package: a synchronous, nesting remote call over one
// pair of pipes.
//
// The two processes share one thread of control. A call sends a request and
// waits for its reply; while it waits, it serves the calls the other side
// makes back (the kernel in the judge calls the learner's fault handler in
// the subject, which calls the kernel's FaultContext in the judge, which
// returns, and so on). Each such callback runs on the goroutine that is
// waiting, exactly as it would in one process: locks the caller holds stay
// held, and a spec failure raised inside a callback fails the spec that made
// the outer call. This is why the package does not use a multiplexing RPC
// library: those serve callbacks on goroutines of their own.
//
// Values cross the pipe in gob. What cannot be copied (a learner's *TLB, a
// judge's vm.PhysMem, a func) crosses as a reference to an object that stays
// on its own side; the receiver wraps the reference in a proxy that calls
// back (see RegisterProxy). Errors cross as messages that keep what specs
// test with errors.Is and errors.As: the vm sentinels, a *vm.Fault, and the
// receiver's own error when the other side returns it or wraps it.
//
// A Conn may be used by one goroutine at a time (plus the nesting above);
// use from a second goroutine while a call waits panics with a clear message.
package wire

import (
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"reflect"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Ref names an object that lives on the sending side.
type Ref struct {
	ID uint64
}

// message is one unit on the pipe: a call or a reply.
type message struct {
	Call     bool
	ID       uint64 // call: the object called
	Method   string // call: the method ("" calls the object itself, a func)
	Args     []any  // call: the arguments; reply: the results
	Fill     []fill // reply: the final contents of the call's []byte arguments
	Panic    string // reply: the callee panicked with this message
	Protocol string // handshake: the protocol's name
}

// fill carries the final contents of a []byte argument back to the caller,
// which copies them into its own slice (Load and Read fill a buffer).
type fill struct {
	Arg   int
	Bytes []byte
}

// Conn is one end of a connection.
type Conn struct {
	enc *gob.Encoder
	dec *gob.Decoder

	// Timeout bounds each outermost outgoing call, callbacks included;
	// zero waits forever. OnTimeout runs when a call times out, from
	// another goroutine: it must break the connection (the judge kills the
	// subject), which ends the call with a panic that says it timed out.
	Timeout   time.Duration
	OnTimeout func()
	timedOut  atomic.Bool
	// Closed describes why the other side went away, for panics raised by
	// calls after it did (the judge adds the subject's exit status).
	Closed func(err error) string
	// MaxMessage, if positive, bounds one incoming message in bytes (give
	// or take a read buffer): a longer one ends the connection with
	// ErrTooLarge, before the message is held in memory. The judge sets it.
	MaxMessage int64
	budget     *budgetReader

	// Strict limits what the other side may call on this side's objects
	// (funcs and the root aside) to the methods of the registered proxy
	// interfaces each object implements: the judge sets it, so that the
	// learner's code can reach only the contract it was lent.
	Strict bool

	mu      sync.Mutex
	objects map[uint64]any       // local objects the other side may call, by ID
	ids     map[objectKey]uint64 // IDs of local objects already sent, so one object keeps one ID
	sent    map[uint64]error     // local errors sent out, by ID, so they come back as themselves
	next    uint64               // the next free ID (objects and errors share the space)
	stack   []bool               // nesting: true for an outgoing call waiting, false for an incoming one being served
	pending any                  // a panic raised by a local callee, re-raised when the outermost call returns
}

// ErrTooLarge ends a connection whose other side sent a message over
// MaxMessage bytes.
var ErrTooLarge = errors.New("wire: the other side sent a message over the size limit")

// budgetReader reads from r, at most left bytes when left is positive.
type budgetReader struct {
	r    io.Reader
	left int64 // bytes the current message may still take; <= 0: no limit
	over bool  // the budget ran out
}

func (b *budgetReader) Read(p []byte) (int, error) {
	if b.over {
		return 0, ErrTooLarge
	}
	if b.left <= 0 {
		return b.r.Read(p)
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.r.Read(p)
	b.left -= int64(n)
	b.over = b.left == 0
	return n, err
}

// protocol is the handshake's name; both sides must agree.
const protocol = "vmkata-wire-1"

// NewConn starts a connection reading r and writing w. root, if not nil, is
// the object the other side calls as Ref{0}: a map from names to funcs, or
// any value whose methods it calls.
func NewConn(r io.Reader, w io.Writer, root any) *Conn {
	budget := &budgetReader{r: r}
	c := &Conn{enc: gob.NewEncoder(w), dec: gob.NewDecoder(budget), budget: budget,
		objects: map[uint64]any{}, ids: map[objectKey]uint64{}, sent: map[uint64]error{}, next: 1}
	if root != nil {
		c.objects[0] = root
	}
	return c
}

// receive reads the next message, on the calling goroutine: the two
// processes take turns, so there is never anything to read ahead, and
// reading here saves a goroutine hand-off per message.
func (c *Conn) receive() (message, error) {
	var m message
	c.budget.left, c.budget.over = c.MaxMessage, false
	if err := c.dec.Decode(&m); err != nil {
		if c.budget.over {
			return m, fmt.Errorf("%w (%d bytes)", ErrTooLarge, c.MaxMessage)
		}
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			err = io.EOF
		}
		return m, err
	}
	return m, nil
}

// Hello sends the handshake.
func (c *Conn) Hello() error { return c.enc.Encode(message{Protocol: protocol}) }

// AwaitHello waits for the other side's handshake; the caller bounds the
// wait (the judge kills a subject that does not answer).
func (c *Conn) AwaitHello() error {
	m, err := c.receive()
	if err != nil {
		return fmt.Errorf("the other side closed the connection before the handshake: %v", err)
	}
	if m.Protocol != protocol {
		return fmt.Errorf("handshake: got %q, want %q", m.Protocol, protocol)
	}
	return nil
}

// Serve answers the other side's calls until the connection closes, and
// returns the reason it closed: io.EOF when the other side hung up; never
// nil.
func (c *Conn) Serve() error {
	for {
		m, err := c.receive()
		if err != nil {
			return err
		}
		if !m.Call {
			return fmt.Errorf("wire: a reply arrived with no call waiting")
		}
		if err := c.serve(m); err != nil {
			return err
		}
	}
}

// Call calls method on the remote object ref with args, and stores its
// results in out (pointers, one per result, of the types the method
// returns). It serves the other side's calls back while it waits.
//
// It panics when the remote code panics, when the connection breaks, and on
// timeout: the caller is a spec or the learner's code, and a panic fails it
// with the message.
func (c *Conn) Call(ref Ref, method string, args []any, out ...any) {
	c.push(true, method)
	defer c.pop(true)

	wargs := make([]any, len(args))
	for i, a := range args {
		wargs[i] = c.export(reflect.ValueOf(&a).Elem())
	}
	if err := c.enc.Encode(message{Call: true, ID: ref.ID, Method: method, Args: wargs}); err != nil {
		panic(c.broken(fmt.Errorf("sending %s: %w", method, err)))
	}
	if c.Timeout > 0 && c.OnTimeout != nil && c.outermost() {
		t := time.AfterFunc(c.Timeout, func() { c.timedOut.Store(true); c.OnTimeout() })
		defer t.Stop()
	}
	for {
		m, err := c.receive()
		if err != nil {
			if c.timedOut.Swap(false) {
				panic(fmt.Sprintf("%s did not finish within %v", methodName(method), c.Timeout))
			}
			panic(c.broken(err))
		}
		if m.Call {
			if err := c.serve(m); err != nil {
				panic(c.broken(err))
			}
			continue
		}
		if m.Panic != "" {
			panic(m.Panic)
		}
		c.store(method, m, args, out)
		return
	}
}

// outermost reports whether the call just pushed is the outermost one.
func (c *Conn) outermost() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.stack) == 1
}

// store stores a reply's results in out and its filled buffers in args.
func (c *Conn) store(method string, m message, args []any, out []any) {
	if len(m.Args) != len(out) {
		panic(fmt.Sprintf("wire: %s returned %d results, want %d", methodName(method), len(m.Args), len(out)))
	}
	for i, r := range m.Args {
		dst := reflect.ValueOf(out[i]).Elem()
		v, err := c.importValue(r, dst.Type())
		if err != nil {
			panic(fmt.Sprintf("wire: %s result %d: %v", methodName(method), i, err))
		}
		dst.Set(v)
	}
	for _, f := range m.Fill {
		if f.Arg < len(args) {
			if b, ok := args[f.Arg].([]byte); ok {
				copy(b, f.Bytes)
			}
		}
	}
}

// push records a call entering (outgoing) or being served (incoming).
func (c *Conn) push(outgoing bool, method string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if n := len(c.stack); outgoing && n > 0 && c.stack[n-1] {
		panic(fmt.Sprintf("wire: %s called from a second goroutine while another call is waiting (the exercise's objects are not safe for concurrent use)", methodName(method)))
	}
	c.stack = append(c.stack, outgoing)
}

// pop ends a call. When the outermost outgoing call ends, a panic a local
// callee raised during it is raised again: on the judge's side that is a
// failed expectation or a broken invariant, which must fail the spec even
// if the learner's code recovered the panic it was sent.
func (c *Conn) pop(outgoing bool) {
	c.mu.Lock()
	c.stack = c.stack[:len(c.stack)-1]
	var p any
	if len(c.stack) == 0 {
		p, c.pending = c.pending, nil
	}
	c.mu.Unlock()
	if outgoing && p != nil {
		panic(p)
	}
}

func (c *Conn) broken(err error) string {
	if c.Closed != nil {
		return c.Closed(err)
	}
	return "the connection to the other process broke: " + err.Error()
}

// serve runs one incoming call and sends its reply.
func (c *Conn) serve(m message) error {
	c.push(false, m.Method)
	defer c.pop(false)
	c.mu.Lock()
	obj, ok := c.objects[m.ID]
	c.mu.Unlock()
	var reply message
	if !ok {
		reply.Panic = fmt.Sprintf("wire: no object %d (it belonged to a process that has since been restarted)", m.ID)
	} else {
		reply = c.invoke(obj, m.Method, m.Args)
	}
	return c.enc.Encode(reply)
}

// invoke calls obj's method (obj itself when method is empty and obj is a
// func; the func named method when obj is a map of funcs) and returns the
// reply: the exported results, or the panic the call raised.
func (c *Conn) invoke(obj any, method string, args []any) (reply message) {
	fn, err := callee(obj, method, c.Strict)
	if err != nil {
		return message{Panic: err.Error()}
	}
	t := fn.Type()
	if t.IsVariadic() || t.NumIn() != len(args) {
		return message{Panic: fmt.Sprintf("wire: %s takes %d arguments, got %d", methodName(method), t.NumIn(), len(args))}
	}
	in := make([]reflect.Value, len(args))
	for i, a := range args {
		v, err := c.importValue(a, t.In(i))
		if err != nil {
			return message{Panic: fmt.Sprintf("wire: %s argument %d: %v", methodName(method), i, err)}
		}
		in[i] = v
	}
	defer func() {
		if r := recover(); r != nil {
			c.mu.Lock()
			if c.pending == nil {
				c.pending = r
			}
			c.mu.Unlock()
			reply = message{Panic: panicMessage(method, r)}
		}
	}()
	out := fn.Call(in)
	reply.Args = make([]any, len(out))
	for i, v := range out {
		reply.Args[i] = c.export(v)
	}
	for i, a := range in {
		if a.Kind() == reflect.Slice && a.Type().Elem().Kind() == reflect.Uint8 {
			reply.Fill = append(reply.Fill, fill{Arg: i, Bytes: a.Bytes()})
		}
	}
	return reply
}

// panicMessage is what the caller's panic says: the value and the stack of
// the code that panicked, without the frames of this package and the
// runtime.
func panicMessage(method string, r any) string {
	if s, ok := r.(string); ok && strings.HasPrefix(s, "panic in ") {
		return s // already described by a nested call
	}
	var keep []string
	skip := false
	for _, line := range strings.Split(string(debug.Stack()), "\n") {
		trimmed := strings.TrimSpace(line)
		if strings.Contains(line, "/grader/internal/subject") || strings.HasPrefix(line, "main.main(") {
			break // the serving loop: not the learner's code
		}
		switch {
		case strings.HasPrefix(line, "goroutine "):
			continue
		case strings.Contains(line, "/grader/sealed/wire.") || strings.Contains(line, "runtime/debug.") ||
			strings.HasPrefix(trimmed, "panic(") || strings.HasPrefix(trimmed, "reflect."):
			skip = true
			continue
		case skip && strings.HasPrefix(line, "\t"):
			skip = false
			continue
		}
		skip = false
		keep = append(keep, line)
	}
	if len(keep) > 20 {
		keep = keep[:20]
	}
	return fmt.Sprintf("panic in %s: %s\n%s", methodName(method), clip(fmt.Sprint(r)), strings.TrimSpace(strings.Join(keep, "\n")))
}

// maxPanic bounds the text of a panic value that crosses the pipe: a
// learner's panic may carry any amount of it.
const maxPanic = 4 << 10

func clip(s string) string {
	if len(s) <= maxPanic {
		return s
	}
	return s[:maxPanic] + fmt.Sprintf("… (%d more bytes)", len(s)-maxPanic)
}

func methodName(m string) string {
	if m == "" {
		return "a callback"
	}
	return m
}

func callee(obj any, method string, strict bool) (reflect.Value, error) {
	if m, ok := obj.(map[string]any); ok {
		f, ok := m[method]
		if !ok {
			return reflect.Value{}, fmt.Errorf("wire: no function %q", method)
		}
		return reflect.ValueOf(f), nil
	}
	v := reflect.ValueOf(obj)
	if method == "" {
		if v.Kind() != reflect.Func {
			return reflect.Value{}, fmt.Errorf("wire: %T is not a function", obj)
		}
		return v, nil
	}
	f := v.MethodByName(method)
	if !f.IsValid() || strict && !inContract(v.Type(), method) {
		return reflect.Value{}, fmt.Errorf("wire: %T has no method %s", obj, method)
	}
	return f, nil
}

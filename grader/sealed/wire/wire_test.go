package wire

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/onsi/gomega/format"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pair connects two Conns through OS pipes, as the judge and the subject
// are connected; the right one serves root.
func pair(t testing.TB, root any) (left, right *Conn) {
	t.Helper()
	r1, w1, err := os.Pipe()
	require.NoError(t, err)
	r2, w2, err := os.Pipe()
	require.NoError(t, err)
	left = NewConn(r1, w2, nil)
	right = NewConn(r2, w1, root)
	left.OnTimeout = func() { w1.Close() } // as the judge kills the subject
	go func() { _ = right.Serve() }()
	t.Cleanup(func() { w1.Close(); w2.Close() })
	return left, right
}

var errSentinel = errors.New("sentinel")

type typedErr struct{ Code int }

func (e *typedErr) Error() string { return fmt.Sprintf("typed %d", e.Code) }

type counter interface{ Add(n int) int }

type localCounter struct{ total int }

func (c *localCounter) Add(n int) int { c.total += n; return c.total }

type remoteCounter struct {
	object Ref
	c      *Conn
}

func (r remoteCounter) Add(n int) (total int) { r.c.Call(r.object, "Add", []any{n}, &total); return }
func (r remoteCounter) WireRef() (*Conn, Ref) { return r.c, r.object }

func init() {
	RegisterSentinel(errSentinel)
	RegisterValue(&typedErr{})
	RegisterErrorType[*typedErr]()
	RegisterProxy(func(c *Conn, r Ref) counter { return remoteCounter{r, c} })
}

func TestCallReturnsResultsAndFillsBuffers(t *testing.T) {
	left, _ := pair(t, map[string]any{
		"Sum":  func(a, b int) int { return a + b },
		"Fill": func(p []byte) int { copy(p, "hello"); return len(p) },
	})
	var sum int
	left.Call(Ref{}, "Sum", []any{2, 3}, &sum)
	assert.Equal(t, 5, sum)
	buf := make([]byte, 5)
	var n int
	left.Call(Ref{}, "Fill", []any{buf}, &n)
	assert.Equal(t, "hello", string(buf))
}

func TestErrorsKeepSentinelsTypesAndIdentity(t *testing.T) {
	mine := errors.New("the caller's own error")
	left, _ := pair(t, map[string]any{
		"Wrap":  func() error { return fmt.Errorf("context: %w", errSentinel) },
		"Typed": func() error { return fmt.Errorf("wrapped: %w", &typedErr{Code: 7}) },
		"Echo":  func(f func() error) error { return f() },
		"Nil":   func() error { return nil },
	})
	var err error
	left.Call(Ref{}, "Wrap", nil, &err)
	assert.ErrorIs(t, err, errSentinel)
	assert.Equal(t, "context: sentinel", err.Error())

	left.Call(Ref{}, "Typed", nil, &err)
	var te *typedErr
	require.ErrorAs(t, err, &te)
	assert.Equal(t, 7, te.Code)

	left.Call(Ref{}, "Echo", []any{func() error { return mine }}, &err)
	assert.Same(t, mine, err, "an error that crosses twice comes back as itself")

	left.Call(Ref{}, "Nil", nil, &err)
	assert.NoError(t, err)
}

func TestAFailedExpectationPrintsAnErrorByWhatItWraps(t *testing.T) {
	left, _ := pair(t, map[string]any{
		"Wrap":  func() error { return fmt.Errorf("context: %w", errSentinel) },
		"Plain": func() error { return errors.New("plain") },
	})
	var err error
	left.Call(Ref{}, "Wrap", nil, &err)
	printed := format.Object(err, 1)
	assert.Contains(t, printed, "context: sentinel")
	assert.Contains(t, printed, `wraps: "sentinel" (*errors.errorString)`)
	assert.NotContains(t, printed, "enc", "the connection's internals are not printed")
	assert.Less(t, len(printed), 200)

	left.Call(Ref{}, "Plain", nil, &err)
	assert.Contains(t, format.Object(err, 1), "(wraps no error a spec can test for)")
}

func TestNestedCallbacksRunOnTheCallersGoroutine(t *testing.T) {
	left, _ := pair(t, map[string]any{
		// Calls back three times, nested: the counter lives with the caller.
		"Use": func(c counter) int { c.Add(1); c.Add(2); return c.Add(3) },
	})
	local := &localCounter{}
	var got int
	left.Call(Ref{}, "Use", []any{local}, &got)
	assert.Equal(t, 6, got)
	assert.Equal(t, 6, local.total)
}

func TestAProxySentBackArrivesAsTheObjectItself(t *testing.T) {
	left, _ := pair(t, map[string]any{
		"Same": func(c counter) counter { return c },
	})
	local := &localCounter{}
	var back counter
	left.Call(Ref{}, "Same", []any{local}, &back)
	assert.Same(t, local, back)
}

func TestPanicsFailTheCaller(t *testing.T) {
	left, _ := pair(t, map[string]any{
		"Boom": func() int { panic("not implemented") },
	})
	var n int
	defer func() {
		r := recover()
		require.NotNil(t, r)
		assert.Contains(t, fmt.Sprint(r), "panic in Boom: not implemented")
	}()
	left.Call(Ref{}, "Boom", nil, &n)
}

func TestAPanicInACallbackIsRaisedAgainEvenIfTheCalleeRecovers(t *testing.T) {
	left, _ := pair(t, map[string]any{
		"Swallow": func(f func()) (ok bool) {
			defer func() { ok = recover() != nil }()
			f()
			return false
		},
	})
	var ok bool
	defer func() {
		r := recover()
		assert.Equal(t, "the spec failed here", r)
	}()
	left.Call(Ref{}, "Swallow", []any{func() { panic("the spec failed here") }}, &ok)
	t.Fatal("the callback's panic was lost")
}

func TestStrictConnsServeOnlyContractMethods(t *testing.T) {
	r1, w1, _ := os.Pipe()
	r2, w2, _ := os.Pipe()
	defer w1.Close()
	defer w2.Close()
	judge := NewConn(r1, w2, nil)
	judge.Strict = true
	subject := NewConn(r2, w1, map[string]any{
		"Poke": func(c counter) (ok bool) {
			defer func() { ok = recover() == nil }()
			rc := c.(remoteCounter)
			rc.c.Call(rc.object, "Reset", nil) // not in the counter contract
			return true
		},
	})
	go func() { _ = subject.Serve() }()
	var ok bool
	func() {
		defer func() { _ = recover() }() // the refused call's panic is raised again here
		judge.Call(Ref{}, "Poke", []any{&resettable{}}, &ok)
	}()
	assert.False(t, ok, "a method outside the contract was served")
}

type resettable struct{ localCounter }

func (r *resettable) Reset() { r.total = 0 }

func TestTimeoutAndBrokenConnectionsPanicWithAReason(t *testing.T) {
	left, _ := pair(t, map[string]any{
		"Sleep": func() { time.Sleep(time.Second) },
	})
	left.Timeout = 50 * time.Millisecond
	r := catch(func() { left.Call(Ref{}, "Sleep", nil) })
	assert.Contains(t, r, "Sleep did not finish within 50ms")

	pr, pw := io.Pipe()
	c := NewConn(pr, io.Discard, nil)
	pw.Close()
	r = catch(func() { c.Call(Ref{}, "Anything", nil) })
	assert.True(t, strings.Contains(r, "broke"), r)
}

func catch(f func()) (msg string) {
	defer func() { msg = fmt.Sprint(recover()) }()
	f()
	return ""
}

func TestASequenceCrossesAsItsValues(t *testing.T) {
	left, _ := pair(t, map[string]any{
		"Seq": func() func(yield func(int) bool) {
			return func(yield func(int) bool) {
				for i := range 3 {
					if !yield(i) {
						return
					}
				}
			}
		},
	})
	var seq func(yield func(int) bool)
	left.Call(Ref{}, "Seq", nil, &seq)
	var got []int
	for v := range seq {
		got = append(got, v)
	}
	assert.Equal(t, []int{0, 1, 2}, got)
}

// BenchmarkCall measures one round trip through OS pipes, the price the
// sealed path pays per call into the learner's code.
func BenchmarkCall(b *testing.B) {
	left, _ := pair(b, map[string]any{"Sum": func(a, b uint64) uint64 { return a + b }})
	var sum uint64
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		left.Call(Ref{}, "Sum", []any{uint64(i), uint64(1)}, &sum)
	}
}

// BenchmarkCallback measures a call that calls back once.
func BenchmarkCallback(b *testing.B) {
	left, _ := pair(b, map[string]any{"Use": func(c counter) int { return c.Add(1) }})
	local := &localCounter{}
	var n int
	for b.Loop() {
		left.Call(Ref{}, "Use", []any{local}, &n)
	}
}

func TestAHugePanicIsClipped(t *testing.T) {
	left, _ := pair(t, map[string]any{"Boom": func() { panic(strings.Repeat("x", 1<<20)) }})
	r := catch(func() { left.Call(Ref{}, "Boom", nil) })
	assert.Less(t, len(r), 8<<10)
	assert.Contains(t, r, "more bytes")
}

func TestAMessageOverTheLimitBreaksTheConnection(t *testing.T) {
	left, _ := pair(t, map[string]any{
		"Bytes": func(n int) []byte { return make([]byte, n) },
	})
	left.MaxMessage = 1 << 20
	var b []byte
	left.Call(Ref{}, "Bytes", []any{1 << 19}, &b)
	assert.Len(t, b, 1<<19, "under the limit")
	left.Call(Ref{}, "Bytes", []any{1 << 19}, &b)
	assert.Len(t, b, 1<<19, "the limit is per message")

	r := catch(func() { left.Call(Ref{}, "Bytes", []any{4 << 20}, &b) })
	assert.Contains(t, r, "over the size limit (1048576 bytes)")
}

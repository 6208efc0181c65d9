package trace

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vmkata/vmkata/vm"
)

// r and w build expected references.
func r(p vm.PageID) Ref { return Ref{Page: p} }
func w(p vm.PageID) Ref { return Ref{Page: p, Write: true} }

func TestParseRefs(t *testing.T) {
	classic := []Ref{r(7), r(0), r(1), r(2)}
	tests := []struct {
		name string
		in   string
		want []Ref
	}{
		{name: "spaces", in: "7 0 1 2", want: classic},
		{name: "commas", in: "7,0,1,2", want: classic},
		{name: "one a line", in: "7\n0\n1\n2\n", want: classic},
		{name: "mixed separators", in: " 7, 0,1 \t2 ,", want: classic},
		{name: "crlf", in: "7\r\n0\r\n1\r\n2\r\n", want: classic},
		{name: "several lines", in: "7 0\n\n1,2", want: classic},
		{name: "comments", in: "# the classic\n7 0 # first two\n1 2#last\n#end", want: classic},
		{name: "writes and reads", in: "3w 4r 5W 6R", want: []Ref{w(3), r(4), w(5), r(6)}},
		{name: "hex", in: "0x10 0XfF", want: []Ref{r(16), r(255)}},
		{name: "largest page", in: "18446744073709551615", want: []Ref{r(1<<64 - 1)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseRefs(tt.in)
			require.NoError(t, err, "ParseRefs(%q)", tt.in)
			assert.Equal(t, tt.want, got, "ParseRefs(%q)", tt.in)
		})
	}
}

func TestParseRefsErrors(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		line     int
		text     string
		sentinel error
	}{
		{name: "word", in: "7 x 1", line: 1, text: "x", sentinel: strconv.ErrSyntax},
		{name: "third line", in: "1\n2\n3q 4", line: 3, text: "3q", sentinel: strconv.ErrSyntax},
		{name: "negative", in: "1 -2", line: 1, text: "-2", sentinel: strconv.ErrSyntax},
		{name: "bare suffix", in: "w", line: 1, text: "w", sentinel: strconv.ErrSyntax},
		{name: "bare hex prefix", in: "0x", line: 1, text: "0x", sentinel: strconv.ErrSyntax},
		{name: "overflow", in: "18446744073709551616", line: 1, text: "18446744073709551616", sentinel: vm.ErrOutOfRange},
		{name: "hex overflow", in: "\n0x10000000000000000", line: 2, text: "0x10000000000000000", sentinel: vm.ErrOutOfRange},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseRefs(tt.in)
			var pe *ParseError
			require.ErrorAs(t, err, &pe, "ParseRefs(%q)", tt.in)
			assert.Equal(t, tt.line, pe.Line, "ParseRefs(%q): line", tt.in)
			assert.Equal(t, tt.text, pe.Text, "ParseRefs(%q): text", tt.in)
			assert.ErrorIs(t, err, tt.sentinel, "ParseRefs(%q)", tt.in)
			assert.Contains(t, err.Error(), strconv.Quote(tt.text))
		})
	}
	for _, in := range []string{"", "  \n\n", "# nothing but a comment\n", ",,,"} {
		_, err := ParseRefs(in)
		assert.ErrorIs(t, err, ErrEmpty, "ParseRefs(%q)", in)
	}
}

// readAll parses in through a Reader fed by wrap(strings.NewReader(in)).
func readAll(t *testing.T, in string, f Format, pageSize uint64, wrap func(io.Reader) io.Reader) ([]Ref, error) {
	t.Helper()
	rd, err := NewReader(wrap(strings.NewReader(in)), "t.trace", f, pageSize)
	require.NoError(t, err)
	return rd.ReadAll()
}

func identity(r io.Reader) io.Reader { return r }

var readers = []struct {
	name string
	wrap func(io.Reader) io.Reader
}{
	{name: "whole", wrap: identity},
	{name: "one byte at a time", wrap: iotest.OneByteReader},
	{name: "half reads", wrap: iotest.HalfReader},
	{name: "data with EOF", wrap: iotest.DataErrReader},
}

func TestAddrFormat(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		pageSize uint64
		want     []Ref
	}{
		{name: "hex and decimal", in: "0x1000\n4096\n8191\n0x2000\n", pageSize: 4096, want: []Ref{r(1), r(1), r(1), r(2)}},
		{name: "ops after", in: "0x1000 W\n0x3000 r\n0x3fff w", pageSize: 4096, want: []Ref{w(1), r(3), w(3)}},
		{name: "ops before", in: "W 0x1000\nR\t0x2000", pageSize: 4096, want: []Ref{w(1), r(2)}},
		{name: "comments and blanks", in: "# addresses\n\n  0x40 # x\n\t\n0x80,W\r\n", pageSize: 64, want: []Ref{r(1), w(2)}},
		{name: "default page size", in: "0x5000", pageSize: 0, want: []Ref{r(5)}},
		{name: "byte pages", in: "7 W", pageSize: 1, want: []Ref{w(7)}},
	}
	for _, tt := range tests {
		for _, rd := range readers {
			t.Run(tt.name+"/"+rd.name, func(t *testing.T) {
				got, err := readAll(t, tt.in, Addr, tt.pageSize, rd.wrap)
				require.NoError(t, err, "addr trace %q", tt.in)
				assert.Equal(t, tt.want, got, "addr trace %q", tt.in)
			})
		}
	}
}

func TestAddrFormatErrors(t *testing.T) {
	tests := []struct {
		name, in string
		line     int
		text     string
	}{
		{name: "not a number", in: "0x10\n0xZZ W\n", line: 2, text: "0xZZ W"},
		{name: "bad op", in: "0x10 X", line: 1, text: "0x10 X"},
		{name: "two ops", in: "0x10 R W", line: 1, text: "0x10 R W"},
		{name: "two addresses", in: "0x10 0x20", line: 1, text: "0x10 0x20"},
		{name: "op alone", in: "\n\nW", line: 3, text: "W"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := readAll(t, tt.in, Addr, 4096, identity)
			var pe *ParseError
			require.ErrorAs(t, err, &pe, "addr trace %q", tt.in)
			assert.Equal(t, "t.trace", pe.File)
			assert.Equal(t, tt.line, pe.Line, "addr trace %q: line", tt.in)
			assert.Equal(t, tt.text, pe.Text, "addr trace %q: text", tt.in)
			assert.ErrorIs(t, err, strconv.ErrSyntax)
			assert.True(t, strings.HasPrefix(err.Error(), "t.trace:"+strconv.Itoa(tt.line)+": "), "error %q names file and line", err)
		})
	}
}

func TestLackeyFormat(t *testing.T) {
	const in = `==12345== Lackey, an example Valgrind tool
==12345== Command: ./a.out
I  04001000,3
 L 7ff000a28,8
 S 04002ffc,8
 M 0400a010,4
I  04001ffe,4
 M 04003fff,2

==12345== 
`
	want := []Ref{
		r(0x4001),            // I
		r(0x7ff000),          // L
		w(0x4002), w(0x4003), // S straddles 0x4002fff/0x4003000
		r(0x400a), w(0x400a), // M: read, then write
		r(0x4001), r(0x4002), // I straddles
		r(0x4003), r(0x4004), // M straddling: reads first
		w(0x4003), w(0x4004), // then writes
	}
	for _, rd := range readers {
		t.Run(rd.name, func(t *testing.T) {
			got, err := readAll(t, in, Lackey, 4096, rd.wrap)
			require.NoError(t, err)
			assert.Equal(t, want, got)
		})
	}
}

func TestLackeyFormatErrors(t *testing.T) {
	tests := []struct {
		name, in string
		sentinel error
	}{
		{name: "unknown op", in: " X 0400a010,4", sentinel: strconv.ErrSyntax},
		{name: "no size", in: " L 0400a010", sentinel: strconv.ErrSyntax},
		{name: "bad address", in: " L 04zz,4", sentinel: strconv.ErrSyntax},
		{name: "bad size", in: " L 0400,four", sentinel: strconv.ErrSyntax},
		{name: "op glued to address", in: " L0400,4", sentinel: strconv.ErrSyntax},
		{name: "op alone", in: "I", sentinel: strconv.ErrSyntax},
		{name: "zero size", in: " L 0400,0", sentinel: vm.ErrOutOfRange},
		{name: "huge size", in: " L 0400,1000000", sentinel: vm.ErrOutOfRange},
		{name: "past the top", in: " L ffffffffffffffff,2", sentinel: vm.ErrOutOfRange},
		{name: "address overflow", in: " L 1ffffffffffffffff,2", sentinel: vm.ErrOutOfRange},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := "I  04001000,3\n" + tt.in + "\n"
			_, err := readAll(t, in, Lackey, 4096, identity)
			var pe *ParseError
			require.ErrorAs(t, err, &pe, "lackey trace %q", in)
			assert.Equal(t, 2, pe.Line, "lackey trace %q: line", in)
			assert.Equal(t, tt.in, pe.Text, "lackey trace %q: text", in)
			assert.ErrorIs(t, err, tt.sentinel, "lackey trace %q", in)
		})
	}
}

func TestEmptyTraces(t *testing.T) {
	tests := []struct {
		format Format
		in     string
	}{
		{format: Refs, in: ""},
		{format: Addr, in: "# no addresses\n\n"},
		{format: Lackey, in: "==1== only Valgrind talking\n"},
	}
	for _, tt := range tests {
		_, err := readAll(t, tt.in, tt.format, 4096, identity)
		assert.ErrorIs(t, err, ErrEmpty, "%s trace %q", tt.format, tt.in)
		assert.Contains(t, err.Error(), "t.trace")
	}
}

func TestReaderLongInput(t *testing.T) {
	// A reference string on one line far longer than the buffer, and an addr
	// trace of many lines: tokens and lines cross buffer refills.
	var one, lines strings.Builder
	const n = 100_000
	for i := range n {
		one.WriteString(strconv.Itoa(i))
		one.WriteByte(' ')
		lines.WriteString("0x" + strconv.FormatUint(uint64(i)<<12|0xabc, 16) + " W\n")
	}
	for _, rd := range readers[:3] {
		got, err := readAll(t, one.String(), Refs, 0, rd.wrap)
		require.NoError(t, err)
		require.Len(t, got, n)
		got2, err := readAll(t, lines.String(), Addr, 4096, rd.wrap)
		require.NoError(t, err)
		require.Len(t, got2, n)
		for i := range n {
			if got[i] != r(vm.PageID(i)) || got2[i] != w(vm.PageID(i)) {
				t.Fatalf("%s: reference %d = %v and %v, want %v and %v", rd.name, i, got[i], got2[i], r(vm.PageID(i)), w(vm.PageID(i)))
			}
		}
	}
}

func TestReaderLimits(t *testing.T) {
	long := strings.Repeat("1", MaxLine+10)
	_, err := readAll(t, "0x10\n"+long+"\n", Addr, 4096, identity)
	var pe *ParseError
	require.ErrorAs(t, err, &pe, "a line longer than MaxLine")
	assert.Equal(t, 2, pe.Line)
	assert.LessOrEqual(t, len(pe.Text), maxErrText+len("…"))

	_, err = readAll(t, "1 "+strings.Repeat("9", 2*maxToken)+" 2", Refs, 0, identity)
	require.ErrorAs(t, err, &pe, "a token longer than maxToken")

	_, err = NewReader(strings.NewReader("1"), "x", Addr, 3000)
	assert.ErrorIs(t, err, vm.ErrInvalidConfig, "page size 3000")
	_, err = NewReader(strings.NewReader("1"), "x", "pin", 4096)
	assert.ErrorIs(t, err, vm.ErrInvalidConfig, "format pin")
}

func TestReaderReadError(t *testing.T) {
	boom := errors.New("disk on fire")
	rd, err := NewReader(io.MultiReader(strings.NewReader("1 2 3 "), iotest.ErrReader(boom)), "t.trace", Refs, 0)
	require.NoError(t, err)
	var got []Ref
	for ref, err := range rd.All() {
		if err != nil {
			assert.ErrorIs(t, err, boom)
			break
		}
		got = append(got, ref)
	}
	assert.Equal(t, []Ref{r(1), r(2), r(3)}, got)
	_, ok, err := rd.Next()
	assert.False(t, ok)
	assert.ErrorIs(t, err, boom, "the error is sticky")
}

func TestOpenAndLoad(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "classic.refs")
	require.NoError(t, os.WriteFile(path, []byte("1 2 3 4 1 2 5 1 2 3 4 5\n"), 0o644))
	refs, err := Load(path, Refs, 0)
	require.NoError(t, err)
	assert.Len(t, refs, 12)

	rd, err := Open(path, Refs, 0)
	require.NoError(t, err)
	for range 5 {
		_, _, err = rd.Next()
		require.NoError(t, err)
	}
	assert.Equal(t, uint64(5), rd.Count())
	assert.Equal(t, 1, rd.Line())
	require.NoError(t, rd.Close())
	require.NoError(t, rd.Close(), "a second Close")

	_, err = Open(filepath.Join(dir, "missing"), Refs, 0)
	assert.ErrorIs(t, err, os.ErrNotExist)
	_, err = Load(filepath.Join(dir, "missing"), Refs, 0)
	assert.ErrorIs(t, err, os.ErrNotExist)
}

func TestNextAllocatesNothing(t *testing.T) {
	tests := []struct {
		format Format
		line   string
	}{
		{format: Refs, line: "12345 7w 0x10,"},
		{format: Addr, line: "0x7fff0000abc W\n"},
		{format: Lackey, line: " M 04003fff,2\n"},
	}
	for _, tt := range tests {
		rd, err := NewReader(&repeater{line: []byte(tt.line + "\n")}, "t", tt.format, 4096)
		require.NoError(t, err)
		allocs := testing.AllocsPerRun(10000, func() {
			if _, ok, err := rd.Next(); !ok || err != nil {
				t.Fatalf("Next() = %v, %v", ok, err)
			}
		})
		assert.Zero(t, allocs, "%s: Next allocates", tt.format)
	}
}

// repeater is an endless reader of the same line.
type repeater struct {
	line []byte
	off  int
}

func (r *repeater) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		c := copy(p[n:], r.line[r.off:])
		n += c
		r.off = (r.off + c) % len(r.line)
	}
	return n, nil
}

package trace

import (
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vmkata/vmkata/vm"
)

// oracleBytes encodes oracle-general records for pages with the given
// next-access fields.
func oracleBytes(pages []uint64, next []int64) []byte {
	var b []byte
	for i, p := range pages {
		rec := make([]byte, oracleRecord)
		binary.LittleEndian.PutUint32(rec, uint32(i))
		binary.LittleEndian.PutUint64(rec[4:], p)
		binary.LittleEndian.PutUint32(rec[12:], 4096)
		binary.LittleEndian.PutUint64(rec[16:], uint64(next[i]))
		b = append(b, rec...)
	}
	return b
}

func TestOracleGeneral(t *testing.T) {
	// 5 7 5 9 7: libCacheSim's next-access fields count references from 1.
	in := string(oracleBytes([]uint64{5, 7, 5, 9, 7}, []int64{3, 5, -1, math.MaxInt64, -1}))
	for _, rd := range readers {
		got, err := readAll(t, in, OracleGeneral, 0, rd.wrap)
		require.NoError(t, err, rd.name)
		assert.Equal(t, []Ref{r(5), r(7), r(5), r(9), r(7)}, got, rd.name)
	}
	path := filepath.Join(t.TempDir(), "t.oracleGeneral.bin")
	require.NoError(t, os.WriteFile(path, []byte(in), 0o644))
	rd, err := Open(path, Auto, 0)
	require.NoError(t, err)
	defer rd.Close()
	assert.Equal(t, OracleGeneral, rd.Format())
	pages, next, err := rd.ReadFuture()
	require.NoError(t, err)
	assert.Equal(t, []vm.PageID{5, 7, 5, 9, 7}, pages)
	assert.Equal(t, []int32{2, 4, math.MaxInt32, math.MaxInt32, math.MaxInt32}, next)
}

func TestOracleGeneralErrors(t *testing.T) {
	whole := oracleBytes([]uint64{1, 2}, []int64{-1, -1})
	_, err := readAll(t, string(whole[:oracleRecord+5]), OracleGeneral, 0, identity)
	var pe *ParseError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, 2, pe.Line, "the record that is cut short")
	_, err = readAll(t, "", OracleGeneral, 0, identity)
	assert.ErrorIs(t, err, ErrEmpty)

	rd, err := NewReader(strings.NewReader(string(oracleBytes([]uint64{1}, []int64{0}))), "t", OracleGeneral, 0)
	require.NoError(t, err)
	_, _, err = rd.ReadFuture()
	assert.ErrorIs(t, err, vm.ErrOutOfRange, "a next access at 0 cannot come after the first reference")
}

func TestCSV(t *testing.T) {
	in := "time,obj,size\n1,7,4096\n2, 0x10 ,8\n\n# note\n3,7,1\n"
	for _, rd := range readers {
		r2, err := NewReader(rd.wrap(strings.NewReader(in)), "t.csv", CSV, 0)
		require.NoError(t, err)
		require.NoError(t, r2.SetColumn(2))
		got, err := r2.ReadAll()
		require.NoError(t, err, rd.name)
		assert.Equal(t, []Ref{r(7), r(16), r(7)}, got, rd.name)
	}
	got, err := readAll(t, "3\n4,x\n", CSV, 0, identity)
	require.NoError(t, err)
	assert.Equal(t, []Ref{r(3), r(4)}, got, "column 1 by default")

	for _, bad := range []string{"1,2\n3\n", "1,2\n3,x\n"} {
		r2, err := NewReader(strings.NewReader(bad), "t.csv", CSV, 0)
		require.NoError(t, err)
		require.NoError(t, r2.SetColumn(2))
		_, err = r2.ReadAll()
		var pe *ParseError
		require.ErrorAs(t, err, &pe, "%q", bad)
		assert.Equal(t, 2, pe.Line, "%q", bad)
	}
	r2, err := NewReader(strings.NewReader("1"), "t.csv", CSV, 0)
	require.NoError(t, err)
	assert.ErrorIs(t, r2.SetColumn(0), vm.ErrInvalidConfig)
}

func TestDetect(t *testing.T) {
	tests := []struct {
		name, head string
		want       Format
	}{
		{"a.refs", "7 0 1 2\n", Refs},
		{"a", "1\n2\n3w\n", Refs},
		{"a", "# addresses\n0x1000 R\n", Addr},
		{"a", "W 4096\n", Addr},
		{"a", "==123== Lackey\nI  04001234,3\n", Lackey},
		{"a", "I  04001234,3\n L 7ff000a28,8\n", Lackey},
		{"a", " S 7ff000a28,8\n", Lackey},
		{"a", "1,7,4096\n", Refs},
		{"x.oracleGeneral.bin", "", OracleGeneral},
		{"a.bin", string(oracleBytes([]uint64{1}, []int64{-1})), OracleGeneral},
		{"a", "", Refs},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, Detect(tt.name, []byte(tt.head)), "%s %q", tt.name, tt.head)
	}
	got, err := readAll(t, "0x1000 W\n0x2fff R\n", Auto, 4096, identity)
	require.NoError(t, err)
	assert.Equal(t, []Ref{w(1), r(2)}, got, "auto reads what it detects")
}

// TestReadMatchesNext: Read's fast paths return exactly what Next does, on
// lines they take and lines they leave to Next, however the input arrives.
func TestReadMatchesNext(t *testing.T) {
	var b strings.Builder
	for i := range 20_000 {
		switch i % 97 {
		case 0:
			b.WriteString("5w\n")
		case 1:
			b.WriteString("# comment 1 2 3\n")
		case 2:
			b.WriteString("6 7,8\r\n")
		case 3:
			b.WriteString("12345678901234567890\n") // 20 digits: Next's path
		default:
			b.WriteString(strings.Repeat("9", i%19+1) + "\n")
		}
	}
	b.WriteString("42") // no final newline
	in := b.String()
	want, err := readAll(t, in, Refs, 0, identity)
	require.NoError(t, err)
	oracle := oracleBytes([]uint64{3, 1 << 40, 3}, []int64{3, -1, -1})
	wantOracle := []Ref{r(3), r(1 << 40), r(3)}
	for _, rd := range readers {
		for _, size := range []int{1, 7, 512} {
			got := readBatches(t, rd.wrap(strings.NewReader(in)), Refs, size)
			assert.Equal(t, want, got, "%s, batches of %d", rd.name, size)
			got = readBatches(t, rd.wrap(strings.NewReader(string(oracle))), OracleGeneral, size)
			assert.Equal(t, wantOracle, got, "oracle-general, %s, batches of %d", rd.name, size)
		}
	}
}

func readBatches(t *testing.T, in interface{ Read([]byte) (int, error) }, f Format, size int) []Ref {
	t.Helper()
	rd, err := NewReader(in, "t", f, 0)
	require.NoError(t, err)
	var out []Ref
	buf := make([]Ref, size)
	for {
		n, err := rd.Read(buf)
		require.NoError(t, err)
		if n == 0 {
			return out
		}
		out = append(out, buf[:n]...)
	}
}

func TestReadErrors(t *testing.T) {
	rd, err := NewReader(strings.NewReader("1\n2\nx\n3\n"), "t", Refs, 0)
	require.NoError(t, err)
	buf := make([]Ref, 10)
	n, err := rd.Read(buf)
	assert.Equal(t, 2, n)
	var pe *ParseError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, 3, pe.Line)
	_, err = rd.Read(buf)
	assert.Error(t, err, "the error sticks")

	rd, err = NewReader(strings.NewReader(""), "t", Refs, 0)
	require.NoError(t, err)
	_, err = rd.Read(buf)
	assert.ErrorIs(t, err, ErrEmpty)
}

func TestReadAllocatesNothing(t *testing.T) {
	for _, f := range []Format{Refs, OracleGeneral} {
		line := []byte("123456\n")
		if f == OracleGeneral {
			line = oracleBytes([]uint64{7}, []int64{-1})
		}
		rd, err := NewReader(&repeater{line: line}, "t", f, 0)
		require.NoError(t, err)
		buf := make([]Ref, 256)
		allocs := testing.AllocsPerRun(100, func() {
			if _, err := rd.Read(buf); err != nil {
				t.Fatal(err)
			}
		})
		assert.Zero(t, allocs, "%s: Read allocates", f)
	}
}

func TestWriteOracleGeneral(t *testing.T) {
	pages := []vm.PageID{5, 7, 5, 9, 7}
	var b strings.Builder
	require.NoError(t, WriteOracleGeneral(&b, pages))
	assert.Equal(t, string(oracleBytes([]uint64{5, 7, 5, 9, 7}, []int64{3, 5, -1, -1, -1})), b.String())
}

// TestReadFutureText reads the pages of text traces longer than one of
// ReadFuture's blocks, from a stream and from a file (whose size it sizes
// its result by), with lines of even length and with long lines first,
// which make it guess the length too short.
func TestReadFutureText(t *testing.T) {
	n := futureBlock + futureBlock/2
	want := make([]vm.PageID, n)
	var even, longFirst []byte
	for i := range want {
		want[i] = vm.PageID(i % 1000)
		even = append(strconv.AppendInt(even, int64(i%1000), 10), '\n')
		longFirst = strconv.AppendInt(longFirst, int64(i%1000), 10)
		if i < futureBlock {
			longFirst = append(longFirst, " # a comment that makes the first lines long"...)
		}
		longFirst = append(longFirst, '\n')
	}
	for name, text := range map[string]string{"even": string(even), "long lines first": string(longFirst)} {
		path := filepath.Join(t.TempDir(), "t.refs")
		require.NoError(t, os.WriteFile(path, []byte(text), 0o644))
		file, err := Open(path, Refs, 0)
		require.NoError(t, err)
		stream, err := NewReader(strings.NewReader(text), "t", Refs, 0)
		require.NoError(t, err)
		for _, rd := range []*Reader{file, stream} {
			pages, next, err := rd.ReadFuture()
			require.NoError(t, err)
			assert.Nil(t, next, "a text trace has no next-access times")
			if !slices.Equal(pages, want) {
				t.Fatalf("%s, size known %v: ReadFuture() = %d pages, want %d, the pages of each line", name, rd.sizeHint > 0, len(pages), n)
			}
		}
		file.Close()
	}
}

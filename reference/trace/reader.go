package trace

import (
	"fmt"
	"io"
	"iter"
	"math"
	"os"
	"slices"
	"strings"

	"github.com/vmkata/vmkata/reference/replace"
	"github.com/vmkata/vmkata/vm"
)

// Ref is one reference of a trace: the page touched and whether it was a
// write. It is replace.Ref, so that traces feed the simulator unconverted.
type Ref = replace.Ref

// Format names a trace file format; see the package comment.
type Format string

// The formats a Reader parses.
const (
	Refs          Format = "refs"           // a reference string: page numbers
	Addr          Format = "addr"           // one address a line, optional R/W
	Lackey        Format = "lackey"         // valgrind --tool=lackey --trace-mem=yes
	OracleGeneral Format = "oracle-general" // libCacheSim's binary oracleGeneral records
	CSV           Format = "csv"            // comma-separated, the page in one column
	Auto          Format = "auto"           // decided from the content: see Detect
)

// Formats lists every format, in the order a usage message shows them.
func Formats() []Format { return []Format{Auto, Refs, Addr, Lackey, OracleGeneral, CSV} }

// ParseFormat returns the Format called s, or an error wrapping
// vm.ErrInvalidConfig that lists the formats. libCacheSim's names are
// accepted too: "txt" (one object id a line) is refs, "oracleGeneral" is
// oracle-general.
func ParseFormat(s string) (Format, error) {
	switch s {
	case "txt":
		return Refs, nil
	case "oracleGeneral":
		return OracleGeneral, nil
	}
	for _, f := range Formats() {
		if string(f) == s {
			return f, nil
		}
	}
	return "", fmt.Errorf("trace: unknown format %q (known: auto, refs, addr, lackey, oracle-general, csv): %w", s, vm.ErrInvalidConfig)
}

// MaxAccessSize is the largest access a lackey line may describe, in bytes.
// Valgrind prints instruction lengths and data sizes of at most a few hundred
// bytes; a larger size is taken as a malformed line.
const MaxAccessSize = 1 << 16

// Reader streams the references of one trace. Next returns them one at a
// time and allocates nothing; a Reader is not safe for concurrent use.
type Reader struct {
	name   string
	format Format
	shift  uint // log2 of the page size (addr, lackey)
	sc     scanner
	closer io.Closer

	count uint64 // references returned so far
	line  int    // the line the last reference came from
	err   error  // sticky: once set, Next returns it forever

	column     int   // csv: the page's column, from 1
	nextAccess int64 // oracle-general: the last record's next-access field
	sizeHint   int64 // the file's size in bytes, 0 if unknown

	// A lackey access spanning several pages, or an M, queues references:
	// pages next..last, with write; then, if thenWrite, first..last again
	// as writes.
	pending    bool
	next, last uint64
	first      uint64
	write      bool
	thenWrite  bool
}

// NewReader returns a Reader of the trace in rd, in format f. name is used
// in error messages (a file name). pageSize maps addresses to pages for the
// addr and lackey formats: it must be a power of two, and 0 means 4096; the
// other formats ignore it. With Auto, NewReader reads the start of rd and
// picks the format with Detect. It returns an error wrapping
// vm.ErrInvalidConfig for an unknown format or a bad page size, and rd's
// error if reading the start fails.
func NewReader(rd io.Reader, name string, f Format, pageSize uint64) (*Reader, error) {
	if _, err := ParseFormat(string(f)); err != nil {
		return nil, err
	}
	if pageSize == 0 {
		pageSize = uint64(vm.Size4K)
	}
	if pageSize&(pageSize-1) != 0 {
		return nil, fmt.Errorf("trace: page size %d is not a power of two: %w", pageSize, vm.ErrInvalidConfig)
	}
	r := &Reader{name: name, format: f, shift: vm.PageSize(pageSize).Shift(), sc: newScanner(rd), column: 1}
	if f == Auto {
		for r.sc.w < detectLen && r.sc.fill(len(r.sc.buf)) {
		}
		if r.sc.err != nil {
			return nil, fmt.Errorf("%s: read: %w", r.displayName(), r.sc.err)
		}
		r.format = Detect(name, r.sc.buf[:r.sc.w])
	}
	return r, nil
}

// Format returns the trace's format (for Auto, the one Detect chose).
func (r *Reader) Format() Format { return r.format }

// SetColumn makes a csv Reader take the page from column col (from 1;
// the default is 1). It returns an error wrapping vm.ErrInvalidConfig for
// col < 1.
func (r *Reader) SetColumn(col int) error {
	if col < 1 {
		return fmt.Errorf("trace: csv column %d: columns count from 1: %w", col, vm.ErrInvalidConfig)
	}
	r.column = col
	return nil
}

// Open opens the trace file at path; see NewReader. Close the Reader to close
// the file.
func Open(path string, f Format, pageSize uint64) (*Reader, error) {
	file, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("trace: %w", err)
	}
	r, err := NewReader(file, path, f, pageSize)
	if err != nil {
		file.Close()
		return nil, err
	}
	if st, err := file.Stat(); err == nil && st.Mode().IsRegular() {
		r.sizeHint = st.Size()
	}
	r.closer = file
	return r, nil
}

// Close closes the file Open opened; it does nothing for a NewReader.
func (r *Reader) Close() error {
	if r.closer == nil {
		return nil
	}
	c := r.closer
	r.closer = nil
	return c.Close()
}

// Count returns the number of references returned so far.
func (r *Reader) Count() uint64 { return r.count }

// Line returns the line number of the most recent reference.
func (r *Reader) Line() int { return r.line }

// Next returns the next reference. ok is false at the end of the trace or on
// an error: a *ParseError for a malformed line, an error wrapping ErrEmpty
// when the trace ends without any reference, or a read error. After an
// error, Next keeps returning it. Next has the shape replace.Run takes.
func (r *Reader) Next() (ref Ref, ok bool, err error) {
	if r.err != nil {
		return Ref{}, false, r.err
	}
	if r.pending {
		r.count++
		return r.drain(), true, nil
	}
	switch r.format {
	case Refs:
		ref, ok, err = r.nextRefs()
	case Addr:
		ref, ok, err = r.nextAddr()
	case OracleGeneral:
		ref, ok, err = r.nextOracle()
	case CSV:
		ref, ok, err = r.nextCSV()
	default:
		ref, ok, err = r.nextLackey()
	}
	if err == nil && !ok && r.count == 0 {
		err = fmt.Errorf("%s: %w", r.displayName(), ErrEmpty)
	}
	if err != nil {
		r.err = err
		return Ref{}, false, err
	}
	if ok {
		r.count++
	}
	return ref, ok, nil
}

func (r *Reader) displayName() string {
	if r.name == "" {
		return "input"
	}
	return r.name
}

// All returns an iterator over the remaining references. An error ends the
// sequence with a final (Ref{}, err) pair.
func (r *Reader) All() iter.Seq2[Ref, error] {
	return func(yield func(Ref, error) bool) {
		for {
			ref, ok, err := r.Next()
			if err != nil {
				yield(Ref{}, err)
				return
			}
			if !ok || !yield(ref, nil) {
				return
			}
		}
	}
}

// Read reads the next references into dst and returns how many it read:
// fewer than len(dst) only at the end of the trace or with an error, and 0
// with a nil error at the end. Errors are Next's. Read is Next in bulk, with
// a fast path for the common lines of a refs trace (a decimal page number
// and a newline) and for oracle-general records; it allocates nothing.
func (r *Reader) Read(dst []Ref) (int, error) {
	n := 0
	switch {
	case r.err != nil || r.pending:
	case r.format == Refs && !r.sc.inComment:
		n = r.readRefLines(dst)
	case r.format == OracleGeneral:
		n = r.readOracle(dst)
	}
	for ; n < len(dst); n++ {
		ref, ok, err := r.Next()
		if err != nil {
			return n, err
		}
		if !ok {
			break
		}
		dst[n] = ref
	}
	return n, nil
}

// readRefLines parses the lines of a refs trace that are one decimal number
// (of at most 19 digits, so it cannot overflow) and a newline, straight
// from the buffer, until dst is full or a line needs Next's general path.
func (r *Reader) readRefLines(dst []Ref) int {
	s := &r.sc
	n := 0
	for n < len(dst) {
		b := s.buf[s.r:s.w]
		if len(b) < 21 && !s.eof { // a whole line may not be there: refill
			if !s.fill(len(s.buf)) {
				break
			}
			continue
		}
		i, v := 0, uint64(0)
		for ; i < len(b) && i < 20; i++ {
			d := b[i] - '0'
			if d > 9 {
				break
			}
			v = v*10 + uint64(d)
		}
		if i == 0 || i == 20 || i == len(b) || b[i] != '\n' {
			break
		}
		s.r += i + 1
		s.newlines++
		dst[n] = Ref{Page: vm.PageID(v)}
		n++
	}
	if n > 0 {
		r.count += uint64(n)
		r.line = s.newlines
	}
	return n
}

// ReadAll reads every remaining reference into a slice. It costs 16 bytes a
// reference; ReadFuture, which opt needs, 8 or 12.
func (r *Reader) ReadAll() ([]Ref, error) {
	var refs []Ref
	for {
		ref, ok, err := r.Next()
		if err != nil {
			return nil, err
		}
		if !ok {
			return refs, nil
		}
		refs = append(refs, ref)
	}
}

// futureBlock is how many pages ReadFuture reads before it sizes its result
// from the trace's length, or, when the length is unknown, how many it
// gathers in each block: 8 MB.
const futureBlock = 1 << 20

// ReadFuture reads every remaining reference's page into pages, what opt
// plans with (8 bytes a reference), and, for an oracle-general trace, the
// records' next-access fields into nextUse (4 bytes more): nextUse[i] is the
// index of the next reference to pages[i], or math.MaxInt32 if there is
// none, as replace.NewOPTWithNextUse takes it. nextUse is nil for the other
// formats. It returns an error wrapping vm.ErrOutOfRange for a trace of
// 2^31-1 references or more, or one whose next-access field does not fit.
func (r *Reader) ReadFuture() (pages []vm.PageID, nextUse []int32, err error) {
	oracle := r.format == OracleGeneral && !r.pending && r.count == 0
	if oracle && r.sizeHint > 0 {
		pages = make([]vm.PageID, 0, r.sizeHint/oracleRecord)
		nextUse = make([]int32, 0, r.sizeHint/oracleRecord)
	}
	// A text trace's length in references is not known in advance. Rather
	// than let append copy the pages into larger slices again and again
	// (and fault each one in anew), ReadFuture reads a first block, then
	// allocates for the whole file at the bytes per reference seen so far,
	// with an eighth more to spare; without a file size, the pages gather
	// in blocks copied once into one slice at the end.
	var blocks [][]vm.PageID
	var buf [512]Ref
	total := 0
	for {
		if oracle {
			// One record at a time: nextAccess belongs to the last one.
			ref, ok, err := r.Next()
			if err != nil {
				return nil, nil, err
			}
			if !ok {
				return pages, nextUse, nil
			}
			next := int32(math.MaxInt32)
			if a := r.nextAccess; a != -1 && a != math.MaxInt64 {
				if a < 1 || a > math.MaxInt32 {
					return nil, nil, parseErr(r.name, r.line, nil,
						fmt.Errorf("next-access field %d is outside [1, 2^31-1]: %w", a, vm.ErrOutOfRange))
				}
				next = int32(a - 1) // libCacheSim counts references from 1
			}
			pages, nextUse = append(pages, ref.Page), append(nextUse, next)
			total++
		} else {
			n, err := r.Read(buf[:])
			if err != nil {
				return nil, nil, err
			}
			if n == 0 {
				return slices.Concat(append(blocks, pages)...), nil, nil
			}
			for _, ref := range buf[:n] {
				if len(pages) == cap(pages) {
					pages, blocks = r.growFuture(pages, blocks)
				}
				pages = append(pages, ref.Page)
			}
			total += n
		}
		if total >= math.MaxInt32 {
			return nil, nil, fmt.Errorf("%s: more than %d references: %w", r.displayName(), math.MaxInt32-1, vm.ErrOutOfRange)
		}
	}
}

// growFuture makes room in pages, full, for ReadFuture: the first time, a
// block; once that block is full, room for the whole file, estimated from
// its size; past that, or without a size, a new block, pages going to
// blocks.
func (r *Reader) growFuture(pages []vm.PageID, blocks [][]vm.PageID) ([]vm.PageID, [][]vm.PageID) {
	switch {
	case cap(pages) == 0:
		return make([]vm.PageID, 0, futureBlock), blocks
	case len(blocks) == 0 && cap(pages) == futureBlock && r.sizeHint > 0:
		est := int64(len(pages)) * r.sizeHint / max(r.sc.consumed(), 1)
		if est += est / 8; est > int64(len(pages)) && est < math.MaxInt32 {
			return append(make([]vm.PageID, 0, est), pages...), blocks
		}
	}
	return make([]vm.PageID, 0, futureBlock), append(blocks, pages)
}

// Load reads the whole trace file at path; see Open and Reader.ReadAll.
func Load(path string, f Format, pageSize uint64) ([]Ref, error) {
	r, err := Open(path, f, pageSize)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return r.ReadAll()
}

// ParseRefs parses a reference string (the refs format): "7 0 1 2",
// "7,0,1,2", one page a line, "3w" for a write, '#' comments. It returns a
// *ParseError naming the line and token of a malformed page number, and an
// error wrapping ErrEmpty for a string without any page.
func ParseRefs(s string) ([]Ref, error) {
	r, err := NewReader(strings.NewReader(s), "", Refs, 0)
	if err != nil {
		return nil, err
	}
	return r.ReadAll()
}

package trace

import (
	"fmt"
	"io"
	"iter"
	"os"
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
	Refs   Format = "refs"   // a reference string: page numbers
	Addr   Format = "addr"   // one address a line, optional R/W
	Lackey Format = "lackey" // valgrind --tool=lackey --trace-mem=yes
)

// Formats lists every format, in the order a usage message shows them.
func Formats() []Format { return []Format{Refs, Addr, Lackey} }

// ParseFormat returns the Format called s, or an error wrapping
// vm.ErrInvalidConfig that lists the formats.
func ParseFormat(s string) (Format, error) {
	for _, f := range Formats() {
		if string(f) == s {
			return f, nil
		}
	}
	return "", fmt.Errorf("trace: unknown format %q (known: refs, addr, lackey): %w", s, vm.ErrInvalidConfig)
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
// refs format ignores it. It returns an error wrapping vm.ErrInvalidConfig
// for an unknown format or a bad page size.
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
	return &Reader{name: name, format: f, shift: vm.PageSize(pageSize).Shift(), sc: newScanner(rd)}, nil
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

// ReadAll reads every remaining reference into a slice: what opt needs,
// which plans with the whole future. It costs 16 bytes a reference.
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

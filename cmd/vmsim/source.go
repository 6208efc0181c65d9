package main

import (
	"flag"
	"strconv"
	"strings"

	"github.com/vmkata/vmkata/reference/replace"
	"github.com/vmkata/vmkata/reference/trace"
	"github.com/vmkata/vmkata/vm"
)

// source is where a command takes its references from: a reference string
// on the command line or a trace file.
type source struct {
	refs     string
	path     string
	format   string
	pageSize string
	column   int
}

func (s *source) declare(fs *flag.FlagSet) {
	fs.StringVar(&s.refs, "refs", "", `reference string, e.g. "7 0 1 2" or "7,0,1,2" ("3w" is a write)`)
	fs.StringVar(&s.path, "trace", "", "trace `file` to read instead of --refs")
	fs.StringVar(&s.format, "trace-format", "auto",
		"trace file `format`: auto (detect oracle-general, lackey, addr or refs), refs (or txt), addr, lackey, oracle-general, csv")
	fs.StringVar(&s.pageSize, "page-size", "4096", "page size in `bytes` (4096, 4K, 2M) that maps addresses to pages (addr, lackey)")
	fs.IntVar(&s.column, "column", 1, "csv: the `column` (from 1) that holds the page or object id")
}

// check validates the flags without reading anything.
func (s *source) check() (trace.Format, uint64, error) {
	switch {
	case s.refs == "" && s.path == "":
		return "", 0, usagef("give a reference string (--refs) or a trace file (--trace)")
	case s.refs != "" && s.path != "":
		return "", 0, usagef("give --refs or --trace, not both")
	}
	f, err := trace.ParseFormat(s.format)
	if err != nil {
		return "", 0, err
	}
	size, err := parseSize(s.pageSize)
	if err != nil {
		return "", 0, err
	}
	if s.column < 1 {
		return "", 0, usagef("--column %d: columns count from 1", s.column)
	}
	return f, size, nil
}

// open returns a Reader of the source: the trace file, or the reference
// string in refs format.
func (s *source) open() (*trace.Reader, error) {
	f, size, err := s.check()
	if err != nil {
		return nil, err
	}
	if s.refs != "" {
		return trace.NewReader(strings.NewReader(s.refs), "--refs", trace.Refs, 0)
	}
	r, err := trace.Open(s.path, f, size)
	if err != nil {
		return nil, err
	}
	if err := r.SetColumn(s.column); err != nil {
		r.Close()
		return nil, err
	}
	return r, nil
}

// load returns every reference, in memory.
func (s *source) load() ([]replace.Ref, error) {
	r, err := s.open()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return r.ReadAll()
}

// future returns the pages of every reference, and the trace's own next-use
// table if it has one (see trace.Reader.ReadFuture): what opt needs.
func (s *source) future() ([]vm.PageID, []int32, error) {
	r, err := s.open()
	if err != nil {
		return nil, nil, err
	}
	defer r.Close()
	return r.ReadFuture()
}

// parseSize parses a byte count: decimal, 0x hex, or with a K, M or G
// suffix (binary units; "KiB" and "KB" mean the same).
func parseSize(s string) (uint64, error) {
	t := strings.ToUpper(strings.TrimSpace(s))
	t = strings.TrimSuffix(strings.TrimSuffix(t, "B"), "I")
	shift := 0
	if n := len(t); n > 0 {
		switch t[n-1] {
		case 'K':
			shift = 10
		case 'M':
			shift = 20
		case 'G':
			shift = 30
		}
		if shift != 0 {
			t = t[:n-1]
		}
	}
	v, err := strconv.ParseUint(t, 0, 64)
	if err != nil || v == 0 || v > (1<<63)>>shift {
		return 0, usagef("page size %q: want a positive number of bytes such as 4096, 4K or 2M", s)
	}
	v <<= shift
	if v&(v-1) != 0 {
		return 0, usagef("page size %q is not a power of two", s)
	}
	return v, nil
}

package main

import (
	"flag"
	"fmt"
	"strconv"
	"strings"

	"github.com/vmkata/vmkata/reference/replace"
	"github.com/vmkata/vmkata/reference/trace"
)

// source is where a command takes its references from: a reference string
// on the command line or a trace file.
type source struct {
	refs     string
	path     string
	format   string
	pageSize string
}

func (s *source) declare(fs *flag.FlagSet) {
	fs.StringVar(&s.refs, "refs", "", `reference string, e.g. "7 0 1 2" or "7,0,1,2" ("3w" is a write)`)
	fs.StringVar(&s.path, "trace", "", "trace `file` to read instead of --refs")
	fs.StringVar(&s.format, "trace-format", "refs", "trace file `format`: refs, addr or lackey")
	fs.StringVar(&s.pageSize, "page-size", "4096", "page size in `bytes` (4096, 4K, 2M) that maps addresses to pages (addr, lackey)")
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
	return f, size, nil
}

// load returns every reference, in memory.
func (s *source) load() ([]replace.Ref, error) {
	f, size, err := s.check()
	if err != nil {
		return nil, err
	}
	if s.refs != "" {
		refs, err := trace.ParseRefs(s.refs)
		if err != nil {
			return nil, fmt.Errorf("--refs: %w", err)
		}
		return refs, nil
	}
	return trace.Load(s.path, f, size)
}

// stream returns a function handing out the references one at a time (what
// replace.Run takes) and one that releases the file.
func (s *source) stream() (next func() (replace.Ref, bool, error), closer func() error, err error) {
	f, size, err := s.check()
	if err != nil {
		return nil, nil, err
	}
	if s.refs != "" {
		refs, err := s.load()
		if err != nil {
			return nil, nil, err
		}
		i := 0
		return func() (replace.Ref, bool, error) {
			if i == len(refs) {
				return replace.Ref{}, false, nil
			}
			i++
			return refs[i-1], true, nil
		}, func() error { return nil }, nil
	}
	r, err := trace.Open(s.path, f, size)
	if err != nil {
		return nil, nil, err
	}
	return r.Next, r.Close, nil
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

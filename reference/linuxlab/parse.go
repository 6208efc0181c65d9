// Package linuxlab is the reference of exercise 19: small experiments that
// make the machine's own Linux kernel show what the simulator's parts do —
// the VMAs of /proc/PID/maps and /proc/PID/smaps, demand paging counted in
// minor faults, copy-on-write after fork, mprotect and the fault it causes,
// SIGBUS past the end of a mapped file, MAP_PRIVATE against MAP_SHARED,
// madvise(MADV_DONTNEED) and transparent huge pages.
//
// The parsers (ParseMaps, ParseSmaps, Classify) work on any system. The
// experiments need Linux; elsewhere they return an error wrapping
// errors.ErrUnsupported.
//
// Every experiment maps a region of its own and leaves it mapped, so that
// whoever called it can look at the region again; the caller unmaps it.
package linuxlab

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/vmkata/vmkata/vm"
)

// MaxTouchPages bounds the regions of TouchFresh and DropPages: a region
// smaller than a huge page (2 MiB) is always mapped one 4 KiB page at a
// time, so touching N pages costs at least N faults.
const MaxTouchPages = 256

// HugeSize is the size of an x86-64 transparent huge page.
const HugeSize = 2 << 20

// ParseMaps parses the text of /proc/PID/maps, one VMA a line:
//
//	start-end perms offset dev inode [path]
//
// The smaps counters of the VMAs it returns are zero.
func ParseMaps(text string) ([]vm.LinuxVMA, error) {
	var out []vm.LinuxVMA
	n := 0
	for line := range strings.Lines(text) {
		n++
		v, err := parseHeader(strings.TrimSuffix(line, "\n"))
		if err != nil {
			return nil, fmt.Errorf("maps line %d: %w", n, err)
		}
		out = append(out, v)
	}
	return out, nil
}

// parseHeader parses one maps line.
func parseHeader(line string) (vm.LinuxVMA, error) {
	var v vm.LinuxVMA
	rest := line
	var f [5]string
	for i := range f {
		rest = strings.TrimLeft(rest, " ")
		end := strings.IndexByte(rest, ' ')
		if end < 0 {
			end = len(rest)
		}
		f[i], rest = rest[:end], rest[end:]
	}
	if f[4] == "" {
		return v, fmt.Errorf("%q: want start-end perms offset dev inode [path]", line)
	}
	lo, hi, ok := strings.Cut(f[0], "-")
	start, err1 := strconv.ParseUint(lo, 16, 64)
	end, err2 := strconv.ParseUint(hi, 16, 64)
	if !ok || err1 != nil || err2 != nil || start > end {
		return v, fmt.Errorf("%q: range %q is not start-end in hex with start <= end", line, f[0])
	}
	if !validPerms(f[1]) {
		return v, fmt.Errorf("%q: permissions %q are not four letters like rw-p", line, f[1])
	}
	off, err := strconv.ParseUint(f[2], 16, 64)
	if err != nil {
		return v, fmt.Errorf("%q: offset %q is not hex", line, f[2])
	}
	if major, minor, ok := strings.Cut(f[3], ":"); !ok || !isHex(major) || !isHex(minor) {
		return v, fmt.Errorf("%q: device %q is not major:minor in hex", line, f[3])
	}
	inode, err := strconv.ParseUint(f[4], 10, 64)
	if err != nil {
		return v, fmt.Errorf("%q: inode %q is not a decimal number", line, f[4])
	}
	v.Start, v.End, v.Perms, v.Offset, v.Dev, v.Inode = vm.VAddr(start), vm.VAddr(end), f[1], off, f[3], inode
	v.Path = strings.TrimLeft(rest, " ")
	return v, nil
}

func validPerms(p string) bool {
	return len(p) == 4 && (p[0] == 'r' || p[0] == '-') && (p[1] == 'w' || p[1] == '-') &&
		(p[2] == 'x' || p[2] == '-') && (p[3] == 'p' || p[3] == 's')
}

func isHex(s string) bool {
	_, err := strconv.ParseUint(s, 16, 32)
	return err == nil
}

// smapsFields are the smaps counters LinuxVMA keeps, by the name smaps
// prints.
var smapsFields = map[string]func(*vm.LinuxVMA) *uint64{
	"Rss":           func(v *vm.LinuxVMA) *uint64 { return &v.Rss },
	"Pss":           func(v *vm.LinuxVMA) *uint64 { return &v.Pss },
	"Shared_Clean":  func(v *vm.LinuxVMA) *uint64 { return &v.SharedClean },
	"Shared_Dirty":  func(v *vm.LinuxVMA) *uint64 { return &v.SharedDirty },
	"Private_Clean": func(v *vm.LinuxVMA) *uint64 { return &v.PrivateClean },
	"Private_Dirty": func(v *vm.LinuxVMA) *uint64 { return &v.PrivateDirty },
	"Anonymous":     func(v *vm.LinuxVMA) *uint64 { return &v.Anonymous },
	"AnonHugePages": func(v *vm.LinuxVMA) *uint64 { return &v.AnonHugePages },
	"Swap":          func(v *vm.LinuxVMA) *uint64 { return &v.Swap },
}

// ParseSmaps parses the text of /proc/PID/smaps: each VMA's maps line,
// followed by lines "Name:   N kB" that belong to it.
func ParseSmaps(text string) ([]vm.LinuxVMA, error) {
	var out []vm.LinuxVMA
	n := 0
	for line := range strings.Lines(text) {
		n++
		line = strings.TrimSuffix(line, "\n")
		name, value, isField := strings.Cut(line, ":")
		if isField && strings.ContainsAny(name, " -") {
			isField = false // a maps line: "7f00-7f01 ... /a:b"
		}
		if !isField {
			v, err := parseHeader(line)
			if err != nil {
				return nil, fmt.Errorf("smaps line %d: %w", n, err)
			}
			out = append(out, v)
			continue
		}
		if len(out) == 0 {
			return nil, fmt.Errorf("smaps line %d: %q comes before any VMA", n, line)
		}
		field, ok := smapsFields[name]
		if !ok {
			continue
		}
		num, unit, _ := strings.Cut(strings.TrimSpace(value), " ")
		kb, err := strconv.ParseUint(num, 10, 64)
		if err != nil || strings.TrimSpace(unit) != "kB" {
			return nil, fmt.Errorf("smaps line %d: %q: want %s: N kB", n, line, name)
		}
		*field(&out[len(out)-1]) = kb << 10
	}
	return out, nil
}

// Classify says what v holds, from its path: no path is anonymous memory,
// the pseudo-names [heap], [stack] and [vdso] are themselves, any other
// bracketed name is special, anything else is a file.
func Classify(v vm.LinuxVMA) vm.RegionKind {
	switch {
	case v.Path == "":
		return vm.RegionAnon
	case v.Path == "[heap]":
		return vm.RegionHeap
	case v.Path == "[stack]":
		return vm.RegionStack
	case v.Path == "[vdso]":
		return vm.RegionVDSO
	case strings.HasPrefix(v.Path, "["):
		return vm.RegionSpecial
	}
	return vm.RegionFile
}

package script

import (
	"io"
	"strings"
	"testing"
)

// FuzzParseAndRun: no input makes the parser or the runner panic; a script
// that parses either runs or fails with an error.
func FuzzParseAndRun(f *testing.F) {
	for _, seed := range []string{
		"spawn a\nwrite a stack-8 \"x\"\nfork a b\nwrite b stack-8 1\nexpect counter cow_copies == 1",
		"config frames 2\nconfig swap 1\nspawn a\nbrk a +16K\nwrite a heap 1 16K\nexpect killed a oom",
		"file f 8K text \"ab\"\nspawn a text f\nmmap a any 8K rw file f 0 shared as m\nwrite a m+4K \"z\"\nsync\nexpect file f 4K == \"z\"",
		"config cpus 2\nspawn a\nswitch 1 a\nmprotect a stack-4K 4K none\nmadvise a stack-4K 4K willneed\ndump a",
		"spawn a\nread a heap+0x7fffffffffffffff\nbrk a -1G\nmunmap a 0 4K",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, src string) {
		prog, err := Parse("fuzz.vms", strings.NewReader(src))
		if err != nil {
			return
		}
		for _, c := range prog.Commands {
			if r, ok := c.(*repeatCmd); ok && r.n > 4 {
				return // keep each run short
			}
			for _, size := range []uint64{lenOf(c)} {
				if size > 1<<20 {
					return
				}
			}
			if cfg, ok := c.(*configCmd); ok && (cfg.key == "frames" || cfg.key == "swap") && len(cfg.value) > 4 {
				return
			}
		}
		_ = Run(prog, io.Discard, Options{})
	})
}

// lenOf returns the byte count a command moves or creates, to keep fuzz runs small.
func lenOf(c Command) uint64 {
	switch c := c.(type) {
	case *readCmd:
		return c.n
	case *writeCmd:
		return c.n
	case *fileCmd:
		return c.size
	case *expectCmd:
		return c.n
	case *mmapCmd:
		return c.length
	case *rangeCmd:
		return c.length
	}
	return 0
}

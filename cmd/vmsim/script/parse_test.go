package script

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func parse(t *testing.T, src string) (*Program, error) {
	t.Helper()
	return Parse("test.vms", strings.NewReader(src))
}

func TestParseEveryCommand(t *testing.T) {
	tests := []struct {
		line string
		want string // the canonical form
	}{
		{line: "config frames 16", want: "config frames 16"},
		{line: "config frames 0x10", want: "config frames 16"},
		{line: "config swap 0", want: "config swap 0"},
		{line: "config tlb 16 4", want: "config tlb 16 4"},
		{line: "config policy lru", want: "config policy lru"},
		{line: "config pcid on", want: "config pcid on"},
		{line: "config cpus 2", want: "config cpus 2"},
		{line: "config shootdown eager", want: "config shootdown eager"},
		{line: "config stack-limit 64K", want: "config stack-limit 0x10000"},
		{line: "config guard-gap 8K", want: "config guard-gap 0x2000"},
		{line: "config overcommit never", want: "config overcommit never"},
		{line: "config geometry x86-32", want: "config geometry x86-32"},
		{line: "reboot", want: "reboot"},
		{line: "file /bin/app 8K", want: `file "/bin/app" 0x2000`},
		{line: `file "/data file" 4K text "AB\n"`, want: `file "/data file" 0x1000 text "AB\n"`},
		{line: "file db 1M fill 0x41", want: `file "db" 0x100000 fill 0x41`},
		{line: "spawn a", want: "spawn a"},
		{line: "spawn a text /bin/app data /d bss 4K stack 8K", want: `spawn a text "/bin/app" data "/d" bss 0x1000 stack 0x2000`},
		{line: "exec a /bin/sh bss 1K", want: `exec a "/bin/sh" bss 0x400`},
		{line: "fork a b", want: "fork a b"},
		{line: "exit b", want: "exit b"},
		{line: "switch 1 a", want: "switch 1 a"},
		{line: "read a heap", want: "read a heap 0x1"},
		{line: "read a heap+4K 16K", want: "read a heap+0x1000 0x4000"},
		{line: "read a 0x601000", want: "read a 0x601000 0x1"},
		{line: "fetch a text 4", want: "fetch a text 0x4"},
		{line: "read a stack-8-8", want: "read a stack-0x10 0x1"},
		{line: "write a heap 0x41", want: "write a heap 0x41 0x1"},
		{line: "write a heap 7 4K", want: "write a heap 0x7 0x1000"},
		{line: `write a buf+1 "hi" # a comment`, want: `write a buf+0x1 "hi" 0x2`},
		{line: `write a buf "ab" 5`, want: `write a buf "ab" 0x5`},
		{line: "mmap a any 8K rw anon private", want: "mmap a any 0x2000 rw- anon private"},
		{line: "mmap a mmap+1M 4K r-x file /lib.so 4K shared fixed as lib", want: `mmap a mmap+0x100000 0x1000 r-x file "/lib.so" 0x1000 shared fixed as lib`},
		{line: "mmap b any 4K r file /db private as m", want: `mmap b any 0x1000 r-- file "/db" 0x0 private as m`},
		{line: "mmap b any 4K none anon shared", want: "mmap b any 0x1000 --- anon shared"},
		{line: "munmap a buf 4K", want: "munmap a buf 0x1000"},
		{line: "mprotect a buf 4K r", want: "mprotect a buf 0x1000 r--"},
		{line: "madvise a buf 8K dontneed", want: "madvise a buf 0x2000 dontneed"},
		{line: "madvise a buf 8K willneed", want: "madvise a buf 0x2000 willneed"},
		{line: "brk a heap+64K", want: "brk a heap+0x10000"},
		{line: "brk a +16K", want: "brk a +0x4000"},
		{line: "brk a -4K", want: "brk a -0x1000"},
		{line: "sync", want: "sync"},
		{line: "mark", want: "mark"},
		{line: "dump a", want: "dump a"},
		{line: "repeat 3 read a heap 64K", want: "repeat 3 read a heap 0x10000"},
		{line: `expect read a heap == "hi"`, want: `expect read a heap 0x2 == "hi"`},
		{line: "expect read a heap 4K == 0", want: "expect read a heap 0x1000 == 0x0"},
		{line: "expect read a heap != 1", want: "expect read a heap 0x1 != 0x1"},
		{line: `expect file /db == "ZZ"`, want: `expect file "/db" 0x0 0x2 == "ZZ"`},
		{line: `expect file /db 4K 2 == 0x41`, want: `expect file "/db" 0x1000 0x2 == 0x41`},
		{line: "expect ok", want: "expect ok"},
		{line: "expect segv", want: "expect segv"},
		{line: "expect segv accerr", want: "expect segv accerr"},
		{line: "expect sigbus", want: "expect sigbus"},
		{line: "expect error ENOMEM", want: "expect error ENOMEM"},
		{line: "expect killed a", want: "expect killed a"},
		{line: "expect killed a oom", want: "expect killed a oom"},
		{line: "expect alive b", want: "expect alive b"},
		{line: "expect counter cow_copies == 1", want: "expect counter cow_copies == 1"},
		{line: "expect counter cpu1.tlb_hits >= 2", want: "expect counter cpu1.tlb_hits >= 2"},
		{line: "expect delta major_faults > 0x10", want: "expect delta major_faults > 16"},
		{line: "expect rss a <= 4", want: "expect rss a <= 4"},
		{line: "expect swapped a != 0", want: "expect swapped a != 0"},
		{line: "expect vmas a == 5", want: "expect vmas a == 5"},
		{line: "expect page a heap zero", want: "expect page a heap zero"},
		{line: "expect refs a heap+4K < 3", want: "expect refs a heap+0x1000 < 3"},
	}
	for _, tt := range tests {
		prog, err := parse(t, tt.line)
		require.NoError(t, err, "Parse(%q)", tt.line)
		require.Len(t, prog.Commands, 1, "Parse(%q) commands", tt.line)
		c := prog.Commands[0]
		assert.Equal(t, tt.want, c.String(), "Parse(%q).String()", tt.line)
		assert.Equal(t, 1, c.Line(), "Parse(%q).Line()", tt.line)
		// The canonical form parses back to itself.
		again, err := parse(t, c.String())
		require.NoError(t, err, "Parse(%q) of the canonical form", c.String())
		assert.Equal(t, tt.want, again.Commands[0].String(), "the canonical form of %q does not parse back to itself", tt.line)
	}
}

func TestParseSkipsCommentsAndBlankLines(t *testing.T) {
	prog, err := parse(t, "# a story\n\n  config frames 4  # four\n\t\nspawn a\n# end\n")
	require.NoError(t, err)
	require.Len(t, prog.Commands, 2)
	assert.Equal(t, 3, prog.Commands[0].Line())
	assert.Equal(t, 5, prog.Commands[1].Line())
	assert.Equal(t, "config frames 4", prog.Commands[0].source(), "source keeps the text without its comment")
	assert.Equal(t, "test.vms", prog.File)
}

func TestParseErrorsNameTheLine(t *testing.T) {
	tests := []struct {
		src  string
		line int
		want string // a part of the message
	}{
		{src: "spawn a\nfrobnicate a", line: 2, want: `unknown command "frobnicate"`},
		{src: `"spawn" a`, line: 1, want: "not a string"},
		{src: "spawn", line: 1, want: "spawn: missing NAME"},
		{src: "spawn 9lives", line: 1, want: "not a valid NAME"},
		{src: "spawn a heap 4K", line: 1, want: `"heap" is not a layout option`},
		{src: "spawn a\nconfig frames 4", line: 2, want: "config must come before"},
		{src: "spawn a\nreboot\nconfig frames 4\nspawn b\nconfig swap 1", line: 5, want: "config must come before"},
		{src: "config frames 0", line: 1, want: "out of range"},
		{src: "config frames lots", line: 1, want: `"lots" is not a size`},
		{src: "config tlb 10 4", line: 1, want: "not a multiple of 4 ways"},
		{src: "config policy opt", line: 1, want: "needs the future"},
		{src: "config policy best", line: 1, want: `"best" is not a NAME`},
		{src: "config pcid yes", line: 1, want: `"yes" is not a on|off`},
		{src: "config colour blue", line: 1, want: `"colour" is not a KEY`},
		{src: "config stack-limit 100", line: 1, want: "not a positive multiple of 4K"},
		{src: "file f 2G", line: 1, want: "more than"},
		{src: "file f 4K fill 300", line: 1, want: "does not fit in a byte"},
		{src: `file f 4K fill "x"`, line: 1, want: `want fill BYTE or text`},
		{src: "read a", line: 1, want: "read: missing ADDR"},
		{src: "read a heap 0", line: 1, want: "zero length"},
		{src: "read a he@p", line: 1, want: "is not an address"},
		{src: "read a heap+", line: 1, want: "is not an address"},
		{src: "read a heap+4Q", line: 1, want: "is not an address"},
		{src: "read a heap 4K extra", line: 1, want: `unexpected argument extra`},
		{src: `write a heap`, line: 1, want: "missing VALUE"},
		{src: `write a heap ""`, line: 1, want: "empty text"},
		{src: `write a heap "abc`, line: 1, want: "unterminated string"},
		{src: `write a heap "\q"`, line: 1, want: "bad string"},
		{src: "mmap a any 4K rq anon private", line: 1, want: `"rq" is not a protection`},
		{src: "mmap a any 4K rw anon", line: 1, want: "missing private|shared"},
		{src: "mmap a any 4K rw disk private", line: 1, want: `"disk" is not a anon|file`},
		{src: "mmap a any 4K rw anon private fixed", line: 1, want: "fixed needs an address"},
		{src: "mmap a any 4K rw anon private as heap", line: 1, want: "reserved name"},
		{src: "madvise a heap 4K forget", line: 1, want: `"forget" is not a ADVICE`},
		{src: "brk a +0", line: 1, want: "not a non-zero delta"},
		{src: "switch x a", line: 1, want: "not a CPU number"},
		{src: "repeat 0 read a heap", line: 1, want: "not a count"},
		{src: "repeat 2", line: 1, want: "missing COMMAND"},
		{src: "repeat 2 config frames 3", line: 1, want: "cannot repeat config"},
		{src: "expect", line: 1, want: "missing expectation"},
		{src: "expect magic", line: 1, want: `"magic" is not a expectation`},
		{src: "expect counter bogus == 1", line: 1, want: `unknown counter "bogus"`},
		{src: "expect counter faults = 1", line: 1, want: `"=" is not a OP`},
		{src: "expect read a heap 1", line: 1, want: "missing ==|!="},
		{src: "expect segv sometimes", line: 1, want: `"sometimes" is not a code`},
		{src: "expect page a heap maybe", line: 1, want: `"maybe" is not a state`},
		{src: "expect error EPERM", line: 1, want: `"EPERM" is not a errno`},
	}
	for _, tt := range tests {
		_, err := parse(t, tt.src)
		require.Error(t, err, "Parse(%q)", tt.src)
		var se *Error
		require.True(t, errors.As(err, &se), "Parse(%q) = %v, want an *Error", tt.src, err)
		assert.Equal(t, tt.line, se.Line, "Parse(%q) error line (%v)", tt.src, err)
		assert.Contains(t, err.Error(), tt.want, "Parse(%q) error", tt.src)
		assert.True(t, strings.HasPrefix(err.Error(), "test.vms:"), "Parse(%q) = %q, want it to start FILE:LINE:", tt.src, err)
	}
}

func TestParseValues(t *testing.T) {
	sizes := []struct {
		in   string
		want uint64
	}{
		{"0", 0}, {"4096", 4096}, {"0x1000", 4096}, {"4K", 4096}, {"4k", 4096}, {"2M", 2 << 20}, {"1G", 1 << 30}, {"0x10K", 16 << 10},
	}
	for _, tt := range sizes {
		got, err := parseSize(tt.in)
		require.NoError(t, err, "parseSize(%q)", tt.in)
		assert.Equal(t, tt.want, got, "parseSize(%q)", tt.in)
	}
	for _, bad := range []string{"", "K", "-1", "+1", "0x", "1.5K", "99999999999G", "1T"} {
		_, err := parseSize(bad)
		assert.Error(t, err, "parseSize(%q)", bad)
	}
}

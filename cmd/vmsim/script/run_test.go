package script

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vmkata/vmkata/examples"
)

// runScript parses and runs src, returning the log and Run's error.
func runScript(t *testing.T, src string, asJSON bool) (string, error) {
	t.Helper()
	prog, err := Parse("test.vms", strings.NewReader(src))
	require.NoError(t, err, "Parse")
	var out bytes.Buffer
	err = Run(prog, &out, Options{JSON: asJSON})
	return out.String(), err
}

// skeleton keeps of each log line its script line, its kind and its
// process: "7: cow_copy child" — the story without the kernel's sentences,
// which may be reworded.
func skeleton(log string) []string {
	event := regexp.MustCompile(`^(\d+):   (\S+(?: \S+)?)\s+(?:cpu\d+ (\w+)\(\d+\))?`)
	var out []string
	for _, l := range strings.Split(log, "\n") {
		switch m := event.FindStringSubmatch(l); {
		case m != nil:
			kind := strings.Fields(m[2])[0]
			if kind == "=>" {
				kind = m[2]
			}
			out = append(out, strings.TrimSpace(fmt.Sprintf("%s: %s %s", m[1], kind, m[3])))
		case strings.HasPrefix(l, "summary:"):
			out = append(out, "summary")
		case l != "" && l[0] >= '0' && l[0] <= '9':
			out = append(out, strings.SplitN(l, ":", 2)[0]+": >")
		}
	}
	return out
}

func TestRunLogTellsTheStory(t *testing.T) {
	log, err := runScript(t, `config frames 4
spawn parent
write parent stack-8 "P"
fork parent child
write child stack-8 "C"
expect read parent stack-8 == "P"
read parent 0x10
expect segv maperr
`, false)
	require.NoError(t, err, "log:\n%s", log)
	want := []string{
		"1: >", "2: >", "2: boot", "2: exec parent", "2: spawn parent",
		"3: >", "3: switch parent", "3: fault parent", "3: zero_fill parent", "3: map parent",
		"4: >", "4: map child", "4: spawn child",
		"5: >", "5: switch child", "5: fault child", "5: unmap child", "5: cow_copy child", "5: map child",
		"6: >", "6: switch parent", "6: => expect",
		"7: >", "7: fault parent", "7: segv parent", "7: unmap parent", "7: => killed",
		"8: >", "8: => expect",
		"summary",
	}
	assert.Equal(t, want, skeleton(log), "the log's skeleton; the log:\n%s", log)
	assert.Contains(t, log, "3: write parent stack-8 \"P\"\n", "commands are echoed as written")
	assert.Regexp(t, `(?m)^7:   segv +cpu0 parent\(1\) 0x10: SIGSEGV \(SEGV_MAPERR\)`, log)
	assert.Regexp(t, `(?m)^  child +pid 2 +rss 1 pages, 0 swapped$`, log)
	assert.Regexp(t, `(?m)^  parent +pid 1 +dead: .*SIGSEGV`, log)
}

func TestRunJSON(t *testing.T) {
	log, err := runScript(t, "config frames 4\nspawn a\nwrite a stack-8 1\nmark\nread a stack-8\nexpect delta faults == 0\ndump a\nreboot\nspawn b\n", true)
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSuffix(log, "\n"), "\n")
	var types []string
	for _, l := range lines {
		var obj map[string]any
		require.NoError(t, json.Unmarshal([]byte(l), &obj), "line %q", l)
		types = append(types, obj["type"].(string))
		if obj["type"] == "dump" {
			assert.Equal(t, "a", obj["process"])
			assert.Len(t, obj["maps"], 1, "a's VMAs: the stack")
		}
		if obj["type"] != "summary" && obj["type"] != "boot" {
			assert.Contains(t, obj, "line", "%q has a line", l)
		}
	}
	assert.Equal(t, "summary", types[len(types)-1], "the last object")
	assert.Equal(t, 2, strings.Count(strings.Join(types, " "), "summary"), "a summary before the reboot and at the end: %v", types)
	assert.Contains(t, types, "zero_fill")
	assert.Contains(t, types, "read")
}

func TestRunErrors(t *testing.T) {
	tests := []struct {
		name   string
		src    string
		line   int
		expect bool   // an *ExpectError, not an *Error
		want   string // part of the message
	}{
		{name: "unknown process", src: "spawn a\nread b heap", line: 2, want: `no process named "b"`},
		{name: "dead process", src: "spawn a\nexit a\nread a stack-8", line: 3, want: `"a" is dead`},
		{name: "killed process", src: "spawn a\nread a 0x10\nfork a b", line: 3, want: "SIGSEGV"},
		{name: "no such cpu", src: "spawn a\nswitch 1 a", line: 2, want: "cpu 1 does not exist"},
		{name: "bad boot", src: "config tlb 8 8\nconfig frames 4\nconfig policy lru\nconfig geometry textbook\nconfig stack-limit 4K\nspawn a\nmark\nexpect counter cpu9.tlb_hits == 0", line: 8, want: `no counter "cpu9.tlb_hits"`},
		{name: "expect on an unknown process", src: "spawn a\nexpect alive b", line: 2, want: `no process named "b"`},
		{name: "unknown variable", src: "spawn a\nwrite a buf 1", line: 2, want: `unknown address name "buf"`},
		{name: "read", src: "spawn a\nexpect read a stack-8 4 == \"ab\"", line: 2, expect: true, want: `byte 0 at 0x7fffffffeff8 is 0x00, want 0x61`},
		{name: "read !=", src: "spawn a\nexpect read a stack-8 != 0", line: 2, expect: true, want: "read 0x00"},
		{name: "read kills", src: "spawn a\nexpect read a 0x10 == 0", line: 2, expect: true, want: "the read failed"},
		{name: "ok", src: "spawn a\nbrk a 0x10\nexpect ok", line: 3, expect: true, want: "line 2 (brk a 0x10) failed"},
		{name: "error", src: "spawn a\nexpect error ENOMEM", line: 2, expect: true, want: "ended with success"},
		{name: "sigbus", src: "spawn a\nread a 0x10\nexpect sigbus", line: 3, expect: true, want: "got SIGSEGV (SEGV_MAPERR)"},
		{name: "segv code", src: "spawn a\nread a 0x10\nexpect segv accerr", line: 3, expect: true, want: "got SIGSEGV (SEGV_MAPERR)"},
		{name: "killed", src: "spawn a\nexpect killed a", line: 2, expect: true, want: "a is alive"},
		{name: "killed by", src: "spawn a\nread a 0x10\nexpect killed a oom", line: 3, expect: true, want: "a died otherwise"},
		{name: "exited is not killed", src: "spawn a\nspawn b\nexit a\nexpect killed a", line: 4, expect: true, want: "a died otherwise"},
		{name: "alive", src: "spawn a\nread a 0x10\nexpect alive a", line: 3, expect: true, want: "a is dead"},
		{name: "rss", src: "spawn a\nexpect rss a > 0", line: 2, expect: true, want: "rss of a is 0"},
		{name: "vmas", src: "spawn a\nexpect vmas a == 2", line: 2, expect: true, want: "vmas of a is 1"},
		{name: "page", src: "spawn a\nexpect page a stack-8 present", line: 2, expect: true, want: "is none"},
		{name: "refs", src: "spawn a\nwrite a stack-8 1\nexpect refs a stack-8 == 2", line: 3, expect: true, want: "writable, 1 references"},
		{name: "file", src: "file f 4 text \"ab\"\nexpect file f 2 == \"ba\"", line: 2, expect: true, want: `f holds "ab"`},
		{name: "file length", src: "file f 4\nexpect file f 2 4 == 0", line: 2, expect: true, want: "f holds only 4 bytes"},
		{name: "delta", src: "spawn a\nwrite a stack-8 1\nmark\nwrite a stack-16 1\nexpect delta faults == 1", line: 5, expect: true, want: "faults is 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			log, err := runScript(t, tt.src, false)
			require.Error(t, err, "the log:\n%s", log)
			var ee *ExpectError
			var se *Error
			if tt.expect {
				require.True(t, errors.As(err, &ee), "Run = %v, want an *ExpectError", err)
				assert.Equal(t, tt.line, ee.Line)
				assert.Contains(t, log, "summary:", "the summary is printed after a failed expect")
			} else {
				require.True(t, errors.As(err, &se), "Run = %v, want an *Error", err)
				assert.Equal(t, tt.line, se.Line)
			}
			assert.True(t, strings.HasPrefix(err.Error(), fmt.Sprintf("test.vms:%d: ", tt.line)), "Run = %q, want FILE:LINE:", err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

func TestRunRepeatAndPatterns(t *testing.T) {
	log, err := runScript(t, `config frames 4
config swap 16
config policy fifo
spawn a
brk a +24K
write a heap "abc" 24K               # the text repeats across pages
expect read a heap+4K 3 == "bca"     # 4096 % 3 == 1
repeat 3 read a heap 24K
expect counter major_faults > 0
expect file nothing == 0
`, false)
	var ee *Error
	require.True(t, errors.As(err, &ee), "Run = %v; log:\n%s", err, log)
	assert.Equal(t, 10, ee.Line, "expect file of a missing file is a script error")
	assert.Equal(t, 3, strings.Count(log, "=> read"), "repeat 3 runs the read three times")
	assert.Contains(t, log, `"abcabcabcabcabca" … (24576 bytes)`)
}

func TestExamplesParse(t *testing.T) {
	// The examples are run by cmd/vmsim's tests; here each must at least
	// parse, and its canonical form must parse to the same commands.
	names, err := fs.Glob(examples.Scripts, "*.vms")
	require.NoError(t, err)
	require.NotEmpty(t, names)
	for _, name := range names {
		src, err := examples.Scripts.ReadFile(name)
		require.NoError(t, err)
		prog, err := Parse(name, bytes.NewReader(src))
		require.NoError(t, err)
		for _, c := range prog.Commands {
			again, err := Parse("again", strings.NewReader(c.String()))
			require.NoError(t, err, "%s:%d: %q", name, c.Line(), c.String())
			assert.Equal(t, c.String(), again.Commands[0].String())
		}
	}
}

package main

import (
	"bufio"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestExamplesCheckThemselves runs every example script: each ends with
// expect lines, so exit status 0 means its story still happens.
func TestExamplesCheckThemselves(t *testing.T) {
	scripts, err := filepath.Glob(filepath.Join("..", "..", "examples", "*.vms"))
	require.NoError(t, err)
	require.NotEmpty(t, scripts, "no example scripts found in examples/")
	for _, story := range []string{"fork-then-write", "zero-page", "demand-paging", "stack-overflow", "heap-brk",
		"mmap-shared-vs-private", "thrashing", "oom", "tlb-shootdown", "pcid", "scan-resistance"} {
		assert.Contains(t, scripts, filepath.Join("..", "..", "examples", story+".vms"), "the %s story", story)
	}
	for _, s := range scripts {
		t.Run(filepath.Base(s), func(t *testing.T) {
			code, out, errOut := vmsim(t, "run", s)
			require.Equal(t, 0, code, "vmsim run %s: exit status; stderr %q", s, errOut)
			assert.Empty(t, errOut, "vmsim run %s: stderr", s)
			assert.Contains(t, out, "summary:", "vmsim run %s ends with a summary", s)
			assert.Contains(t, out, "expect", "vmsim run %s checks itself", s)
			code, _, errOut = vmsim(t, "run", s, "--json")
			require.Equal(t, 0, code, "vmsim run %s --json: exit status; stderr %q", s, errOut)
		})
	}
}

func TestRunJSONIsOneObjectPerLineEndingWithSummary(t *testing.T) {
	s := writeFile(t, "cow.vms", `config frames 4
spawn a
write a stack-8 1
fork a b
write b stack-8 2   # copy-on-write
read a 0x10         # SIGSEGV
expect segv maperr
`)
	code, out, errOut := vmsim(t, "run", "--json", s)
	require.Equal(t, 0, code, "stderr %q", errOut)
	var objs []map[string]any
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		var obj map[string]any
		require.NoError(t, json.Unmarshal(sc.Bytes(), &obj), "line %q is not a JSON object", sc.Text())
		require.Contains(t, obj, "type", "line %q has no type", sc.Text())
		objs = append(objs, obj)
	}
	require.NotEmpty(t, objs)
	last := objs[len(objs)-1]
	assert.Equal(t, "summary", last["type"], "the last object")
	for _, key := range []string{"faults", "minor_faults", "major_faults", "cow_copies", "zero_fills", "swap_ins", "swap_outs", "evictions", "tlb_shootdowns", "oom_kills", "rss"} {
		assert.Contains(t, last, key, "the summary has %s", key)
	}
	assert.Equal(t, map[string]any{"b": 1.0}, last["rss"], "rss of the live processes")
	types := map[string]map[string]any{}
	for _, o := range objs {
		types[o["type"].(string)] = o
	}
	for _, ty := range []string{"command", "boot", "fault", "zero_fill", "cow_copy", "segv", "expect"} {
		assert.Contains(t, types, ty, "an object of type %s", ty)
	}
	cow := types["cow_copy"]
	assert.Equal(t, 5.0, cow["line"], "cow_copy line")
	assert.Equal(t, "b", cow["process"], "cow_copy process")
	assert.Equal(t, 2.0, cow["pid"], "cow_copy pid")
	assert.Equal(t, "0x7fffffffe000", cow["addr"], "cow_copy addr: the page of stack-8")
	assert.Equal(t, 6.0, types["segv"]["line"], "segv line")
	assert.Equal(t, "0x10", types["segv"]["addr"], "segv addr")
}

func TestRunExitStatus(t *testing.T) {
	tests := []struct {
		name   string
		script string
		status int
		want   []string // fragments of the one-line message, after "vmsim: FILE:"
	}{
		{name: "unknown command", script: "spawn a\nfly a\n", status: 2, want: []string{":2:", `unknown command "fly"`}},
		{name: "bad argument", script: "spawn a\nread a heap 0\n", status: 2, want: []string{":2:", "zero length"}},
		{name: "unknown process", script: "spawn a\nwrite b heap 1\n", status: 2, want: []string{":2:", `no process named "b"`}},
		{name: "dead process", script: "spawn a\nread a 0x10\nread a stack-8\n", status: 2, want: []string{":3:", `process "a" is dead`, "SIGSEGV"}},
		{name: "exited process", script: "spawn a\nexit a\nexit a\n", status: 2, want: []string{":3:", `"a" is dead (exited)`}},
		{name: "no such CPU", script: "spawn a\nswitch 3 a\n", status: 2, want: []string{":2:", "cpu 3 does not exist"}},
		{name: "duplicate name", script: "spawn a\nspawn a\n", status: 2, want: []string{":2:", "exists already"}},
		{name: "unknown variable", script: "spawn a\nread a buf\n", status: 2, want: []string{":2:", `unknown address name "buf"`}},
		{name: "failed expect read", script: "spawn a\nwrite a stack-8 \"P\"\nexpect read a stack-8 == \"C\"\n", status: 1,
			want: []string{":3:", `expect read a stack-8 == "C"`, "is 0x50, want 0x43"}},
		{name: "failed expect counter", script: "spawn a\nwrite a stack-8 1\nexpect counter zero_fills == 2\n", status: 1,
			want: []string{":3:", "zero_fills is 1"}},
		{name: "failed expect segv", script: "spawn a\nread a stack-8\nexpect segv\n", status: 1,
			want: []string{":3:", "line 2 (read a stack-8) ended with success, no signal"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := writeFile(t, "s.vms", tt.script)
			code, _, errOut := vmsim(t, "run", s)
			assert.Equal(t, tt.status, code, "vmsim run of %q: exit status; stderr %q", tt.script, errOut)
			assert.True(t, strings.HasPrefix(errOut, "vmsim: "+s+":"), "stderr %q starts with vmsim: FILE:LINE:", errOut)
			assert.Equal(t, 1, strings.Count(errOut, "\n"), "stderr %q is one line", errOut)
			for _, w := range tt.want {
				assert.Contains(t, errOut, w)
			}
		})
	}
}

func TestRunUsage(t *testing.T) {
	code, _, errOut := vmsim(t, "run")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "missing SCRIPT")
	code, _, errOut = vmsim(t, "run", filepath.Join(t.TempDir(), "missing.vms"))
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "no such file")
	s := writeFile(t, "s.vms", "spawn a\n")
	code, _, errOut = vmsim(t, "run", s, "extra")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, `unexpected argument "extra"`)
	assert.Contains(t, ok(t, "run", "-h"), "Usage: vmsim run SCRIPT")
}

// TestRunOnYourParts runs a scenario on the learner's parts of this
// checkout: it says whose each part is (the reference's for a function not
// written yet), then the story holds as on the reference's parts; a
// failing expect keeps its exit status.
func TestRunOnYourParts(t *testing.T) {
	s := filepath.Join("..", "..", "examples", "fork-then-write.vms")
	code, out, errOut := vmsim(t, "run", "--parts", "exercises", s)
	require.Equal(t, 0, code, "vmsim run --parts exercises %s: exit status; stderr %q", s, errOut)
	for _, part := range []string{"page table (exercise 03, NewPageTable): ", "TLB (exercise 04, NewTLB): ",
		"frame allocator (exercise 13, NewFrameAllocator): "} {
		assert.Contains(t, out, "part: "+part, "vmsim run --parts exercises says whose the %s is", part)
	}
	assert.Contains(t, out, "summary:", "the event log follows")

	code, out, errOut = vmsim(t, "run", "--parts", "exercises", "--json", s)
	require.Equal(t, 0, code, "--json: stderr %q", errOut)
	first, _, _ := strings.Cut(out, "\n")
	var obj map[string]any
	require.NoError(t, json.Unmarshal([]byte(first), &obj), "first line %q", first)
	assert.Equal(t, "part", obj["type"], "the first object says whose a part is")
	assert.Equal(t, "page table", obj["part"], "the first part")

	bad := writeFile(t, "bad.vms", "spawn a\nexpect rss a == 7\n")
	code, _, errOut = vmsim(t, "run", "--parts", "exercises", bad)
	assert.Equal(t, 1, code, "an expect that does not hold: exit status; stderr %q", errOut)
	assert.Contains(t, errOut, "expect", "the failed expect is reported")
}

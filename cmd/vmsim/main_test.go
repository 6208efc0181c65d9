package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	classicBelady = "1,2,3,4,1,2,5,1,2,3,4,5"
	silberschatz  = "7,0,1,2,0,3,0,4,2,3,0,3,2,1,2,0,1,7,0,1"
)

// vmsim runs the command line in-process and returns its status and output.
func vmsim(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

// ok runs a command line that must succeed and returns its output.
func ok(t *testing.T, args ...string) string {
	t.Helper()
	code, out, errOut := vmsim(t, args...)
	require.Equal(t, 0, code, "vmsim %s: exit status, stderr %q", strings.Join(args, " "), errOut)
	require.Empty(t, errOut, "vmsim %s: stderr", strings.Join(args, " "))
	return out
}

func replayJSONOf(t *testing.T, args ...string) replayJSON {
	t.Helper()
	var got replayJSON
	out := ok(t, append([]string{"replay", "--json"}, args...)...)
	require.NoError(t, json.Unmarshal([]byte(out), &got), "vmsim replay --json %v printed %q", args, out)
	return got
}

func TestReplayTextbookFaults(t *testing.T) {
	tests := []struct {
		policy string
		frames string
		refs   string
		faults uint64
	}{
		{policy: "fifo", frames: "3", refs: classicBelady, faults: 9},
		{policy: "fifo", frames: "4", refs: classicBelady, faults: 10},
		{policy: "fifo", frames: "3", refs: silberschatz, faults: 15},
		{policy: "lru", frames: "3", refs: silberschatz, faults: 12},
		{policy: "opt", frames: "3", refs: silberschatz, faults: 9},
	}
	for _, tt := range tests {
		got := replayJSONOf(t, "--policy", tt.policy, "--frames", tt.frames, "--refs", tt.refs)
		n := uint64(strings.Count(tt.refs, ",") + 1)
		assert.Equal(t, tt.faults, got.Faults, "replay --policy %s --frames %s --refs %s: faults", tt.policy, tt.frames, tt.refs)
		assert.Equal(t, n, got.Accesses, "accesses")
		assert.Equal(t, n-tt.faults, got.Hits, "hits")
		assert.Equal(t, tt.policy, got.Policy)
		assert.InDelta(t, float64(tt.faults)/float64(n), got.FaultRate, 1e-9, "fault_rate")
	}
}

func TestReplaySteps(t *testing.T) {
	// Single-dash flags work as well as double-dash ones.
	out := ok(t, "replay", "-json", "-steps", "-policy", "fifo", "-frames", "3", "-refs", "1 2 3 4 1")
	var raw map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &raw))
	for _, key := range []string{"policy", "frames", "accesses", "hits", "faults", "fault_rate", "steps"} {
		assert.Contains(t, raw, key, "replay --json output keys")
	}
	var got replayJSON
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	require.Len(t, got.Steps, 5)
	evicted1 := uint64(1)
	evicted2 := uint64(2)
	want := []stepJSON{
		{Page: 1, Resident: []uint64{1}},
		{Page: 2, Resident: []uint64{1, 2}},
		{Page: 3, Resident: []uint64{1, 2, 3}},
		{Page: 4, Evicted: &evicted1, Resident: []uint64{2, 3, 4}},
		{Page: 1, Evicted: &evicted2, Resident: []uint64{3, 4, 1}},
	}
	assert.Equal(t, want, got.Steps, "FIFO steps on 1 2 3 4 1 with 3 frames")
	assert.Contains(t, out, `"evicted": null`, "a fault with a free frame evicts null")

	text := ok(t, "replay", "--steps", "--policy", "lru", "--frames", "2", "--refs", "1 2 1 3")
	assert.Contains(t, text, "hit")
	assert.Contains(t, text, "[1 3]", "LRU resident pages after the last step, least recently used first")
	assert.Contains(t, text, "lru with 2 frames: 4 accesses, 3 faults (75.0%)")
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
	return path
}

func TestReplayTraceFiles(t *testing.T) {
	refs := writeFile(t, "classic.refs", "# Belady\n1 2 3 4\n1 2 5\n1 2 3 4 5\n")
	got := replayJSONOf(t, "--policy", "fifo", "--frames", "4", "--trace", refs)
	assert.Equal(t, uint64(10), got.Faults)
	got = replayJSONOf(t, "--policy", "opt", "--frames", "3", "--trace", refs)
	assert.Equal(t, uint64(7), got.Faults, "opt reads the trace whole")

	addrs := writeFile(t, "a.addr", "0x1000 R\n0x1fff W\n0x2000\n0x10000\n")
	got = replayJSONOf(t, "--policy", "lru", "--frames", "1", "--trace", addrs, "--trace-format", "addr", "--page-size", "4K")
	assert.Equal(t, uint64(4), got.Accesses)
	assert.Equal(t, uint64(3), got.Faults)
	got = replayJSONOf(t, "--policy", "lru", "--frames", "1", "--trace", addrs, "--trace-format", "addr", "--page-size", "64K")
	assert.Equal(t, uint64(2), got.Faults, "with 64 KiB pages")

	lackey := writeFile(t, "a.lackey", "==1== x\nI  04001000,3\n M 04001ffc,8\n")
	got = replayJSONOf(t, "--policy", "fifo", "--frames", "4", "--trace", lackey, "--trace-format", "lackey")
	assert.Equal(t, uint64(5), got.Accesses, "I, then M straddling two pages: read both, write both")
	assert.Equal(t, uint64(2), got.Faults)
}

func TestBadInput(t *testing.T) {
	bad := writeFile(t, "bad.refs", "1 2 3\n4 five 6\n")
	empty := writeFile(t, "empty.refs", "# nothing\n")
	badLackey := writeFile(t, "bad.lackey", "I  0400,4\n Q 0400,4\n")
	tests := []struct {
		name string
		args []string
		want []string // fragments of the one-line message
	}{
		{name: "no command", args: nil, want: nil},
		{name: "unknown command", args: []string{"frobnicate"}, want: []string{`unknown command "frobnicate"`, "replay"}},
		{name: "unknown policy", args: []string{"replay", "--policy", "nope", "--refs", "1"}, want: []string{`"nope"`, "fifo", "lru", "s3-fifo"}},
		{name: "unknown policy in compare", args: []string{"compare", "--policies", "fifo,nope", "--refs", "1"}, want: []string{`"nope"`, "lru"}},
		{name: "zero frames", args: []string{"replay", "--frames", "0", "--refs", "1"}, want: []string{"--frames 0"}},
		{name: "negative frames", args: []string{"replay", "--frames", "-2", "--refs", "1"}, want: []string{"--frames -2"}},
		{name: "zero frames in compare", args: []string{"compare", "--frames", "0-4", "--refs", "1"}, want: []string{"--frames"}},
		{name: "backwards range", args: []string{"compare", "--frames", "5-2", "--refs", "1"}, want: []string{"empty"}},
		{name: "malformed line", args: []string{"replay", "--trace", bad}, want: []string{bad + ":2", `"five"`}},
		{name: "malformed lackey line", args: []string{"replay", "--trace", badLackey, "--trace-format", "lackey"}, want: []string{badLackey + ":2", `" Q 0400,4"`}},
		{name: "malformed --refs", args: []string{"replay", "--refs", "1 2 x"}, want: []string{"--refs", `"x"`}},
		{name: "empty trace", args: []string{"replay", "--trace", empty}, want: []string{empty, "no references"}},
		{name: "empty --refs", args: []string{"replay", "--refs", " , "}, want: []string{"no references"}},
		{name: "unreadable file", args: []string{"replay", "--trace", filepath.Join(t.TempDir(), "missing")}, want: []string{"missing", "no such file"}},
		{name: "directory as trace", args: []string{"replay", "--trace", t.TempDir()}, want: []string{"is a directory"}},
		{name: "no source", args: []string{"replay"}, want: []string{"--refs", "--trace"}},
		{name: "two sources", args: []string{"replay", "--refs", "1", "--trace", bad}, want: []string{"not both"}},
		{name: "bad format", args: []string{"replay", "--trace", bad, "--trace-format", "pin"}, want: []string{`"pin"`}},
		{name: "bad page size", args: []string{"replay", "--trace", bad, "--page-size", "3000"}, want: []string{"power of two"}},
		{name: "unknown flag", args: []string{"replay", "--fast"}, want: []string{"fast"}},
		{name: "bad flag value", args: []string{"replay", "--frames", "many"}, want: []string{"many"}},
		{name: "stray argument", args: []string{"replay", "--refs", "1", "extra"}, want: []string{`"extra"`}},
		{name: "help for unknown", args: []string{"help", "nope"}, want: []string{`"nope"`}},
		{name: "gen kind", args: []string{"gen", "--kind", "fractal"}, want: []string{`"fractal"`}},
		{name: "gen zipf alpha", args: []string{"gen", "--kind", "zipf", "--alpha", "-1"}, want: []string{"alpha"}},
		{name: "gen pages", args: []string{"gen", "--kind", "uniform", "--pages", "0"}, want: []string{"pages 0"}},
		{name: "eat probability", args: []string{"eat", "--p", "1.5"}, want: []string{"1.5"}},
		{name: "belady frames", args: []string{"belady", "--frames", "0"}, want: []string{"--frames 0"}},
		{name: "belady length", args: []string{"belady", "--max-len", "1000"}, want: []string{"length 1000"}},
		{name: "walk without address", args: []string{"walk"}, want: []string{"--va"}},
		{name: "walk non-canonical", args: []string{"walk", "--va", "0x0000800000000000"}, want: []string{"canonical"}},
		{name: "walk levels", args: []string{"walk", "--va", "0x1000", "--levels", "3"}, want: []string{"--levels 3"}},
		{name: "walk bad address", args: []string{"walk", "--va", "0xZZ"}, want: []string{"0xZZ"}},
		{name: "buddy without ops", args: []string{"buddy"}, want: []string{"--ops"}},
		{name: "buddy bad op", args: []string{"buddy", "--ops", "alloc 0, take 3"}, want: []string{"operation 2", `"take 3"`}},
		{name: "buddy bad order", args: []string{"buddy", "--ops", "alloc x"}, want: []string{`"alloc x"`, "ORDER"}},
		{name: "buddy bad size", args: []string{"buddy", "--frames", "0", "--ops", "alloc 0"}, want: []string{"0 frames"}},
		{name: "buddy frag order", args: []string{"buddy", "--frag-order", "7", "--ops", "alloc 0"}, want: []string{"--frag-order 7"}},
		{name: "tables procs", args: []string{"tables", "--procs", "0"}, want: []string{"--procs 0"}},
		{name: "loadctl loops", args: []string{"loadctl", "--loops", "40,x"}, want: []string{"--loops", `"x"`}},
		{name: "loadctl empty loop", args: []string{"loadctl", "--loops", "40,0"}, want: []string{"0 pages"}},
		{name: "loadctl quantum", args: []string{"loadctl", "--quantum", "0"}, want: []string{"quantum"}},
		{name: "tables pages", args: []string{"tables", "--pages", "513"}, want: []string{"--pages 513"}},
		{name: "tables too small", args: []string{"tables", "--procs", "10", "--pages", "10", "--frames", "50"}, want: []string{"100 pages", "--frames 50"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := vmsim(t, tt.args...)
			assert.Equal(t, 2, code, "vmsim %v: exit status", tt.args)
			assert.Empty(t, out, "vmsim %v: stdout", tt.args)
			if tt.want == nil {
				assert.Contains(t, errOut, "Usage", "vmsim %v: stderr", tt.args)
				return
			}
			assert.True(t, strings.HasPrefix(errOut, "vmsim: "), "vmsim %v: stderr %q starts with vmsim:", tt.args, errOut)
			assert.Equal(t, 1, strings.Count(errOut, "\n"), "vmsim %v: stderr %q is one line", tt.args, errOut)
			assert.True(t, strings.HasSuffix(errOut, "\n"))
			assert.NotContains(t, errOut, "goroutine", "no stack trace")
			for _, w := range tt.want {
				assert.Contains(t, errOut, w, "vmsim %v: stderr", tt.args)
			}
		})
	}
}

func TestHelp(t *testing.T) {
	out := ok(t, "help")
	for _, c := range commands {
		assert.Contains(t, out, c.name, "vmsim help lists %s", c.name)
	}
	for _, c := range commands {
		for _, args := range [][]string{{c.name, "-h"}, {c.name, "--help"}, {"help", c.name}} {
			out := ok(t, args...)
			assert.Contains(t, out, "Usage: vmsim "+c.name, "vmsim %v", args)
			assert.Contains(t, out, "-", "vmsim %v lists flags", args)
		}
	}
	assert.Contains(t, ok(t, "replay", "-h"), "-policy")
}

func TestCompare(t *testing.T) {
	svg := filepath.Join(t.TempDir(), "curve.svg")
	png := filepath.Join(t.TempDir(), "curve.png")
	out := ok(t, "compare", "--policies", "fifo,lru,opt", "--frames", "1-6", "--refs", classicBelady, "--svg", svg, "--png", png)
	assert.Contains(t, out, "10*", "the FIFO anomaly at 4 frames is marked")
	assert.Contains(t, out, "Belady")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	assert.Equal(t, []string{"frames", "fifo", "lru", "opt"}, strings.Fields(lines[0]), "table header")
	assert.Equal(t, []string{"3", "9", "10", "7"}, strings.Fields(lines[3]), "3 frames")
	assert.Equal(t, []string{"4", "10*", "8", "6"}, strings.Fields(lines[4]), "4 frames")

	b, err := os.ReadFile(svg)
	require.NoError(t, err)
	assert.Contains(t, string(b), "<svg")
	b, err = os.ReadFile(png)
	require.NoError(t, err)
	assert.True(t, bytes.HasPrefix(b, []byte("\x89PNG")), "--png writes a PNG")

	var got compareJSON
	require.NoError(t, json.Unmarshal([]byte(ok(t, "compare", "--json", "--frames", "1-5", "--refs", classicBelady)), &got))
	assert.Equal(t, []int{1, 2, 3, 4, 5}, got.Frames)
	assert.Equal(t, []int{12, 12, 9, 10, 5}, got.Faults["fifo"])
	assert.Equal(t, []int{4}, got.Anomaly["fifo"])
	assert.Empty(t, got.Anomaly["lru"], "LRU is a stack algorithm")

	all := ok(t, "compare", "--policies", "all", "--frames", "3", "--refs", silberschatz)
	assert.Contains(t, all, "s3-fifo")
}

func TestBelady(t *testing.T) {
	out := ok(t, "belady")
	assert.Contains(t, out, "1 2 3 4 1 2 5 1 2 3 4 5")
	assert.Contains(t, out, "FIFO with 3 frames: 9 faults")
	assert.Contains(t, out, "FIFO with 4 frames: 10 faults")
	out = ok(t, "belady", "--frames", "2", "--max-len", "8", "--pages", "4")
	assert.Contains(t, out, "no reference string")
}

func TestGen(t *testing.T) {
	for _, kind := range []string{"sequential", "loop", "uniform", "zipf", "phases"} {
		out := ok(t, "gen", "--kind", kind, "--n", "50", "--pages", "20", "--seed", "3")
		lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
		assert.Len(t, lines, 50, "gen --kind %s prints one page a line", kind)
		assert.Equal(t, out, ok(t, "gen", "--kind", kind, "--n", "50", "--pages", "20", "--seed", "3"), "gen --kind %s is seeded", kind)
	}
	assert.Equal(t, "0\n1\n2\n0\n1\n", ok(t, "gen", "--kind", "loop", "--n", "5", "--pages", "3"))
	// What gen prints, replay reads.
	path := writeFile(t, "z.refs", ok(t, "gen", "--kind", "zipf", "--n", "1000", "--pages", "50"))
	got := replayJSONOf(t, "--policy", "lru", "--frames", "10", "--trace", path)
	assert.Equal(t, uint64(1000), got.Accesses)
}

func TestEAT(t *testing.T) {
	out := ok(t, "eat", "--p", "0.001", "--mem", "200ns", "--fault", "8ms")
	assert.Contains(t, out, "8.2µs", "the study notes' EAT")
	assert.Contains(t, out, "41.0x", "the study notes' slowdown")
	assert.Equal(t, out, ok(t, "eat"), "the study notes' numbers are the defaults")
}

func TestWalk(t *testing.T) {
	out := ok(t, "walk", "--va", "0x7f1234567abc")
	for _, want := range []string{"PML4 254 | PDPT 72 | PD 418 | PT 359 | offset 0xabc", "CR3 = ", "PML4  read [", "PT    read [", "physical address"} {
		assert.Contains(t, out, want)
	}
	assert.Equal(t, 4, strings.Count(out, " read ["), "a 4-level walk reads 4 entries")
	out = ok(t, "walk", "-va", "0x7f1234567abc", "-levels", "5")
	assert.Contains(t, out, "PML5 0 | PML4 254")
	assert.Equal(t, 5, strings.Count(out, " read ["), "a 5-level walk reads 5 entries")
}

func TestWalkPrivilege(t *testing.T) {
	tests := []struct {
		args []string
		want string // the permissions of the page walked to
	}{
		{[]string{"--va", "0x7f1234567abc"}, "4K page, rw-u"},
		{[]string{"--va", "0x00007fffffffffff"}, "4K page, rw-u"},
		{[]string{"--va", "0xffff800000001000"}, "4K page, rw--"},
		{[]string{"--va", "0xffffffff81000000"}, "4K page, rw--"},
		{[]string{"--va", "0xff00000000000000", "--levels", "5"}, "4K page, rw--"},
		{[]string{"--va", "0xbfffffff", "--geometry", "x86-32"}, "4K page, rwxu"},
		{[]string{"--va", "0xc0001000", "--geometry", "x86-32"}, "4K page, rwx-"},
		{[]string{"--va", "0x3fff", "--geometry", "textbook"}, "64B page, rwxu"},
	}
	for _, tt := range tests {
		out := ok(t, append([]string{"walk"}, tt.args...)...)
		assert.Contains(t, out, tt.want, "vmsim walk %v", tt.args)
	}
}

func TestBuddy(t *testing.T) {
	out := ok(t, "buddy", "--frames", "16", "--max-order", "4",
		"--ops", "alloc 0, alloc 0, alloc 1, alloc 1, free 0 0, free 1 0, free 2 1, free 4 1, free 4 1")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, lines, 2*9+1, "vmsim buddy: a status and a map line per successful step, one line for the refusal:\n%s", out)
	assert.Contains(t, lines[0], "free blocks per order: 0 0 0 0 1", "the one block of 16")
	assert.Contains(t, lines[2], "alloc 0 -> 0", "the lowest frame")
	assert.Contains(t, lines[2], "free blocks per order: 1 1 1 1 0", "the splits")
	assert.Equal(t, "abccdd..........", strings.TrimSpace(lines[9]), "the map after four allocations")
	assert.Contains(t, lines[16], "free blocks per order: 0 0 0 0 1", "everything merged back")
	assert.Contains(t, lines[18], "refused", "the double free")
	assert.Contains(t, lines[18], "invalid frame", "the double free")

	frag := ok(t, "buddy", "--frames", "4", "--max-order", "2", "--frag-order", "1",
		"--ops", "alloc 0, alloc 0, alloc 0, alloc 0, free 0 0, free 2 0, alloc 1")
	assert.Contains(t, frag, "free 2 0", "the second free")
	assert.Contains(t, frag, "free frames 2  unusable for order 1: 1.00", "two free frames, no two of them buddies")
	assert.Contains(t, frag, "alloc 1                refused", "external fragmentation")
}

func TestTables(t *testing.T) {
	out := ok(t, "tables", "--procs", "32", "--pages", "6", "--frames", "4096")
	assert.Contains(t, out, "192 pages mapped", "32 × 6 pages")
	assert.Contains(t, out, "radix (x86-64, 4 levels): 1024 KiB in 32 tables", "8 table pages per process: root, 2 PDPTs, 2 PDs, 3 PTs")
	assert.Contains(t, out, "inverted: 128 KiB for all processes together", "4096 anchors × 8 B + 4096 entries × 24 B")
	more := ok(t, "tables", "--procs", "64", "--pages", "6", "--frames", "4096")
	assert.Contains(t, more, "radix (x86-64, 4 levels): 2048 KiB", "twice the processes, twice the radix tables")
	assert.Contains(t, more, "inverted: 128 KiB", "the inverted table does not grow with the processes")
}

func TestLoadctl(t *testing.T) {
	out := ok(t, "loadctl", "--frames", "100", "--loops", "40,40,40", "--epochs", "2")
	assert.Contains(t, out, "every process runs (100 frames, loops [40 40 40]):")
	assert.Contains(t, out, "epoch 2: running [0 1 2], 600 faults in 600 references (100.0 %), EAT 8ms", "120 pages in 100 frames under LRU: every reference faults")
	assert.Contains(t, out, "working-set load control (100 frames, loops [40 40 40]):")
	assert.Contains(t, out, "epoch 2: running [0 1], 0 faults in 600 references (0.0 %), EAT 200ns", "two working sets of 40 fit: no fault once loaded")
}

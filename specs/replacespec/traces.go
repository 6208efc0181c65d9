package replacespec

import (
	"bytes"
	"embed"
	"fmt"
	"strings"

	"github.com/onsi/ginkgo/v2"

	"github.com/vmkata/vmkata/reference/replace"
	"github.com/vmkata/vmkata/reference/trace"
	"github.com/vmkata/vmkata/vm"
)

// Windows of real programs' memory traces, recorded with valgrind
// --tool=lackey --trace-mem=yes: each file keeps the trace's own first
// lines (the command) and then 5,000 consecutive lines of it, instruction
// fetches, loads and stores.
//
//go:embed testdata/*.lackey
var traceFiles embed.FS

// realTraces are the traces the policies of exercise 18 replay, and
// traceFrames the memory sizes they replay them with.
var (
	realTraces = []struct{ name, file string }{
		{"ls /usr/share", "testdata/ls.lackey"},
		{"sort /etc/services", "testdata/sort.lackey"},
	}
	traceFrames = []int{4, 16}
)

// traceRules are the rules of victim choice a real trace exercises, for the
// policies that replay real traces.
var traceRules = map[string][]string{
	"arc":     {"arc-hit", "arc-ghost-b1", "arc-ghost-b2", "arc-new-full-t1", "arc-new-directory", "arc-replace"},
	"sieve":   {"sieve-hit", "sieve-insert", "sieve-hand", "sieve-evict"},
	"s3-fifo": {"s3-hit", "s3-miss", "s3-evict-queue", "s3-evict-small", "s3-evict-main"},
}

// loadTrace reads an embedded lackey trace with 4 KiB pages; a bad file
// is a bug of the kit.
func loadTrace(file string) []replace.Ref {
	data, err := traceFiles.ReadFile(file)
	if err != nil {
		panic(fmt.Sprintf("replacespec: %v", err))
	}
	r, err := trace.NewReader(bytes.NewReader(data), file, trace.Lackey, 4096)
	if err != nil {
		panic(fmt.Sprintf("replacespec: %v", err))
	}
	refs, err := r.ReadAll()
	if err != nil {
		panic(fmt.Sprintf("replacespec: %v", err))
	}
	return refs
}

// describeTraces declares that the policy under test scores exactly the
// reference's hits on real traces, and shows the hit ratios beside those
// of LRU, FIFO and OPT.
func describeTraces(policy string, newPolicy Factory) {
	rules, ok := traceRules[policy]
	if !ok {
		return
	}
	entries := []any{func(name, file string, frames int) { replayTrace(policy, newPolicy, name, file, frames) }}
	for _, t := range realTraces {
		for _, frames := range traceFrames {
			entries = append(entries, ginkgo.Entry(fmt.Sprintf("%s, %d frames", t.name, frames),
				ruleLabels(policy, 2, rules...), t.name, t.file, frames))
		}
	}
	ginkgo.DescribeTable("real program traces (Valgrind lackey): the reference's hits, access by access", entries...)
}

// replayTrace plays a trace on the policy under test and on the reference
// side by side, and fails if any access has another outcome, with a table
// of hit ratios a learner can compare.
func replayTrace(policy string, newPolicy Factory, name, file string, frames int) {
	refs := loadTrace(file)
	got, err := newPolicy(frames, replace.Options{})
	if err != nil {
		ginkgo.Fail(fmt.Sprintf("New(%d frames) = %v, want a policy", frames, err))
	}
	want, err := replace.New(policy, frames, replace.Options{})
	if err != nil {
		panic(fmt.Sprintf("replacespec: reference %s: %v", policy, err))
	}
	gotHits, wantHits, first := 0, 0, ""
	for i, r := range refs {
		gh, gv, ge := got.Access(r.Page, r.Write)
		wh, wv, we := want.Access(r.Page, r.Write)
		if gh {
			gotHits++
		}
		if wh {
			wantHits++
		}
		if first == "" && (gh != wh || ge != we || ge && gv != wv) {
			first = fmt.Sprintf("the first difference is reference %d (page %#x): %s, want %s",
				i, uint64(r.Page), hexOutcome(gh, gv, ge), hexOutcome(wh, wv, we))
		}
	}
	table := hitTable(policy, refs, frames, gotHits, wantHits)
	ginkgo.AddReportEntry("hit ratios", table)
	if first != "" {
		ginkgo.Fail(fmt.Sprintf("%s (%s) with %d frames: %d hits, want %d; %s\n%s",
			name, file, frames, gotHits, wantHits, first, table))
	}
}

// hitTable prints the hits of the policy under test and of the reference
// policies that frame it on refs with frames frames.
func hitTable(policy string, refs []replace.Ref, frames, gotHits, wantHits int) string {
	distinct := map[vm.PageID]bool{}
	for _, r := range refs {
		distinct[r.Page] = true
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d references over %d pages, %d frames:\n", len(refs), len(distinct), frames)
	row := func(who string, hits int) {
		fmt.Fprintf(&b, "  %-22s %6d hits  %5.1f%%\n", who, hits, 100*float64(hits)/float64(len(refs)))
	}
	row("yours", gotHits)
	row(policy+" (reference)", wantHits)
	for _, other := range []string{"fifo", "lru", "opt"} {
		res, err := replace.Simulate(other, frames, refs, replace.Options{}, nil)
		if err != nil {
			panic(fmt.Sprintf("replacespec: reference %s: %v", other, err))
		}
		row(other, int(res.Hits))
	}
	return b.String()
}

// hexOutcome is outcome with the page in hex, as a lackey trace writes
// addresses.
func hexOutcome(hit bool, victim vm.PageID, evicted bool) string {
	if !hit && evicted {
		return fmt.Sprintf("fault, evicted %#x", uint64(victim))
	}
	return outcome(hit, victim, evicted)
}

// RealTraces returns the kit's windows of real programs' memory traces
// (the files described on realTraces), by program, as 4 KiB page
// references: what other suites replay too.
func RealTraces() map[string][]replace.Ref {
	out := map[string][]replace.Ref{}
	for _, t := range realTraces {
		out[t.name] = loadTrace(t.file)
	}
	return out
}

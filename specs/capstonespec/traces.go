package capstonespec

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/vmkata/vmkata/reference/kernel"
	"github.com/vmkata/vmkata/reference/replace"
	"github.com/vmkata/vmkata/specs/replacespec"
	"github.com/vmkata/vmkata/vm"
)

// traceFrames is the pageable memory traces replay in: small enough for
// the policy to choose victims all along.
const traceFrames = 16

// traceRefs bounds the references replayed of each trace.
const traceRefs = 2000

// replayTrace plays refs (4 KiB pages of one process) through a kernel
// built from cfg: every page the trace touches is mapped anonymous and
// private (MAP_FIXED, runs of consecutive pages in one mapping), then each
// reference reads or writes one byte of its page. It returns the kernel's
// counters, or the first thing that went wrong.
func replayTrace(cfg kernel.Config, refs []replace.Ref) (kernel.Stats, error) {
	k, err := kernel.New(cfg)
	if err != nil {
		return kernel.Stats{}, fmt.Errorf("kernel.New: %w", err)
	}
	pid, err := k.Spawn(kernel.Image{Name: "trace"})
	if err != nil {
		return kernel.Stats{}, fmt.Errorf("spawn: %w", err)
	}
	for _, r := range pageRuns(refs) {
		a := kernel.MmapArgs{Addr: vm.VAddr(r.start << 12), Length: r.pages << 12, Perm: vm.PermRW, Fixed: true}
		if _, err := k.Mmap(pid, a); err != nil {
			return kernel.Stats{}, fmt.Errorf("%v: %w", a, err)
		}
	}
	for i, r := range refs {
		va := vm.VAddr(uint64(r.Page)<<12 | uint64(i)%4096)
		if r.Write {
			err = k.Write(pid, va, []byte{byte(i)})
		} else {
			_, err = k.Read(pid, va, 1)
		}
		if err != nil {
			return k.Stats(), fmt.Errorf("reference %d (page %#x, write %v): %w", i, uint64(r.Page), r.Write, err)
		}
	}
	if err := k.Check(); err != nil {
		return k.Stats(), fmt.Errorf("after the trace the kernel breaks an invariant: %w", err)
	}
	return k.Stats(), nil
}

// pageRun is a run of consecutive pages.
type pageRun struct{ start, pages uint64 }

// pageRuns returns the runs of consecutive pages refs touch, in order.
func pageRuns(refs []replace.Ref) []pageRun {
	seen := map[uint64]bool{}
	for _, r := range refs {
		seen[uint64(r.Page)] = true
	}
	var runs []pageRun
	for p := range seen {
		if seen[p-1] {
			continue
		}
		n := uint64(1)
		for seen[p+n] {
			n++
		}
		runs = append(runs, pageRun{p, n})
	}
	slices.SortFunc(runs, func(a, b pageRun) int { return cmp.Compare(a.start, b.start) })
	return runs
}

// traceConfig is the configuration a trace replays in.
func traceConfig(policy string, refs []replace.Ref) kernel.Config {
	return kernel.Config{Frames: traceFrames, SwapSlots: len(distinctPages(refs)) + traceFrames, Policy: policy}
}

// distinctPages returns the distinct pages of refs.
func distinctPages(refs []replace.Ref) map[vm.PageID]bool {
	out := map[vm.PageID]bool{}
	for _, r := range refs {
		out[r.Page] = true
	}
	return out
}

// traces returns the kit's real traces, each cut to traceRefs references.
func traces() map[string][]replace.Ref {
	all := replacespec.RealTraces()
	for name, refs := range all {
		all[name] = refs[:min(len(refs), traceRefs)]
	}
	return all
}

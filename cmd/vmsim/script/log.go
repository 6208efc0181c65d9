package script

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/vmkata/vmkata/reference/kernel"
	"github.com/vmkata/vmkata/vm"
)

// logger prints what a script does: as text, a learner's event log (every
// line prefixed with the script line that caused it), or as JSON lines,
// one object per command, event, note and summary, each with a "type".
// The first write error is kept and every later write skipped.
type logger struct {
	w    io.Writer
	json bool
	err  error
}

func newLogger(w io.Writer, asJSON bool) *logger { return &logger{w: w, json: asJSON} }

func (l *logger) printf(format string, args ...any) {
	if l.err == nil {
		_, l.err = fmt.Fprintf(l.w, format, args...)
	}
}

func (l *logger) emit(v any) {
	if l.err != nil {
		return
	}
	enc := json.NewEncoder(l.w) // one object and a newline; "->" stays readable
	enc.SetEscapeHTML(false)
	l.err = enc.Encode(v)
}

// command prints the command about to run.
func (l *logger) command(c Command) {
	src := c.source()
	if l.json {
		l.emit(map[string]any{"type": "command", "line": c.Line(), "text": src})
		return
	}
	l.printf("%d: %s\n", c.Line(), src)
}

// source returns the command as written.
func (c at) source() string { return c.src }

// boot prints the configuration a kernel booted with.
func (l *logger) boot(line int, cfg kernel.Config) {
	pcid := "off"
	if cfg.PCID {
		pcid = "on"
	}
	if l.json {
		l.emit(map[string]any{"type": "boot", "line": line, "frames": cfg.Frames, "swap_slots": cfg.SwapSlots,
			"policy": cfg.Policy, "cpus": cfg.CPUs, "pcid": cfg.PCID, "tlb_entries": cfg.TLB.Entries, "tlb_ways": cfg.TLB.Ways,
			"stack_limit": cfg.StackLimit, "guard_gap": cfg.GuardGap, "overcommit": cfg.Overcommit.String(), "geometry": cfg.Geometry.Name})
		return
	}
	l.printf("%d:   boot          %s, %d frames, %d swap slots, policy %s, %d CPU(s), TLB %d entries %d-way, PCID %s, stack limit %#x, guard gap %#x, overcommit %s\n",
		line, cfg.Geometry.Name, cfg.Frames, cfg.SwapSlots, cfg.Policy, cfg.CPUs, cfg.TLB.Entries, cfg.TLB.Ways, pcid, cfg.StackLimit, cfg.GuardGap, cfg.Overcommit)
}

// jsonEvent is a kernel event as a JSON line.
type jsonEvent struct {
	Type    string `json:"type"`
	Line    int    `json:"line"`
	Seq     uint64 `json:"seq"`
	CPU     int    `json:"cpu"`
	Pid     int    `json:"pid,omitempty"`
	Process string `json:"process,omitempty"`
	Addr    string `json:"addr,omitempty"`
	PFN     *int64 `json:"pfn,omitempty"`
	Slot    *int   `json:"slot,omitempty"`
	Detail  string `json:"detail,omitempty"`
}

// event prints one kernel event, caused by the command at line.
func (l *logger) event(line int, e kernel.Event, name string) {
	if l.json {
		j := jsonEvent{Type: string(e.Type), Line: line, Seq: e.Seq, CPU: e.CPU, Pid: e.Pid, Process: name, Detail: e.Detail}
		if e.Addr != 0 {
			j.Addr = e.Addr.String()
		}
		if e.PFN >= 0 {
			j.PFN = &e.PFN
		}
		if e.Slot >= 0 {
			j.Slot = &e.Slot
		}
		l.emit(j)
		return
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d:   %-13s cpu%d", line, e.Type, e.CPU)
	if e.Pid != 0 {
		fmt.Fprintf(&b, " %s(%d)", name, e.Pid)
	}
	if e.Addr != 0 {
		fmt.Fprintf(&b, " %v", e.Addr)
	}
	if e.PFN >= 0 {
		fmt.Fprintf(&b, " pfn %#x", e.PFN)
	}
	if e.Slot >= 0 {
		fmt.Fprintf(&b, " slot %d", e.Slot)
	}
	if e.Detail != "" {
		b.WriteString(": " + e.Detail)
	}
	l.printf("%s\n", b.String())
}

// note prints something the script (not the kernel) has to say about a
// command: its result, a kill, a failed system call, an expectation met.
func (l *logger) note(line int, kind, msg string) {
	if l.json {
		l.emit(map[string]any{"type": kind, "line": line, "detail": msg})
		return
	}
	l.printf("%d:   %-13s %s\n", line, "=> "+kind, msg)
}

// read prints the bytes a read returned.
func (l *logger) read(line int, name string, va vm.VAddr, n uint64, what string) {
	if l.json {
		l.emit(map[string]any{"type": "read", "line": line, "process": name, "addr": va.String(), "len": n, "value": what})
		return
	}
	l.printf("%d:   %-13s %s\n", line, "=> read", what)
}

// lines prints a block of text lines (a dump) under the command at line.
func (l *logger) lines(line int, kind string, text []string, extra map[string]any) {
	if l.json {
		obj := map[string]any{"type": kind, "line": line}
		for k, v := range extra {
			obj[k] = v
		}
		l.emit(obj)
		return
	}
	for _, t := range text {
		l.printf("%d:   %s\n", line, t)
	}
}

// summary prints the counters and the processes at the end of a run (or
// before a reboot).
func (l *logger) summary(s kernel.Stats, ps []procSummary) {
	if l.json {
		obj := map[string]any{"type": "summary"}
		for _, f := range s.Fields() {
			obj[f.Name] = f.Value
		}
		rss := map[string]int{}
		for _, p := range ps {
			if p.Alive {
				rss[p.Name] = p.RSS
			}
		}
		obj["rss"], obj["processes"] = rss, ps
		l.emit(obj)
		return
	}
	l.printf("summary: %d faults (%d minor, %d major), %d zero-page maps, %d zero-fills, %d COW copies, %d COW reuses, %d file reads, %d page-cache hits\n",
		s.Faults, s.MinorFaults, s.MajorFaults, s.ZeroPageMaps, s.ZeroFills, s.COWCopies, s.COWReuses, s.FileReads, s.CacheHits)
	l.printf("         %d swap-ins, %d swap-outs, %d write-backs, %d evictions, %d stack growths, %d SIGSEGV, %d SIGBUS, %d OOM kills\n",
		s.SwapIns, s.SwapOuts, s.Writebacks, s.Evictions, s.StackGrowths, s.Segv, s.Sigbus, s.OOMKills)
	l.printf("         %d TLB shootdowns (IPIs), %d local and %d deferred TLB flushes, %d CR3 loads, %d forks; %d frames free, %d swap slots used\n",
		s.Shootdowns, s.LocalFlushes, s.DeferredFlushes, s.CR3Loads, s.Forks, s.FreeFrames, s.SwapUsed)
	for _, p := range ps {
		if p.Alive {
			l.printf("  %-12s pid %-3d rss %d pages, %d swapped\n", p.Name, p.Pid, p.RSS, p.Swapped)
		} else {
			l.printf("  %-12s pid %-3d dead: %s\n", p.Name, p.Pid, p.Death)
		}
	}
}

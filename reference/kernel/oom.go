package kernel

import (
	"fmt"
)

// oomKill is the OOM killer (Linux's out_of_memory): called when a frame
// is needed, no resident page can be reclaimed (every candidate is pinned,
// or dirty anonymous memory with swap full), so memory and swap are both
// exhausted. It kills the process with the largest badness, its RSS plus
// its swap entries (Linux's oom_badness without the page-table term and
// oom_score_adj); on a tie, the youngest process (highest pid), sparing
// long-running ones. The kill frees the victim's frames and slots, and the
// kernel keeps running. It returns an error wrapping ErrNoMemory when there
// is no process left to kill.
func (k *Kernel) oomKill() error {
	var victim *Process
	best := -1
	for _, p := range k.procs {
		score := p.rss + len(p.swap)
		if score > best || (score == best && p.pid > victim.pid) {
			victim, best = p, score
		}
	}
	if victim == nil || best == 0 {
		return fmt.Errorf("kernel: out of memory and no process holds memory to kill: %w", ErrNoMemory)
	}
	k.stats.OOMKills++
	reason := fmt.Sprintf("out of memory and swap: killed pid %d (%s) with the largest footprint, %d resident + %d swapped pages",
		victim.pid, victim.name, victim.rss, len(victim.swap))
	if k.observing() {
		e := ev(EvOOMKill, victim.pid, 0)
		e.Detail = reason
		k.emit(e)
	}
	se := &SignalError{Pid: victim.pid, Signal: SIGKILL, Code: OOMKill, Reason: reason}
	k.destroy(victim, fmt.Errorf("kernel: pid %d died: %w", victim.pid, se))
	return nil
}

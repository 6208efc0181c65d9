package kernel

import (
	"fmt"

	"github.com/vmkata/vmkata/vm"
)

// commitPages is p's commit charge: the pages of its private writable
// VMAs, which may each need a frame or a swap slot of their own one day
// (shared and read-only mappings are backed by files or shared already).
func (k *Kernel) commitPages(p *Process) uint64 {
	var n uint64
	for v := range p.vmas.All() {
		if !v.Shared && v.Perm.Has(vm.PermWrite) {
			n += v.Len() / k.pageSize
		}
	}
	return n
}

// commitLimit is what the system can back: every pageable frame and every
// swap slot (Linux's CommitLimit with overcommit_ratio 100).
func (k *Kernel) commitLimit() uint64 {
	return uint64(k.pageable) + uint64(k.swap.slots())
}

// charge checks, before a change, that p may take extra more pages of
// commit charge on top of its VMAs' current charge: under
// OvercommitHeuristic a single request larger than the commit limit fails,
// under OvercommitNever any request that would push the system's total past
// it fails, under OvercommitAlways nothing fails. The error wraps
// ErrNoMemory (ENOMEM).
func (k *Kernel) charge(p *Process, extra uint64) error {
	limit := k.commitLimit()
	switch k.cfg.Overcommit {
	case OvercommitHeuristic:
		if extra > limit {
			return fmt.Errorf("kernel: pid %d: %d pages requested, more than memory and swap together (%d): %w", p.pid, extra, limit, ErrNoMemory)
		}
	case OvercommitNever:
		total := k.committed - p.committed + k.commitPages(p) + extra
		if total > limit {
			return fmt.Errorf("kernel: pid %d: commit charge would reach %d pages, limit %d (overcommit never): %w", p.pid, total, limit, ErrNoMemory)
		}
	}
	return nil
}

// recount updates p's part of the system's commit charge after its VMAs
// changed.
func (k *Kernel) recount(p *Process) {
	n := k.commitPages(p)
	k.committed = k.committed - p.committed + n
	p.committed = n
}

// Committed returns the system's commit charge in pages (Linux's
// Committed_AS) and the limit OvercommitNever enforces.
func (k *Kernel) Committed() (pages, limit uint64) { return k.committed, k.commitLimit() }

// Package workingset is Denning's working-set model and the load control
// built on it: which pages a program needs now, and how many programs fit in
// memory at once.
//
//   - Window computes W(t, τ), the pages referenced in the last τ references
//     of a reference string; Sizes gives |W(t, τ)| for every t.
//   - PFF runs the page-fault-frequency policy, which sizes the resident set
//     by the time between faults instead of watching every reference.
//   - Admit is load control: given the processes' working-set sizes in
//     priority order and the frames of memory, it picks the processes that
//     may run; the others are suspended until memory frees up.
//   - Run plays a multiprogrammed workload on the reference kernel, asking a
//     load controller every epoch which processes may run, and reports the
//     fault rate of each epoch: without control the sum of the working sets
//     exceeds memory and the kernel thrashes; with it, it does not.
//
// Nothing here panics on bad input: errors wrap vm.ErrInvalidConfig or
// vm.ErrOutOfRange.
package workingset

import (
	"fmt"
	"slices"

	"github.com/vmkata/vmkata/vm"
)

// Window returns the working set W(t, τ): the distinct pages among the
// references t-τ+1 … t of refs (numbered from 1; fewer when t < τ), in
// ascending order. W(0, τ) is empty. It returns an error wrapping
// vm.ErrInvalidConfig for τ < 1, or vm.ErrOutOfRange for t outside
// 0..len(refs).
func Window(refs []vm.PageID, t, tau int) ([]vm.PageID, error) {
	if tau < 1 {
		return nil, fmt.Errorf("workingset: window τ = %d, want at least 1: %w", tau, vm.ErrInvalidConfig)
	}
	if t < 0 || t > len(refs) {
		return nil, fmt.Errorf("workingset: time t = %d, want 0..%d: %w", t, len(refs), vm.ErrOutOfRange)
	}
	w := slices.Clone(refs[max(0, t-tau):t])
	slices.Sort(w)
	return slices.Compact(w), nil
}

// Sizes returns |W(t, τ)| for t = 1 … len(refs), in O(len(refs)) time. It
// returns an error wrapping vm.ErrInvalidConfig for τ < 1.
func Sizes(refs []vm.PageID, tau int) ([]int, error) {
	if tau < 1 {
		return nil, fmt.Errorf("workingset: window τ = %d, want at least 1: %w", tau, vm.ErrInvalidConfig)
	}
	out := make([]int, len(refs))
	count := map[vm.PageID]int{} // references of each page inside the window
	for i, p := range refs {
		count[p]++
		if j := i - tau; j >= 0 {
			if count[refs[j]]--; count[refs[j]] == 0 {
				delete(count, refs[j])
			}
		}
		out[i] = len(count)
	}
	return out, nil
}

// Admit is load control: wss[i] is the working-set size of process i, in
// priority order (most important first), and frames the frames of memory.
// It returns the indices of the processes that may run, ascending: going
// down the list it admits each process whose working set fits in the frames
// the admitted ones leave, and suspends the others, so a small process later
// in the list may still run. The first process is always admitted, even if
// its working set alone exceeds memory (someone must run). An empty list
// admits nothing. It returns an error wrapping vm.ErrInvalidConfig for
// frames < 1 or a negative size.
func Admit(wss []int, frames int) ([]int, error) {
	if frames < 1 {
		return nil, fmt.Errorf("workingset: admit into %d frames, want at least 1: %w", frames, vm.ErrInvalidConfig)
	}
	for i, n := range wss {
		if n < 0 {
			return nil, fmt.Errorf("workingset: process %d has working-set size %d: %w", i, n, vm.ErrInvalidConfig)
		}
	}
	var run []int
	free := frames
	for i, n := range wss {
		if i == 0 || n <= free {
			run = append(run, i)
			free -= n
		}
	}
	return run, nil
}

//go:build !solution

// Package workingset is exercise 15: Denning's working-set model and the
// load control built on it — which pages a program needs now, and how many
// programs fit in memory before the machine thrashes.
//
// Read README.md first. Run the specs with:
//
//	go test ./exercises/15-working-set-thrashing/
//
// The specs also run the reference kernel with several processes and your
// Admit as its load controller: it must stop the thrashing.
//
// Each rule of the contract starts with its id in brackets; the specs
// labelled with that id check it.
package workingset

import "github.com/vmkata/vmkata/vm"

// Window returns the working set W(t, τ) of the reference string refs.
//
// [rule:15.window] W(t, τ) is the set of distinct pages among the
// references t-τ+1 … t of refs, numbered from 1 (all of 1 … t when t < τ),
// returned in ascending order without duplicates.
// [rule:15.window-empty] W(0, τ) is empty.
// [rule:15.window-invalid] Window returns an error wrapping
// vm.ErrInvalidConfig for τ < 1, or vm.ErrOutOfRange for t outside
// 0..len(refs).
func Window(refs []vm.PageID, t, tau int) ([]vm.PageID, error) {
	panic("workingset.Window not implemented")
}

// Sizes returns the working-set size at every time.
//
// [rule:15.sizes] Sizes returns len(refs) numbers, the t-th (from 1) being
// |W(t, τ)|; an empty string gives an empty result.
// [rule:15.sizes-invalid] Sizes returns an error wrapping
// vm.ErrInvalidConfig for τ < 1.
func Sizes(refs []vm.PageID, tau int) ([]int, error) {
	panic("workingset.Sizes not implemented")
}

// PFF runs the page-fault-frequency policy (Chu and Opderbeck) on refs with
// threshold T, the resident set starting empty, references numbered from 1.
//
// [rule:15.pff-hit] A reference to a resident page is a hit: nothing
// changes but the page's last use.
// [rule:15.pff-grow] A reference at time t to a page not resident is a
// fault; when t minus the time of the previous fault (0 before the first)
// is T or less, the page is loaded and nothing is released.
// [rule:15.pff-shrink] When it is greater than T, every resident page not
// referenced since the previous fault (last use at or before it) is
// released first, then the page is loaded.
// [rule:15.pff-result] PFF returns the number of faults and len(refs)
// sizes, the t-th being the resident-set size after reference t.
// [rule:15.pff-invalid] PFF returns an error wrapping vm.ErrInvalidConfig
// for T < 1.
func PFF(refs []vm.PageID, threshold int) (faults int, sizes []int, err error) {
	panic("workingset.PFF not implemented")
}

// Admit is load control: wss[i] is the working-set size of process i, in
// priority order (most important first), and frames the frames of memory.
// It returns the indices of the processes that may run; the others are
// suspended.
//
// [rule:15.admit-fit] Going down the list, Admit admits each process whose
// working set fits (<=) in the frames the processes admitted so far leave,
// and suspends the others, so a smaller process later in the list may
// still run.
// [rule:15.admit-first] The first process is always admitted, even when
// its working set alone exceeds memory: someone must run.
// [rule:15.admit-result] The result lists the admitted indices in
// ascending order; an empty list admits nothing.
// [rule:15.admit-invalid] Admit returns an error wrapping
// vm.ErrInvalidConfig for frames < 1 or a negative working-set size.
func Admit(wss []int, frames int) ([]int, error) {
	panic("workingset.Admit not implemented")
}

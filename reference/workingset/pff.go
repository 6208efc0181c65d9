package workingset

import (
	"fmt"

	"github.com/vmkata/vmkata/vm"
)

// PFF runs the page-fault-frequency policy (Chu and Opderbeck, 1972) on the
// reference string refs with threshold T and returns the number of faults
// and the resident-set size after each reference. Where the working-set
// model watches every reference, PFF acts only at faults: a process that
// faults often gets more frames, one that faults rarely gives back the
// pages it has stopped using.
//
// The resident set starts empty; references are numbered from 1.
//
//   - A reference to a resident page is a hit: nothing changes but the
//     page's last use.
//   - A reference at time t to a page not resident is a fault. If t minus
//     the time of the previous fault (0 before the first) is greater than
//     T, every resident page not referenced since the previous fault (last
//     use at or before it) is released first. Then the page is loaded.
//
// It returns an error wrapping vm.ErrInvalidConfig for T < 1.
func PFF(refs []vm.PageID, threshold int) (faults int, sizes []int, err error) {
	if threshold < 1 {
		return 0, nil, fmt.Errorf("workingset: PFF threshold %d, want at least 1: %w", threshold, vm.ErrInvalidConfig)
	}
	lastUse := map[vm.PageID]int{} // the resident pages and the time of their last reference
	lastFault := 0
	sizes = make([]int, len(refs))
	for i, p := range refs {
		t := i + 1
		if _, ok := lastUse[p]; !ok {
			faults++
			if t-lastFault > threshold {
				for q, u := range lastUse {
					if u <= lastFault {
						delete(lastUse, q)
					}
				}
			}
			lastFault = t
		}
		lastUse[p] = t
		sizes[i] = len(lastUse)
	}
	return faults, sizes, nil
}

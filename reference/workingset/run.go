package workingset

import (
	"fmt"

	"github.com/vmkata/vmkata/reference/kernel"
	"github.com/vmkata/vmkata/vm"
)

// Workload is a multiprogrammed run on the reference kernel: processes
// that each loop over their own pages, scheduled round robin.
type Workload struct {
	Frames  int   // pageable frames of the machine (global LRU replacement, swap for every page)
	Loops   []int // process i references its Loops[i] pages in turn, 0, 1, …, Loops[i]-1, 0, …
	Quantum int   // references a process makes each time it is scheduled
	Epoch   int   // references per epoch, all running processes together
	Epochs  int   // number of epochs
	Tau     int   // the working-set window of each process, in its own references
}

// Controller is load control: given the working-set sizes of the processes
// (in priority order) and the frames of memory, it returns the indices of
// the processes that may run, as Admit does.
type Controller func(wss []int, frames int) ([]int, error)

// Result is what Run measured, epoch by epoch.
type Result struct {
	Running   [][]int   // the processes that ran in each epoch
	Faults    []uint64  // page faults in each epoch
	FaultRate []float64 // Faults / Epoch
}

// Run loads every process's pages (one write each, in process order: these
// references count in the working sets but not in any epoch), then plays
// w.Epochs epochs. Before each epoch it computes every process's working-set
// size |W(t, τ)| over its own references so far and asks control which
// processes run; a nil control runs them all. In the epoch the running
// processes take turns of w.Quantum references until w.Epoch references
// are made; the suspended ones make none (their pages age out of memory).
// It returns an error wrapping vm.ErrInvalidConfig for a bad workload or a
// controller answer that is not ascending indices of processes.
func Run(w Workload, control Controller) (Result, error) {
	bad := func(format string, args ...any) (Result, error) {
		return Result{}, fmt.Errorf("workingset: run: "+format+": %w", append(args, vm.ErrInvalidConfig)...)
	}
	if len(w.Loops) == 0 || w.Quantum < 1 || w.Epoch < 1 || w.Epochs < 1 || w.Tau < 1 {
		return bad("workload %+v: want processes, and a positive quantum, epoch, epoch count and window", w)
	}
	swap := 0
	for i, n := range w.Loops {
		if n < 1 || n > 1<<16 {
			return bad("process %d loops over %d pages, want 1..65536", i, n)
		}
		swap += n
	}
	k, err := kernel.New(kernel.Config{Frames: w.Frames, SwapSlots: swap, Policy: "lru"})
	if err != nil {
		return Result{}, err
	}
	const page = 4096
	pids := make([]int, len(w.Loops))
	bases := make([]vm.VAddr, len(w.Loops))
	history := make([][]vm.PageID, len(w.Loops)) // each process's references, by page index
	for i, n := range w.Loops {
		if pids[i], err = k.Spawn(kernel.Image{Name: fmt.Sprintf("p%d", i)}); err != nil {
			return Result{}, err
		}
		if bases[i], err = k.Mmap(pids[i], kernel.MmapArgs{Length: uint64(n) * page, Perm: vm.PermRW}); err != nil {
			return Result{}, err
		}
		for p := range n {
			if err := k.Write(pids[i], bases[i]+vm.VAddr(p*page), []byte{byte(i)}); err != nil {
				return Result{}, err
			}
			history[i] = append(history[i], vm.PageID(p))
		}
	}
	next := make([]int, len(w.Loops)) // the page each process references next
	var r Result
	for range w.Epochs {
		running := make([]int, len(w.Loops))
		for i := range running {
			running[i] = i
		}
		if control != nil {
			wss := make([]int, len(w.Loops))
			for i, h := range history {
				ws, err := Window(h, len(h), w.Tau)
				if err != nil {
					return Result{}, err
				}
				wss[i] = len(ws)
			}
			if running, err = control(wss, w.Frames); err != nil {
				return Result{}, fmt.Errorf("workingset: run: the load controller: %w", err)
			}
			for j, i := range running {
				if i < 0 || i >= len(w.Loops) || j > 0 && i <= running[j-1] {
					return bad("the load controller answered %v for %d processes: want ascending indices", running, len(w.Loops))
				}
			}
		}
		before := k.Stats().Faults
		for made, turn := 0, 0; made < w.Epoch && len(running) > 0; turn++ {
			i := running[turn%len(running)]
			for q := 0; q < w.Quantum && made < w.Epoch; q++ {
				p := next[i]
				if _, err := k.Read(pids[i], bases[i]+vm.VAddr(p*page), 1); err != nil {
					return Result{}, err
				}
				history[i] = append(history[i], vm.PageID(p))
				next[i] = (p + 1) % w.Loops[i]
				made++
			}
		}
		faults := k.Stats().Faults - before
		r.Running = append(r.Running, running)
		r.Faults = append(r.Faults, faults)
		r.FaultRate = append(r.FaultRate, float64(faults)/float64(w.Epoch))
	}
	return r, nil
}

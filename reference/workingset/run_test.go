package workingset_test

import (
	"errors"
	"testing"

	"github.com/vmkata/vmkata/reference/workingset"
	"github.com/vmkata/vmkata/vm"
)

func TestRunRefusesBadWorkloadsAndAnswers(t *testing.T) {
	good := workingset.Workload{Frames: 16, Loops: []int{4, 4}, Quantum: 2, Epoch: 8, Epochs: 1, Tau: 4}
	bad := []workingset.Workload{
		{Frames: 16, Quantum: 2, Epoch: 8, Epochs: 1, Tau: 4},
		{Frames: 16, Loops: []int{4, 0}, Quantum: 2, Epoch: 8, Epochs: 1, Tau: 4},
		{Frames: 16, Loops: []int{4}, Quantum: 0, Epoch: 8, Epochs: 1, Tau: 4},
		{Frames: 16, Loops: []int{4}, Quantum: 2, Epoch: 8, Epochs: 1, Tau: 0},
		{Frames: 0, Loops: []int{4}, Quantum: 2, Epoch: 8, Epochs: 1, Tau: 4},
	}
	for _, w := range bad {
		if _, err := workingset.Run(w, nil); !errors.Is(err, vm.ErrInvalidConfig) {
			t.Errorf("Run(%+v) = %v, want an error wrapping %v", w, err, vm.ErrInvalidConfig)
		}
	}
	refuse := errors.New("no")
	for _, answer := range []func([]int, int) ([]int, error){
		func([]int, int) ([]int, error) { return []int{1, 0}, nil },
		func([]int, int) ([]int, error) { return []int{2}, nil },
		func([]int, int) ([]int, error) { return []int{0, 0}, nil },
		func([]int, int) ([]int, error) { return nil, refuse },
	} {
		_, err := workingset.Run(good, answer)
		if err == nil {
			t.Errorf("Run with a controller answering garbage = nil, want an error")
		}
	}
	r, err := workingset.Run(good, func([]int, int) ([]int, error) { return nil, nil })
	if err != nil || r.Faults[0] != 0 {
		t.Errorf("Run with every process suspended = %+v, %v; want no faults", r, err)
	}
}

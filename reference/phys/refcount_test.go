package phys_test

import (
	"errors"
	"testing"

	"github.com/vmkata/vmkata/reference/phys"
	"github.com/vmkata/vmkata/vm"
)

func TestRefCounts(t *testing.T) {
	r, err := phys.NewRefCounts(4)
	if err != nil {
		t.Fatalf("NewRefCounts(4) = %v", err)
	}
	steps := []struct {
		op   string
		pfn  vm.PFN
		want int
		err  error
	}{
		{op: "get", pfn: 2, want: 0},
		{op: "inc", pfn: 2, want: 1},
		{op: "inc", pfn: 2, want: 2},
		{op: "get", pfn: 3, want: 0},
		{op: "dec", pfn: 2, want: 1},
		{op: "dec", pfn: 2, want: 0},
		{op: "dec", pfn: 2, want: 0, err: vm.ErrInvalidFrame},
		{op: "get", pfn: 2, want: 0},
		{op: "inc", pfn: 4, err: vm.ErrOutOfRange},
		{op: "dec", pfn: 4, err: vm.ErrOutOfRange},
		{op: "get", pfn: 1 << 40, err: vm.ErrOutOfRange},
	}
	for i, s := range steps {
		var got int
		var err error
		switch s.op {
		case "get":
			got, err = r.Get(s.pfn)
		case "inc":
			got, err = r.Inc(s.pfn)
		case "dec":
			got, err = r.Dec(s.pfn)
		}
		if s.err != nil && !errors.Is(err, s.err) {
			t.Errorf("step %d: %s(%v) error = %v, want %v", i, s.op, s.pfn, err, s.err)
		}
		if s.err == nil && (err != nil || got != s.want) {
			t.Errorf("step %d: %s(%v) = %d, %v, want %d, nil", i, s.op, s.pfn, got, err, s.want)
		}
	}
	for _, n := range []int{0, -1, phys.MaxFrames + 1} {
		if _, err := phys.NewRefCounts(n); !errors.Is(err, vm.ErrInvalidConfig) {
			t.Errorf("NewRefCounts(%d) error = %v, want ErrInvalidConfig", n, err)
		}
	}
}

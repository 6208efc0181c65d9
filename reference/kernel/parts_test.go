package kernel

import (
	"errors"
	"strings"
	"testing"

	"github.com/vmkata/vmkata/reference/mmu"
	"github.com/vmkata/vmkata/reference/pagetable"
	"github.com/vmkata/vmkata/reference/replace"
	"github.com/vmkata/vmkata/reference/tlb"
	"github.com/vmkata/vmkata/vm"
)

// bareTable is a page table with vm.PageTable's methods alone (no Free,
// no Mappings), as a learner's is.
type bareTable struct{ vm.PageTable }

// bareTLB is a TLB with vm.TLB's methods alone (no Entries); with
// noFlushPage its FlushPage forgets to invalidate.
type bareTLB struct {
	vm.TLB
	noFlushPage bool
}

func (b *bareTLB) FlushPage(asid vm.ASID, va vm.VAddr) {
	if !b.noFlushPage {
		b.TLB.FlushPage(asid, va)
	}
}

// TestPartConstructorsAreUsed builds a two-CPU kernel from constructors
// that count their calls: one TLB and one MMU per CPU, each MMU over its
// own CPU's TLB, one page table per process (spawn and fork), the policy
// Policy names over the pageable frames.
func TestPartConstructorsAreUsed(t *testing.T) {
	var tlbs []*bareTLB
	var mmuTLBs []vm.TLB
	tables, policies := 0, []string{}
	k := newKernel(t, Config{Frames: 8, CPUs: 2, Policy: "lru",
		NewTLB: func(c vm.TLBConfig) (vm.TLB, error) {
			t, err := tlb.New(c)
			b := &bareTLB{TLB: t}
			tlbs = append(tlbs, b)
			return b, err
		},
		NewMMU: func(c vm.MMUConfig) (vm.MMU, error) {
			mmuTLBs = append(mmuTLBs, c.TLB)
			return mmu.New(c)
		},
		NewPageTable: func(g vm.Geometry, mem vm.PhysMem, frames vm.FrameAllocator) (vm.PageTable, error) {
			tables++
			r, err := pagetable.NewRadix(g, mem, frames)
			return bareTable{r}, err
		},
		NewPolicy: func(name string, frames int) (vm.Policy, error) {
			policies = append(policies, name)
			return replace.New(name, frames, replace.Options{})
		},
	})
	if len(tlbs) != 2 || tlbs[0] == tlbs[1] {
		t.Fatalf("NewTLB made %d TLBs for 2 CPUs, want 2 distinct", len(tlbs))
	}
	if len(mmuTLBs) != 2 || mmuTLBs[0] != vm.TLB(tlbs[0]) || mmuTLBs[1] != vm.TLB(tlbs[1]) {
		t.Errorf("NewMMU got TLBs %v, want each CPU's own %v", mmuTLBs, tlbs)
	}
	if len(policies) != 1 || policies[0] != "lru" {
		t.Errorf("NewPolicy called for %q, want once for lru", policies)
	}
	pid, err := k.Spawn(Image{Text: "/bin/app"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := k.Fork(pid); err != nil {
		t.Fatal(err)
	}
	if tables != 2 {
		t.Errorf("NewPageTable called %d times for a spawn and a fork, want 2", tables)
	}
	if _, err := k.Read(pid, k.TextBase(), 4); err != nil {
		t.Fatal(err)
	}
	if got := tlbs[0].Stats(); got.Misses == 0 {
		t.Errorf("CPU 0's TLB stats %+v after a read on CPU 0: the MMU did not use it", got)
	}
	mustCheck(t, k, "a read through the plugged parts")
}

// TestTableFramesComeBack runs many short processes on page tables
// without a Free of their own, in a small page-table pool: every table
// frame comes back at exit, or the pool runs dry.
func TestTableFramesComeBack(t *testing.T) {
	k := newKernel(t, Config{Frames: 8, TableFrames: 8,
		NewPageTable: func(g vm.Geometry, mem vm.PhysMem, frames vm.FrameAllocator) (vm.PageTable, error) {
			r, err := pagetable.NewRadix(g, mem, frames)
			return bareTable{r}, err
		}})
	for i := range 20 {
		pid, err := k.Spawn(Image{Text: "/bin/app"})
		if err != nil {
			t.Fatalf("spawn %d: %v", i, err)
		}
		if err := k.Write(pid, k.StackTop()-8, []byte("x")); err != nil {
			t.Fatalf("write in spawn %d: %v", i, err)
		}
		mustCheck(t, k, "a write")
		if err := k.Exit(pid); err != nil {
			t.Fatal(err)
		}
	}
}

// TestCheckPeeksATLBWithoutEntries makes a TLB that lists no entries keep
// a stale writable translation (its FlushPage does nothing): Check finds
// it by peeking at every present mapping.
func TestCheckPeeksATLBWithoutEntries(t *testing.T) {
	var b *bareTLB
	k := newKernel(t, Config{Frames: 8,
		NewTLB: func(c vm.TLBConfig) (vm.TLB, error) {
			t, err := tlb.New(c)
			b = &bareTLB{TLB: t, noFlushPage: true}
			return b, err
		}})
	pid, _ := k.Spawn(Image{Text: "/bin/app"})
	va, err := k.Mmap(pid, MmapArgs{Length: 4096, Perm: vm.PermRW})
	if err != nil {
		t.Fatal(err)
	}
	if err := k.Write(pid, va, []byte("x")); err != nil {
		t.Fatal(err)
	}
	mustCheck(t, k, "a write")
	if err := k.Mprotect(pid, va, 4096, vm.PermRead); err != nil {
		t.Fatal(err)
	}
	err = k.Check()
	if err == nil || !strings.Contains(err.Error(), "grants more than") {
		t.Fatalf("Check() after mprotect with a TLB that kept the writable entry = %v, want a TLB entry that grants more than its PTE", err)
	}
}

// TestPartConstructorErrors: a constructor's error, or a nil part without
// one, fails New with an error saying which.
func TestPartConstructorErrors(t *testing.T) {
	boom := errors.New("boom")
	for _, tt := range []struct {
		name string
		cfg  Config
		want error
	}{
		{"TLB error", Config{Frames: 4, NewTLB: func(vm.TLBConfig) (vm.TLB, error) { return nil, boom }}, boom},
		{"nil TLB", Config{Frames: 4, NewTLB: func(vm.TLBConfig) (vm.TLB, error) { return nil, nil }}, vm.ErrInvalidConfig},
		{"nil MMU", Config{Frames: 4, NewMMU: func(vm.MMUConfig) (vm.MMU, error) { return nil, nil }}, vm.ErrInvalidConfig},
		{"policy error", Config{Frames: 4, NewPolicy: func(string, int) (vm.Policy, error) { return nil, boom }}, boom},
		{"nil policy", Config{Frames: 4, NewPolicy: func(string, int) (vm.Policy, error) { return nil, nil }}, vm.ErrInvalidConfig},
	} {
		if _, err := New(tt.cfg); !errors.Is(err, tt.want) {
			t.Errorf("%s: New = %v, want an error wrapping %v", tt.name, err, tt.want)
		}
	}
	k := newKernel(t, Config{Frames: 4,
		NewPageTable: func(vm.Geometry, vm.PhysMem, vm.FrameAllocator) (vm.PageTable, error) { return nil, nil }})
	if _, err := k.Spawn(Image{}); !errors.Is(err, vm.ErrInvalidConfig) {
		t.Errorf("Spawn with a NewPageTable returning nil, nil = %v, want an error wrapping %v", err, vm.ErrInvalidConfig)
	}
}

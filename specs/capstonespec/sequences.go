package capstonespec

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/vmkata/vmkata/reference/kernel"
	"github.com/vmkata/vmkata/reference/kernel/parts"
	"github.com/vmkata/vmkata/vm"
)

// A sequence runs the same operations on two kernels of the same
// configuration, one with the parts under test plugged in and the
// reference, and requires after each step the same outcome (a value, a
// signal, an errno), the same counters, and every invariant (Check) of the
// kernel under test.

// sequence is one seeded operation sequence and the machine it runs on.
type sequence struct {
	seed  uint64
	steps int
	cfg   kernel.Config
}

// sequences are the fixed sequences: memory pressure (frames for a few
// pages, some swap) in each, so that eviction, swap-in and copy-on-write
// happen; the second on 32-bit paging, the third on two CPUs with PCIDs.
var sequences = []sequence{
	{1, 100, kernel.Config{Frames: 8, SwapSlots: 32}},
	{2, 100, kernel.Config{Frames: 8, SwapSlots: 32, Geometry: vm.X86_32, Policy: "lru"}},
	{3, 100, kernel.Config{Frames: 8, SwapSlots: 32, CPUs: 2, PCID: true, Policy: "fifo"}},
}

// String names the sequence for spec names and failures.
func (s sequence) String() string {
	g := s.cfg.Geometry
	if g.Levels == 0 {
		g = vm.X86_64
	}
	cpus, policy := max(s.cfg.CPUs, 1), s.cfg.Policy
	if policy == "" {
		policy = "clock"
	}
	return fmt.Sprintf("seed %d: %d steps, %s, %d CPU(s), %d frames, %d swap slots, %s", s.seed, s.steps, g.Name, cpus, s.cfg.Frames, s.cfg.SwapSlots, policy)
}

// twin is the pair of kernels and what the sequence knows of their
// processes (the same on both, or the step that made them differ fails).
type twin struct {
	got, want *kernel.Kernel
	pids      []int
	maps      map[int][]vm.AddrRange // per pid: the ranges mmap returned
	trail     []string
}

// run runs s with plug on the kernel under test, and returns the first
// difference or broken invariant, with the steps that led to it. With
// ownBits (the policy part plugged in) the reference kernel's policies
// keep their own reference bits too (see parts.OwnBits).
func (s sequence) run(plug func(*kernel.Config) error, ownBits bool) error {
	cfg := s.cfg
	if err := plug(&cfg); err != nil {
		return fmt.Errorf("plugging your parts in: %w", err)
	}
	got, err := kernel.New(cfg)
	if err != nil {
		return fmt.Errorf("kernel.New with your parts: %w", err)
	}
	ref := s.cfg
	if ownBits {
		ref.NewPolicy = parts.OwnBits(ref.PolicyOptions)
	}
	want, err := kernel.New(ref)
	if err != nil {
		panic(fmt.Sprintf("capstonespec: reference kernel: %v", err))
	}
	t := &twin{got: got, want: want, maps: map[int][]vm.AddrRange{}}
	rng := rand.New(rand.NewPCG(s.seed, 20))
	for i := range s.steps {
		if err := t.step(rng, i); err != nil {
			return fmt.Errorf("%s, step %d: %w\nthe steps so far:\n  %s", s, i+1, err, strings.Join(t.trail, "\n  "))
		}
	}
	return nil
}

// step draws one operation, runs it on both kernels and compares.
func (t *twin) step(rng *rand.Rand, i int) error {
	o := t.draw(rng, i)
	t.trail = append(t.trail, o.name)
	g, gerr := o.do(t.got)
	w, werr := o.do(t.want)
	if og, ow := outcome(g, gerr), outcome(w, werr); og != ow {
		return fmt.Errorf("%s = %s, the reference kernel's %s", o.name, og, ow)
	}
	if gs, ws := t.got.Stats(), t.want.Stats(); gs != ws {
		return fmt.Errorf("after %s the counters differ:\n  yours      %v\n  reference  %v", o.name, gs, ws)
	}
	if err := t.got.Check(); err != nil {
		return fmt.Errorf("after %s the kernel breaks an invariant: %w", o.name, err)
	}
	if werr == nil && o.then != nil {
		o.then(w)
	}
	t.pids = t.want.Pids()
	return nil
}

// op is one operation: what it is, how to run it on a kernel (its result,
// a pid, an address or bytes, and error), and what the sequence records
// of a success.
type op struct {
	name string
	do   func(k *kernel.Kernel) (any, error)
	then func(res any)
}

// draw picks the next operation from the state both kernels share.
func (t *twin) draw(rng *rand.Rand, i int) op {
	ps := uint64(t.want.PageSize())
	if len(t.pids) == 0 || len(t.pids) < 3 && rng.IntN(8) == 0 {
		return op{"spawn", func(k *kernel.Kernel) (any, error) { return k.Spawn(kernel.Image{Name: "p", Stack: 2 * ps}) }, nil}
	}
	pid := t.pids[rng.IntN(len(t.pids))]
	ranges := t.maps[pid]
	pick := func() vm.VAddr {
		r := ranges[rng.IntN(len(ranges))]
		return r.Start + vm.VAddr(rng.Uint64N(uint64(r.End-r.Start)/ps)*ps)
	}
	switch c := rng.IntN(20); {
	case c == 0 && len(t.pids) < 4:
		return op{fmt.Sprintf("fork(%d)", pid), func(k *kernel.Kernel) (any, error) { return k.Fork(pid) },
			func(res any) { t.maps[res.(int)] = slices.Clone(ranges) }}
	case c == 1 && len(t.pids) > 1:
		return op{fmt.Sprintf("exit(%d)", pid), func(k *kernel.Kernel) (any, error) { return nil, k.Exit(pid) }, nil}
	case c <= 4 || len(ranges) == 0:
		a := kernel.MmapArgs{Length: (1 + rng.Uint64N(6)) * ps, Perm: vm.PermRW, Shared: rng.IntN(4) == 0}
		if rng.IntN(4) == 0 {
			a.Perm = vm.PermRead
		}
		return op{fmt.Sprintf("pid %d: %v", pid, a), func(k *kernel.Kernel) (any, error) { return k.Mmap(pid, a) },
			func(res any) {
				va := res.(vm.VAddr)
				t.maps[pid] = append(t.maps[pid], vm.AddrRange{Start: va, End: va + vm.VAddr(a.Length)})
			}}
	case c == 5:
		va := pick()
		return op{fmt.Sprintf("pid %d: munmap(%v, %#x)", pid, va, ps), func(k *kernel.Kernel) (any, error) { return nil, k.Munmap(pid, va, ps) }, nil}
	case c == 6:
		va, perm := pick(), []vm.Perm{vm.PermRead, vm.PermRW}[rng.IntN(2)]
		return op{fmt.Sprintf("pid %d: mprotect(%v, %#x, %v)", pid, va, ps, perm), func(k *kernel.Kernel) (any, error) {
			return nil, k.Mprotect(pid, va, ps, perm)
		}, nil}
	case c == 7:
		incr := (rng.Int64N(5) - 1) * int64(ps)
		return op{fmt.Sprintf("pid %d: sbrk(%d)", pid, incr), func(k *kernel.Kernel) (any, error) { return k.Sbrk(pid, incr) }, nil}
	case c <= 13:
		va := pick() + vm.VAddr(rng.Uint64N(ps-8))
		data := []byte(fmt.Sprintf("%08d", i))
		return op{fmt.Sprintf("pid %d: write(%v, %q)", pid, va, data), func(k *kernel.Kernel) (any, error) { return nil, k.Write(pid, va, data) }, nil}
	case c == 14 && t.want.CPUs() > 1:
		cpu := rng.IntN(t.want.CPUs())
		return op{fmt.Sprintf("switch(cpu %d, pid %d)", cpu, pid), func(k *kernel.Kernel) (any, error) { return nil, k.Switch(cpu, pid) }, nil}
	default:
		va := pick() + vm.VAddr(rng.Uint64N(ps-8))
		return op{fmt.Sprintf("pid %d: read(%v, 8)", pid, va), func(k *kernel.Kernel) (any, error) { return k.Read(pid, va, 8) }, nil}
	}
}

// outcome prints a step's result for comparison: the value, or what the
// error means to a program (the signal and its code, or the errno), never
// the wording of a message.
func outcome(res any, err error) string {
	if err == nil {
		switch v := res.(type) {
		case nil:
			return "ok"
		case []byte:
			return fmt.Sprintf("%q", v)
		default:
			return fmt.Sprintf("%v", v)
		}
	}
	var sig *kernel.SignalError
	switch {
	case errors.As(err, &sig):
		return fmt.Sprintf("%v (%v)", sig.Signal, sig.Code)
	case errors.Is(err, kernel.ErrNoProcess):
		return "ESRCH"
	case errors.Is(err, kernel.ErrNoMemory):
		return "ENOMEM"
	case errors.Is(err, kernel.ErrInvalid):
		return "EINVAL"
	}
	return fmt.Sprintf("the error %q", err)
}

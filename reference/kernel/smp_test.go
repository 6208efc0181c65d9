package kernel

import (
	"strings"
	"testing"

	"github.com/vmkata/vmkata/reference/shootdown"
	"github.com/vmkata/vmkata/vm"
)

// lazyStage is a process that ran on cpu1 and cached 5 pages there, then
// went on running on cpu0 while cpu1 ran another process: with PCIDs cpu1
// caches it without running it.
func lazyStage(t *testing.T, cfg Config) (k *Kernel, pid, other int, va vm.VAddr) {
	t.Helper()
	cfg.Frames, cfg.CPUs, cfg.PCID = 32, 2, true
	k = newKernel(t, cfg)
	pid, other = spawn(t, k), spawn(t, k)
	va, err := k.Mmap(pid, MmapArgs{Length: 5 * 4096, Perm: vm.PermRW})
	if err != nil {
		t.Fatal(err)
	}
	for _, step := range []error{k.Switch(0, other), k.Switch(1, pid), k.Write(pid, va, make([]byte, 5*4096)), k.Switch(1, other), k.Switch(0, pid)} {
		if step != nil {
			t.Fatal(step)
		}
	}
	return k, pid, other, va
}

func TestShootdownLazyVersusEager(t *testing.T) {
	for _, tt := range []struct {
		name           string
		fn             func(vm.ShootdownRequest) (vm.ShootdownPlan, error)
		ipis, deferred uint64
	}{
		{"lazy", shootdown.Shootdown, 0, 1},
		{"eager", shootdown.Eager, 1, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			k, pid, _, va := lazyStage(t, Config{Shootdown: tt.fn})
			before := k.Stats()
			if err := k.Munmap(pid, va, 5*4096); err != nil {
				t.Fatal(err)
			}
			s := k.Stats()
			if got := s.Shootdowns - before.Shootdowns; got != tt.ipis {
				t.Errorf("munmap of 5 pages cached on cpu1: %d IPIs, want %d", got, tt.ipis)
			}
			if got := s.DeferredFlushes - before.DeferredFlushes; got != tt.deferred {
				t.Errorf("munmap of 5 pages cached on cpu1: %d deferred flushes, want %d", got, tt.deferred)
			}
			if got := s.LocalFlushes - before.LocalFlushes; got != 1 {
				t.Errorf("munmap of 5 pages: %d local flushes, want 1 (one batch)", got)
			}
			mustCheck(t, k, "munmap")
		})
	}
}

func TestSwitchInAfterDeferredFlushIsStale(t *testing.T) {
	var seen []vm.SwitchState
	k, pid, other, va := lazyStage(t, Config{Switcher: func(s vm.SwitchState) (vm.SwitchPlan, error) {
		seen = append(seen, s)
		return vm.SwitchPlan{Load: s.Prev != s.Next, PCID: s.ASID, UserPCID: s.ASID, NoFlush: !s.Stale}, nil
	}})
	if err := k.Mprotect(pid, va, 4096, vm.PermRead); err != nil {
		t.Fatal(err)
	}
	seen = nil
	if err := k.Switch(0, other); err != nil {
		t.Fatal(err)
	}
	if err := k.Switch(1, pid); err != nil {
		t.Fatal(err)
	}
	if len(seen) != 2 || seen[0].Stale || !seen[1].Stale {
		t.Fatalf("switches after a deferred flush on cpu1: %v, want cpu0's not stale and cpu1's stale", seen)
	}
	mustCheck(t, k, "switch-in")
}

func TestShootdownErrorsAreReportedAndFlushed(t *testing.T) {
	for _, tt := range []struct {
		name string
		fn   func(vm.ShootdownRequest) (vm.ShootdownPlan, error)
		want string
	}{
		{"error", func(vm.ShootdownRequest) (vm.ShootdownPlan, error) {
			return vm.ShootdownPlan{}, vm.ErrInvalidConfig
		}, "invalid configuration"},
		{"no such cpu", func(vm.ShootdownRequest) (vm.ShootdownPlan, error) {
			return vm.ShootdownPlan{Flushes: []vm.CPUFlush{{CPU: 5, Kind: vm.FlushAll}}}, nil
		}, "names cpu5 of 2"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			k, pid, _, va := lazyStage(t, Config{Shootdown: tt.fn})
			if err := k.Munmap(pid, va, 4096); err != nil {
				t.Fatal(err)
			}
			err := k.Check()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Check() after a bad shootdown = %v, want it to report %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "stale") {
				t.Fatalf("Check() after a bad shootdown = %v: the safe flush should have left no stale entry", err)
			}
		})
	}
}

func TestDeferredFlushOnRunningCPUIsReported(t *testing.T) {
	k := newKernel(t, Config{Frames: 32, CPUs: 2, PCID: true, Shootdown: func(r vm.ShootdownRequest) (vm.ShootdownPlan, error) {
		var p vm.ShootdownPlan
		for c := range r.CPUs {
			if r.Cached.Has(c) {
				p.Flushes = append(p.Flushes, vm.CPUFlush{CPU: c, Kind: vm.FlushDeferred})
			}
		}
		return p, nil
	}})
	pid := spawn(t, k)
	va, err := k.Mmap(pid, MmapArgs{Length: 4096, Perm: vm.PermRW})
	if err != nil {
		t.Fatal(err)
	}
	if err := k.Write(pid, va, []byte{1}); err != nil {
		t.Fatal(err)
	}
	if err := k.Mprotect(pid, va, 4096, vm.PermRead); err != nil {
		t.Fatal(err)
	}
	if err := k.Check(); err == nil || !strings.Contains(err.Error(), "cpu0: TLB entry") {
		t.Fatalf("Check() with a deferred flush on the CPU running the process = %v, want the writable entry reported", err)
	}
}

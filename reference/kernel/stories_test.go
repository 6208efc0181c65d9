package kernel

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/vmkata/vmkata/vm"
)

func TestMmapSharedVersusPrivate(t *testing.T) {
	for _, shared := range []bool{true, false} {
		t.Run(fmt.Sprintf("shared=%v", shared), func(t *testing.T) {
			k := newKernel(t, Config{Frames: 16, Files: map[string][]byte{"/bin/app": {1}, "/data": {2}, "/db": []byte("AAAABBBB")}})
			a, b := spawn(t, k), spawn(t, k)
			args := MmapArgs{Length: 8, Perm: vm.PermRW, Shared: shared, File: "/db"}
			va, err := k.Mmap(a, args)
			if err != nil {
				t.Fatalf("Mmap(%v) = %v", args, err)
			}
			vb, err := k.Mmap(b, args)
			if err != nil {
				t.Fatalf("Mmap(%v) = %v", args, err)
			}
			if _, err := k.Read(b, vb, 4); err != nil { // b maps the page-cache page first
				t.Fatal(err)
			}
			if err := k.Write(a, va, []byte("ZZ")); err != nil {
				t.Fatal(err)
			}
			mustCheck(t, k, "write")
			gotB, _ := k.Read(b, vb, 4)
			wantB := "AAAA"
			if shared {
				wantB = "ZZAA"
			}
			if string(gotB) != wantB {
				t.Fatalf("after a's write, b reads %q, want %q", gotB, wantB)
			}
			k.Sync()
			file, _ := k.ReadFile("/db")
			wantFile := "AAAABBBB"
			if shared {
				wantFile = "ZZAABBBB"
			}
			if string(file) != wantFile {
				t.Fatalf("after Sync the file holds %q, want %q", file, wantFile)
			}
			if s := k.Stats(); s.FileReads != 1 {
				t.Fatalf("FileReads = %d, want 1 (the page cache is shared)", s.FileReads)
			}
		})
	}
}

func TestSigbusPastEndOfFile(t *testing.T) {
	k := newKernel(t, Config{Frames: 8, Files: map[string][]byte{"/bin/app": {1}, "/data": {2}, "/small": []byte("x")}})
	pid := spawn(t, k)
	va, err := k.Mmap(pid, MmapArgs{Length: 2 * 4096, Perm: vm.PermRead, File: "/small"})
	if err != nil {
		t.Fatal(err)
	}
	if got, err := k.Read(pid, va+100, 1); err != nil || got[0] != 0 {
		t.Fatalf("Read past EOF within the last page = %v, %v, want a zero byte", got, err)
	}
	_, err = k.Read(pid, va+4096, 1)
	if !errors.Is(err, ErrBus) {
		t.Fatalf("Read of a page past EOF = %v, want SIGBUS", err)
	}
	mustCheck(t, k, "sigbus")
}

func TestThrashingSwapsAndKeepsData(t *testing.T) {
	k := newKernel(t, Config{Frames: 4, SwapSlots: 32, Policy: "lru"})
	pid := spawn(t, k)
	heap, _ := k.HeapStart(pid)
	_, _ = k.Brk(pid, heap+16*4096)
	for round := range 3 {
		for i := range 16 {
			va := heap + vm.VAddr(i*4096)
			if round == 0 {
				if err := k.Write(pid, va, []byte{byte(i)}); err != nil {
					t.Fatal(err)
				}
				continue
			}
			got, err := k.Read(pid, va, 1)
			if err != nil || got[0] != byte(i) {
				t.Fatalf("round %d: Read(%v) = %v, %v, want %d", round, va, got, err, i)
			}
		}
	}
	mustCheck(t, k, "thrashing")
	s := k.Stats()
	if s.SwapOuts < 12 || s.SwapIns < 24 || s.MajorFaults < 24 {
		t.Fatalf("a 16-page loop in 4 frames under LRU: %v, want every read a major fault", s)
	}
}

func TestShootdownAndPCID(t *testing.T) {
	for _, pcid := range []bool{false, true} {
		t.Run(fmt.Sprintf("pcid=%v", pcid), func(t *testing.T) {
			k := newKernel(t, Config{Frames: 16, CPUs: 2, PCID: pcid})
			pid := spawn(t, k)
			other := spawn(t, k)
			va, _ := k.Mmap(pid, MmapArgs{Length: 4096, Perm: vm.PermRW})
			_ = k.Switch(1, pid)
			if err := k.Write(pid, va, []byte{1}); err != nil { // cached on cpu1
				t.Fatal(err)
			}
			_ = k.Switch(0, pid) // the same process also on cpu0
			before := k.Stats().Shootdowns
			if err := k.Munmap(pid, va, 4096); err != nil { // runs on cpu0: cpu1 needs an IPI
				t.Fatal(err)
			}
			if got := k.Stats().Shootdowns - before; got != 1 {
				t.Fatalf("munmap with the process on two CPUs: %d shootdowns, want 1", got)
			}
			mustCheck(t, k, "munmap")
			// Switching cpu1 to another process and back: with PCIDs the
			// entries survive (no refill), without they are flushed.
			_ = k.Switch(0, other) // now pid runs on cpu1 alone
			_ = k.Write(pid, k.StackTop()-8, []byte{1})
			_ = k.Switch(1, other)
			_ = k.Switch(1, pid)
			st0, _ := k.TLBStats(1)
			_, _ = k.Read(pid, k.StackTop()-8, 1)
			st1, _ := k.TLBStats(1)
			hit := st1.Hits > st0.Hits
			if hit != pcid {
				t.Fatalf("after switching away and back, TLB hit = %v, want %v (PCID %v)", hit, pcid, pcid)
			}
			mustCheck(t, k, "switches")
		})
	}
}

func TestOOMKillerKeepsKernelRunning(t *testing.T) {
	k := newKernel(t, Config{Frames: 4, SwapSlots: 2, Overcommit: OvercommitAlways})
	big, small := spawn(t, k), spawn(t, k)
	heap, _ := k.HeapStart(big)
	_, _ = k.Brk(big, heap+16*4096)
	var err error
	for i := 0; i < 16 && err == nil; i++ {
		err = k.Write(big, heap+vm.VAddr(i*4096), []byte{1})
	}
	if !errors.Is(err, ErrOOM) {
		t.Fatalf("filling 16 pages into 4 frames + 2 slots: %v, want the OOM killer to kill the writer", err)
	}
	if err := k.Write(small, k.StackTop()-8, []byte{1}); err != nil {
		t.Fatalf("the other process after the OOM kill: %v", err)
	}
	mustCheck(t, k, "oom")
	if s := k.Stats(); s.OOMKills != 1 {
		t.Fatalf("OOMKills = %d, want 1", s.OOMKills)
	}
}

func TestEventsTellTheStory(t *testing.T) {
	var log []string
	k := newKernel(t, Config{Frames: 8, Observer: func(e Event) { log = append(log, string(e.Type)) }})
	pid := spawn(t, k)
	heap, _ := k.HeapStart(pid)
	_, _ = k.Brk(pid, heap+4096)
	_, _ = k.Read(pid, heap, 1)
	_ = k.Write(pid, heap, []byte{1})
	got := strings.Join(log, " ")
	want := "exec spawn switch brk fault zero_page map fault unmap cow_copy map"
	if !strings.HasPrefix(got, want) {
		t.Fatalf("events = %q, want them to start %q", got, want)
	}
}

func TestAccessAllocatesNothing(t *testing.T) {
	k := newKernel(t, Config{Frames: 8})
	pid := spawn(t, k)
	va := k.StackTop() - 8
	buf := []byte{1, 2, 3}
	_ = k.Write(pid, va, buf)
	allocs := testing.AllocsPerRun(100, func() { _ = k.Write(pid, va, buf) })
	if allocs != 0 {
		t.Fatalf("Write to a resident page: %v allocations, want 0", allocs)
	}
}

// The policy hears of each reference once: a page a fault brought in is
// not reported again by the access the fault restarts. ARC keeps a page
// heard of once in its recency list, so a one-time scan passes through
// without displacing the pages used twice; were the restarted access
// counted as a second reference, the scan would push the hot pages out.
func TestThePolicyHearsOfEachReferenceOnce(t *testing.T) {
	k := newKernel(t, Config{Frames: 6, SwapSlots: 64, Policy: "arc"})
	pid := spawn(t, k)
	heap, _ := k.HeapStart(pid)
	_, _ = k.Brk(pid, heap+32*4096)
	page := func(i int) vm.VAddr { return heap + vm.VAddr(i*4096) }
	touch := func(i int) {
		t.Helper()
		if err := k.Write(pid, page(i), []byte{byte(i)}); err != nil {
			t.Fatal(err)
		}
	}
	for _, hot := range []int{0, 1} { // used twice: frequent
		touch(hot)
		touch(hot)
	}
	for i := 2; i < 24; i++ { // a scan: each page once
		touch(i)
	}
	before := k.Stats().Faults
	touch(0)
	touch(1)
	if got := k.Stats().Faults - before; got != 0 {
		t.Fatalf("after a one-time scan, the two pages used twice faulted %d times, want 0 (stats %v)", got, k.Stats())
	}
	mustCheck(t, k, "arc scan")
}

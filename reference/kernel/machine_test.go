package kernel

import (
	"errors"
	"maps"
	"slices"
	"testing"

	"github.com/vmkata/vmkata/vm"
	"pgregory.net/rapid"
)

// modelProc is what a process should see: the bytes it wrote (everything
// else in its regions reads as zero) and its private anonymous regions.
type modelProc struct {
	mem     map[vm.VAddr]byte
	regions []vm.AddrRange // mmaps and the heap [heapStart, brk)
	heap    vm.VAddr
	brk     vm.VAddr
}

func (m *modelProc) clone() *modelProc {
	return &modelProc{mem: maps.Clone(m.mem), regions: slices.Clone(m.regions), heap: m.heap, brk: m.brk}
}

func (m *modelProc) all() []vm.AddrRange {
	out := slices.Clone(m.regions)
	if m.brk > m.heap {
		out = append(out, vm.AddrRange{Start: m.heap, End: m.brk})
	}
	return out
}

func (m *modelProc) forget(r vm.AddrRange) {
	for va := range m.mem {
		if r.Contains(va) {
			delete(m.mem, va)
		}
	}
}

type machine struct {
	k     *Kernel
	procs map[int]*modelProc
}

const page = 4096

func (s *machine) spawn(t *rapid.T) {
	pid, err := s.k.Spawn(Image{Text: "/bin/app", BSS: page})
	t.Logf("Spawn() = %d, %v", pid, err)
	if err != nil {
		t.Fatal(err)
	}
	heap, _ := s.k.HeapStart(pid)
	if _, err := s.k.Brk(pid, heap+page); err != nil {
		t.Fatalf("Brk(%d, %v) = %v", pid, heap+page, err)
	}
	t.Logf("Brk(%d, %v)", pid, heap+page)
	s.procs[pid] = &modelProc{mem: map[vm.VAddr]byte{}, heap: heap, brk: heap + page}
}

// pid draws a live process, spawning one if there is none.
func (s *machine) pid(t *rapid.T) int {
	if len(s.procs) == 0 {
		s.spawn(t)
	}
	return rapid.SampledFrom(slices.Sorted(maps.Keys(s.procs))).Draw(t, "pid")
}

// settle drops from the model the processes the kernel killed (OOM).
func (s *machine) settle(t *rapid.T) {
	for pid := range s.procs {
		if _, err := s.k.RSS(pid); err != nil {
			if !errors.Is(err, ErrOOM) {
				t.Fatalf("pid %d gone with %v, want only OOM kills", pid, err)
			}
			t.Logf("  pid %d was OOM-killed", pid)
			delete(s.procs, pid)
		}
	}
}

// tolerate accepts an error only if it is the OOM killer's doing.
func (s *machine) tolerate(t *rapid.T, what string, err error) bool {
	if err == nil {
		return true
	}
	if errors.Is(err, ErrOOM) || errors.Is(err, ErrNoMemory) {
		t.Logf("  %s: %v", what, err)
		s.settle(t)
		return false
	}
	t.Fatalf("%s = %v", what, err)
	return false
}

func (s *machine) addr(t *rapid.T, m *modelProc) vm.VAddr {
	rs := m.all()
	if len(rs) == 0 {
		t.Skip("no region")
	}
	r := rapid.SampledFrom(rs).Draw(t, "region")
	off := rapid.Uint64Range(0, r.Len()-1).Draw(t, "offset")
	return r.Start + vm.VAddr(off)
}

// frames is the machine's memory: small, so that the opening (pressure)
// and the random actions keep it full.
const frames = 8

// pressure is every run's opening, before the random actions: a process
// writes more pages than memory holds (so the policy evicts, and dirty
// victims go to swap), forks, the child writes the last page written (a
// copy-on-write copy of a page surely resident), and the parent reads every
// page back (swap-ins). Without swap the process writes only half of
// memory (anonymous pages cannot be evicted) and the swap checks are
// skipped. It fails unless the counters show each of those happened, so
// the machine's random actions always start under memory pressure.
func (s *machine) pressure(t *rapid.T, slots int) {
	s.spawn(t)
	pid := slices.Sorted(maps.Keys(s.procs))[0]
	m := s.procs[pid]
	n := frames + 4
	if slots == 0 {
		n = frames / 2
	}
	va, err := s.k.Mmap(pid, MmapArgs{Length: uint64(n * page), Perm: vm.PermRW})
	t.Logf("Mmap(%d, %d pages) = %v, %v", pid, n, va, err)
	if err != nil {
		t.Fatal(err)
	}
	m.regions = append(m.regions, vm.AddrRange{Start: va, End: va + vm.VAddr(n*page)})
	for i := range n {
		at := va + vm.VAddr(i*page+i)
		if err := s.k.Write(pid, at, []byte{byte(i + 1)}); err != nil {
			t.Fatalf("Write(%d, %v) = %v", pid, at, err)
		}
		m.mem[at] = byte(i + 1)
	}
	child, err := s.k.Fork(pid)
	t.Logf("Write(%d, each of %d pages); Fork(%d) = %d, %v", pid, n, pid, child, err)
	if err != nil {
		t.Fatal(err)
	}
	s.procs[child] = m.clone()
	last := va + vm.VAddr((n-1)*page+n-1)
	if err := s.k.Write(child, last, []byte{0xC0}); err != nil {
		t.Fatalf("Write(%d, %v) = %v", child, last, err)
	}
	s.procs[child].mem[last] = 0xC0
	for i := range n {
		at := va + vm.VAddr(i*page+i)
		got, err := s.k.Read(pid, at, 1)
		if err != nil || got[0] != byte(i+1) {
			t.Fatalf("Read(%d, %v) = %x, %v; want %#x", pid, at, got, err, i+1)
		}
	}
	st := s.k.Stats()
	t.Logf("Write(%d, %v); Read(%d, each page): %v", child, last, pid, st)
	if st.COWCopies == 0 || (slots > 0 && (st.Evictions == 0 || st.SwapOuts == 0 || st.SwapIns == 0)) {
		t.Fatalf("the opening did not reach copy-on-write, eviction, swap-out and swap-in (swap slots %d): %v", slots, st)
	}
}

func TestKernelStateMachine(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		cpus := rapid.IntRange(1, 3).Draw(t, "cpus")
		pcid := rapid.Bool().Draw(t, "pcid")
		policy := rapid.SampledFrom([]string{"clock", "lru", "fifo", "second-chance", "enhanced-clock", "aging"}).Draw(t, "policy")
		slots := rapid.SampledFrom([]int{16, 8, 0}).Draw(t, "swap slots")
		k, err := New(Config{Frames: frames, SwapSlots: slots, CPUs: cpus, PCID: pcid, Policy: policy,
			TLB: vm.TLBConfig{Entries: 8, Ways: 2}, Files: map[string][]byte{"/bin/app": make([]byte, 100)}})
		if err != nil {
			t.Fatal(err)
		}
		s := &machine{k: k, procs: map[int]*modelProc{}}
		s.pressure(t, slots)
		t.Repeat(map[string]func(*rapid.T){
			"spawn": func(t *rapid.T) {
				if len(s.procs) >= 4 {
					t.Skip("enough processes")
				}
				s.spawn(t)
			},
			"fork": func(t *rapid.T) {
				if len(s.procs) >= 4 {
					t.Skip("enough processes")
				}
				pid := s.pid(t)
				child, err := k.Fork(pid)
				t.Logf("Fork(%d) = %d, %v", pid, child, err)
				if s.tolerate(t, "Fork", err) {
					s.procs[child] = s.procs[pid].clone()
				}
			},
			"write": func(t *rapid.T) {
				pid := s.pid(t)
				m := s.procs[pid]
				va := s.addr(t, m)
				b := rapid.Byte().Draw(t, "byte")
				err := k.Write(pid, va, []byte{b})
				t.Logf("Write(%d, %v, %#x) = %v", pid, va, b, err)
				if s.tolerate(t, "Write", err) {
					m.mem[va] = b
				}
			},
			"fill": func(t *rapid.T) {
				pid := s.pid(t)
				m := s.procs[pid]
				r := rapid.SampledFrom(m.all()).Draw(t, "region")
				b := rapid.Byte().Draw(t, "byte")
				t.Logf("Fill(%d, %v, %#x): one write per page", pid, r, b)
				for va := r.Start; va < r.End; va += page {
					err := k.Write(pid, va+7, []byte{b})
					if !s.tolerate(t, "Write", err) {
						return
					}
					m.mem[va+7] = b
				}
			},
			"check": func(t *rapid.T) {
				pid := s.pid(t)
				m := s.procs[pid]
				for _, va := range slices.Sorted(maps.Keys(m.mem)) {
					got, err := k.Read(pid, va, 1)
					if !s.tolerate(t, "Read", err) {
						return
					}
					if got[0] != m.mem[va] {
						t.Fatalf("Read(%d, %v) = %#x, want %#x", pid, va, got[0], m.mem[va])
					}
				}
				t.Logf("ReadAll(%d): %d bytes as written", pid, len(m.mem))
			},
			"read": func(t *rapid.T) {
				pid := s.pid(t)
				m := s.procs[pid]
				va := s.addr(t, m)
				got, err := k.Read(pid, va, 1)
				t.Logf("Read(%d, %v) = %x, %v", pid, va, got, err)
				if s.tolerate(t, "Read", err) && got[0] != m.mem[va] {
					t.Fatalf("Read(%d, %v) = %#x, want %#x", pid, va, got[0], m.mem[va])
				}
			},
			"mmap": func(t *rapid.T) {
				pid := s.pid(t)
				n := rapid.IntRange(1, 4).Draw(t, "pages")
				va, err := k.Mmap(pid, MmapArgs{Length: uint64(n * page), Perm: vm.PermRW})
				t.Logf("Mmap(%d, %d pages) = %v, %v", pid, n, va, err)
				if s.tolerate(t, "Mmap", err) {
					r := vm.AddrRange{Start: va, End: va + vm.VAddr(n*page)}
					s.procs[pid].regions = append(s.procs[pid].regions, r)
				}
			},
			"munmap": func(t *rapid.T) {
				pid := s.pid(t)
				m := s.procs[pid]
				if len(m.regions) == 0 {
					t.Skip("no mmap")
				}
				i := rapid.IntRange(0, len(m.regions)-1).Draw(t, "region")
				r := m.regions[i]
				err := k.Munmap(pid, r.Start, r.Len())
				t.Logf("Munmap(%d, %v) = %v", pid, r, err)
				if !s.tolerate(t, "Munmap", err) {
					return
				}
				m.regions = slices.Delete(m.regions, i, i+1)
				m.forget(r)
			},
			"mprotect": func(t *rapid.T) {
				pid := s.pid(t)
				m := s.procs[pid]
				if len(m.regions) == 0 {
					t.Skip("no mmap")
				}
				r := rapid.SampledFrom(m.regions).Draw(t, "region")
				perm := rapid.SampledFrom([]vm.Perm{0, vm.PermRead, vm.PermRW}).Draw(t, "perm")
				err := k.Mprotect(pid, r.Start, r.Len(), perm)
				t.Logf("Mprotect(%d, %v, %v) = %v", pid, r, perm, err)
				if !s.tolerate(t, "Mprotect", err) {
					return
				}
				// Restore so that the model's reads and writes stay legal,
				// the pages having gone through the PROT_NONE or read-only state.
				err = k.Mprotect(pid, r.Start, r.Len(), vm.PermRW)
				t.Logf("Mprotect(%d, %v, rw-) = %v", pid, r, err)
				s.tolerate(t, "Mprotect", err)
			},
			"brk": func(t *rapid.T) {
				pid := s.pid(t)
				m := s.procs[pid]
				n := rapid.IntRange(1, 6).Draw(t, "heap pages")
				target := m.heap + vm.VAddr(n*page)
				got, err := k.Brk(pid, target)
				t.Logf("Brk(%d, %v) = %v, %v", pid, target, got, err)
				if !s.tolerate(t, "Brk", err) {
					return
				}
				if target < m.brk {
					m.forget(vm.AddrRange{Start: target, End: m.brk})
				}
				m.brk = target
			},
			"madvise": func(t *rapid.T) {
				pid := s.pid(t)
				m := s.procs[pid]
				if len(m.regions) == 0 {
					t.Skip("no mmap")
				}
				r := rapid.SampledFrom(m.regions).Draw(t, "region")
				adv := rapid.SampledFrom([]Advice{MadvDontNeed, MadvWillNeed}).Draw(t, "advice")
				err := k.Madvise(pid, r.Start, r.Len(), adv)
				t.Logf("Madvise(%d, %v, %v) = %v", pid, r, adv, err)
				if s.tolerate(t, "Madvise", err) && adv == MadvDontNeed {
					m.forget(r)
				}
			},
			"exit": func(t *rapid.T) {
				pid := s.pid(t)
				err := k.Exit(pid)
				t.Logf("Exit(%d) = %v", pid, err)
				if err != nil && !errors.Is(err, ErrOOM) {
					t.Fatal(err)
				}
				delete(s.procs, pid)
			},
			"switch": func(t *rapid.T) {
				pid := s.pid(t)
				c := rapid.IntRange(0, cpus-1).Draw(t, "cpu")
				err := k.Switch(c, pid)
				t.Logf("Switch(cpu%d, %d) = %v", c, pid, err)
				s.tolerate(t, "Switch", err)
			},
			"": func(t *rapid.T) {
				if err := k.Check(); err != nil {
					t.Fatalf("Check: %v", err)
				}
			},
		})
		for pid := range s.procs {
			if err := k.Exit(pid); err != nil && !errors.Is(err, ErrOOM) {
				t.Fatalf("Exit(%d) = %v", pid, err)
			}
		}
		k.DropCaches()
		if err := k.Check(); err != nil {
			t.Fatalf("Check after every exit: %v", err)
		}
		st := k.Stats()
		if st.FreeFrames != frames || st.SwapUsed != 0 || k.tables.FreeFrames() != k.cfg.TableFrames {
			t.Fatalf("after every exit: %v, %d table frames in use; want everything free", st, k.cfg.TableFrames-k.tables.FreeFrames())
		}
	})
}

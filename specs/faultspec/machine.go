package faultspec

import (
	"fmt"
	"slices"
	"strings"

	"pgregory.net/rapid"

	"github.com/vmkata/vmkata/reference/faulthandler"
	"github.com/vmkata/vmkata/reference/kernel"
	"github.com/vmkata/vmkata/vm"
)

// machine runs random operation sequences on two kernels built alike: one
// whose page faults go to the handler under test, one whose go to the
// reference handler. Every op must give the same outcome on both (the same
// bytes read, the same fate: alive, SIGSEGV with its code, SIGBUS), and the
// kernel under test must pass Check after every op.
type machine struct {
	test, ref *kernel.Kernel
	frames    int
	fork      bool // draw fork and exit too (copy-on-write)
	trail     []string
}

// machineConfig is the kernel of the random sequences: 8 frames, so that
// eviction, swap and copy-on-write happen all the time; enough swap that
// memory never runs out; a short stack limit and guard gap, so that drawn
// addresses below the stack test both growth and overflow.
func machineConfig(slots int, policy string) kernel.Config {
	return kernel.Config{Frames: 8, SwapSlots: slots, Policy: policy,
		StackLimit: 6 * page, GuardGap: 2 * page, Files: files()}
}

// pressure is every sequence's opening, before the random actions: the
// first process writes more heap pages than memory holds and reads them
// back, so that every run evicts, swaps out and swaps in, and a handler
// that loses a swapped page fails here, whatever the seed.
func (m *machine) pressure(t *rapid.T) {
	pid := m.ref.Pids()[0]
	heap, err := m.ref.HeapStart(pid)
	if err != nil {
		t.Fatalf("HeapStart(%d) = %v", pid, err)
	}
	n := m.frames + 4
	m.run(t, op{kind: opBrk, pid: pid, n: n})
	for i := range n {
		m.run(t, op{kind: opWrite, pid: pid, va: heap + vm.VAddr(i*page+i), data: []byte{byte(i + 1)}})
	}
	for i := range n {
		m.run(t, op{kind: opRead, pid: pid, va: heap + vm.VAddr(i*page+i), n: 1})
	}
}

// runMachine is the property. With fork it also draws fork and exit.
func runMachine(t *rapid.T, build func() vm.FaultHandler, fork bool) {
	slots := rapid.SampledFrom([]int{128, 96}).Draw(t, "swap slots")
	policy := rapid.SampledFrom([]string{"clock", "lru", "fifo"}).Draw(t, "policy")
	cfg := machineConfig(slots, policy)
	ref, err := kernel.New(withHandler(cfg, faulthandler.New()))
	if err != nil {
		t.Fatalf("kernel.New(reference handler) = %v", err)
	}
	tr := &trouble{} // the frames NewPage hands the handler under test hold garbage
	test, err := kernel.New(withHandler(cfg, troubled{build(), tr}))
	if err != nil {
		t.Fatalf("kernel.New(handler under test) = %v", err)
	}
	tr.mem = test.Memory()
	m := &machine{test: test, ref: ref, frames: cfg.Frames, fork: fork}
	t.Logf("kernel.New(Frames: 8, SwapSlots: %d, Policy: %s, StackLimit: 6 pages, GuardGap: 2 pages)", slots, policy)
	m.run(t, op{kind: opSpawn})
	m.pressure(t)

	actions := map[string]func(*rapid.T){
		"spawn": func(t *rapid.T) {
			if len(m.ref.Pids()) >= 3 {
				t.Skip("enough processes")
			}
			m.run(t, op{kind: opSpawn})
		},
		"read": func(t *rapid.T) {
			pid := m.pid(t)
			m.run(t, op{kind: opRead, pid: pid, va: m.addr(t, pid), n: rapid.IntRange(1, 8).Draw(t, "bytes")})
		},
		"write": func(t *rapid.T) {
			pid := m.pid(t)
			data := rapid.SliceOfN(rapid.Byte(), 1, 4).Draw(t, "data")
			m.run(t, op{kind: opWrite, pid: pid, va: m.addr(t, pid), data: data})
		},
		"fill": func(t *rapid.T) {
			// One write per page of a VMA: memory pressure, so that pages
			// are evicted to swap and read back.
			pid := m.pid(t)
			v := rapid.SampledFrom(m.vmas(pid, vm.RoleNone)).Draw(t, "vma")
			b := rapid.Byte().Draw(t, "byte")
			for va := v.Range.Start; va < v.Range.End; va += page {
				if m.run(t, op{kind: opWrite, pid: pid, va: va + 9, data: []byte{b}}).fate != "ok" {
					return
				}
			}
		},
		"sweep": func(t *rapid.T) {
			// One read per page of a VMA.
			pid := m.pid(t)
			v := rapid.SampledFrom(m.vmas(pid, vm.RoleNone)).Draw(t, "vma")
			for va := v.Range.Start; va < v.Range.End; va += page {
				if m.run(t, op{kind: opRead, pid: pid, va: va + 8, n: 2}).fate != "ok" {
					return
				}
			}
		},
		"fetch": func(t *rapid.T) {
			pid := m.pid(t)
			va := m.ref.TextBase() + vm.VAddr(rapid.IntRange(0, len(appText)-1).Draw(t, "offset"))
			if rapid.IntRange(0, 3).Draw(t, "elsewhere") == 0 {
				va = m.addr(t, pid)
			}
			m.run(t, op{kind: opFetch, pid: pid, va: va, n: rapid.IntRange(1, 4).Draw(t, "bytes")})
		},
		"mmap": func(t *rapid.T) {
			pid := m.pid(t)
			if len(m.vmas(pid, vm.RoleMmap)) >= 3 {
				t.Skip("enough mappings")
			}
			a := rapid.SampledFrom(mmapKinds).Draw(t, "mapping")
			a.Length = uint64(rapid.IntRange(1, 3).Draw(t, "pages") * page)
			m.run(t, op{kind: opMmap, pid: pid, mmap: a})
		},
		"munmap": func(t *rapid.T) {
			pid := m.pid(t)
			va, n := m.piece(t, pid)
			m.run(t, op{kind: opMunmap, pid: pid, va: va, n: n})
		},
		"mprotect": func(t *rapid.T) {
			pid := m.pid(t)
			va, n := m.piece(t, pid)
			perm := rapid.SampledFrom([]vm.Perm{vm.PermRW, vm.PermRead, 0}).Draw(t, "perm")
			m.run(t, op{kind: opMprotect, pid: pid, va: va, n: n, perm: perm})
		},
		"brk": func(t *rapid.T) {
			pid := m.pid(t)
			m.run(t, op{kind: opBrk, pid: pid, n: rapid.IntRange(0, 4).Draw(t, "heap pages")})
		},
		"": m.check,
	}
	if fork {
		actions["fork"] = func(t *rapid.T) {
			if len(m.ref.Pids()) >= 4 {
				t.Skip("enough processes")
			}
			m.run(t, op{kind: opFork, pid: m.pid(t)})
		}
		actions["exit"] = func(t *rapid.T) {
			if len(m.ref.Pids()) <= 1 {
				t.Skip("keep one process")
			}
			m.run(t, op{kind: opExit, pid: m.pid(t)})
		}
		// Forked processes write over what they share more than they map.
		actions["write again"] = actions["write"]
		delete(actions, "fetch")
	}
	t.Repeat(actions)
	m.teardown(t)
}

func withHandler(cfg kernel.Config, h vm.FaultHandler) kernel.Config {
	cfg.FaultHandler = h
	return cfg
}

// mmapKinds are the mappings drawn: anonymous and file-backed, private and
// shared, writable and read-only, and a file shorter than the mapping
// (SIGBUS past its end).
var mmapKinds = []kernel.MmapArgs{
	{Perm: vm.PermRW},
	{Perm: vm.PermRW, File: "/db"},
	{Perm: vm.PermRW, Shared: true, File: "/db"},
	{Perm: vm.PermRead},
	{Perm: vm.PermRW, Shared: true},
	{Perm: vm.PermRead, File: "/small"},
}

// pid draws a live process, spawning one if every process died.
func (m *machine) pid(t *rapid.T) int {
	if len(m.ref.Pids()) == 0 {
		m.run(t, op{kind: opSpawn})
	}
	return rapid.SampledFrom(m.ref.Pids()).Draw(t, "pid")
}

// vmas returns pid's VMAs of role (all of them for RoleNone), as the
// reference kernel has them.
func (m *machine) vmas(pid int, role vm.Role) []vm.VMA {
	all, _ := m.ref.VMAs(pid)
	if role == vm.RoleNone {
		return all
	}
	var out []vm.VMA
	for _, v := range all {
		if v.Role == role {
			out = append(out, v)
		}
	}
	return out
}

// addr draws an address for an access by pid: mostly inside one of its
// VMAs (any offset), sometimes just below the stack (growth or overflow),
// sometimes in no VMA at all.
func (m *machine) addr(t *rapid.T, pid int) vm.VAddr {
	vmas := m.vmas(pid, vm.RoleNone)
	switch rapid.IntRange(0, 9).Draw(t, "where") {
	case 8:
		low := m.ref.StackTop()
		for _, v := range vmas {
			if v.GrowsDown {
				low = v.Range.Start
			}
		}
		return low - vm.VAddr(rapid.IntRange(1, 8*page).Draw(t, "below the stack"))
	case 9:
		return m.ref.TextBase() - vm.VAddr(rapid.IntRange(1, 4*page).Draw(t, "below the text"))
	}
	v := rapid.SampledFrom(vmas).Draw(t, "vma")
	return v.Range.Start + vm.VAddr(rapid.Uint64Range(0, v.Range.Len()-1).Draw(t, "offset"))
}

// piece draws a page range of one of pid's mmap VMAs: all of it, or one
// page (so that VMAs split).
func (m *machine) piece(t *rapid.T, pid int) (vm.VAddr, int) {
	vmas := m.vmas(pid, vm.RoleMmap)
	if len(vmas) == 0 {
		t.Skip("no mapping")
	}
	v := rapid.SampledFrom(vmas).Draw(t, "mapping")
	pages := int(v.Range.Len() / page)
	if rapid.Bool().Draw(t, "one page") {
		return v.Range.Start + vm.VAddr(rapid.IntRange(0, pages-1).Draw(t, "page")*page), 1
	}
	return v.Range.Start, pages
}

// run applies o to both kernels, compares the outcomes and returns the
// one they agree on.
func (m *machine) run(t *rapid.T, o op) outcome {
	want := o.apply(m.ref)
	got := o.apply(m.test)
	t.Logf("%v = %v", o, got)
	m.trail = append(m.trail, fmt.Sprintf("%v = %v", o, got))
	if !got.equal(want) {
		m.fail(t, "%v = %v, want %v (what the reference handler gives)", o, got, want)
	}
	if !slices.Equal(m.test.Pids(), m.ref.Pids()) {
		m.fail(t, "after %v the live processes are %v, want %v", o, m.test.Pids(), m.ref.Pids())
	}
	return got
}

// check is the invariant after every op.
func (m *machine) check(t *rapid.T) {
	if err := m.test.Check(); err != nil {
		m.fail(t, "Check() = %v, want nil (the handler left the kernel inconsistent)", err)
	}
}

// teardown exits every process: then every frame and swap slot must be
// free (after the page cache is dropped).
func (m *machine) teardown(t *rapid.T) {
	for _, pid := range m.ref.Pids() {
		m.run(t, op{kind: opExit, pid: pid})
	}
	m.test.DropCaches()
	m.check(t)
	if st := m.test.Stats(); st.FreeFrames != m.frames || st.SwapUsed != 0 {
		m.fail(t, "after every process exited and the page cache was dropped, %d of %d frames are free and %d swap slots in use, want everything free (a leak)",
			st.FreeFrames, m.frames, st.SwapUsed)
	}
}

func (m *machine) fail(t *rapid.T, format string, args ...any) {
	t.Fatalf("%s\nsequence:\n  %s", fmt.Sprintf(format, args...), strings.Join(m.trail, "\n  "))
}

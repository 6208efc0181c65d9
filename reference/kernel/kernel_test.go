package kernel

import (
	"bytes"
	"errors"
	"testing"

	"github.com/vmkata/vmkata/vm"
)

func newKernel(t testing.TB, cfg Config) *Kernel {
	t.Helper()
	if cfg.Files == nil {
		cfg.Files = map[string][]byte{"/bin/app": bytes.Repeat([]byte{0x90}, 5000), "/data": []byte("hello, data")}
	}
	k, err := New(cfg)
	if err != nil {
		t.Fatalf("New(%+v) = %v", cfg, err)
	}
	return k
}

func mustCheck(t testing.TB, k *Kernel, after string) {
	t.Helper()
	if err := k.Check(); err != nil {
		t.Fatalf("Check() after %s: %v", after, err)
	}
}

var app = Image{Text: "/bin/app", Data: "/data", BSS: 8192}

func spawn(t testing.TB, k *Kernel) int {
	t.Helper()
	pid, err := k.Spawn(app)
	if err != nil {
		t.Fatalf("Spawn(%+v) = %v", app, err)
	}
	return pid
}

func TestZeroPageThenCopy(t *testing.T) {
	k := newKernel(t, Config{Frames: 8})
	pid := spawn(t, k)
	heap, _ := k.HeapStart(pid)
	if _, err := k.Brk(pid, heap+0x3000); err != nil {
		t.Fatalf("Brk = %v", err)
	}
	got, err := k.Read(pid, heap+0x10, 4)
	if err != nil || !bytes.Equal(got, make([]byte, 4)) {
		t.Fatalf("Read(fresh heap) = %v, %v, want zeroes", got, err)
	}
	s := k.Stats()
	if s.ZeroPageMaps != 1 || s.ZeroFills != 0 || s.FreeFrames != 8 {
		t.Fatalf("after a read of fresh heap: %v, want one zero-page map and no frame used", s)
	}
	mustCheck(t, k, "read")
	if err := k.Write(pid, heap+0x10, []byte("abcd")); err != nil {
		t.Fatalf("Write = %v", err)
	}
	s = k.Stats()
	if s.COWCopies != 1 || s.FreeFrames != 7 {
		t.Fatalf("after a write to the zero page: %v, want one COW copy and one frame used", s)
	}
	got, _ = k.Read(pid, heap+0x10, 4)
	if string(got) != "abcd" {
		t.Fatalf("Read = %q, want abcd", got)
	}
	mustCheck(t, k, "write")
	if err := k.Exit(pid); err != nil {
		t.Fatal(err)
	}
	mustCheck(t, k, "exit")
	if s := k.Stats(); s.FreeFrames != 8 {
		t.Fatalf("after exit: %v, want all frames free", s)
	}
}

func TestForkCopiesExactlyOnePage(t *testing.T) {
	k := newKernel(t, Config{Frames: 16})
	parent := spawn(t, k)
	heap, _ := k.HeapStart(parent)
	_, _ = k.Brk(parent, heap+0x4000)
	for i := range 4 {
		if err := k.Write(parent, heap+vm.VAddr(i*4096), []byte{byte(i + 1)}); err != nil {
			t.Fatal(err)
		}
	}
	before := k.Stats()
	child, err := k.Fork(parent)
	if err != nil {
		t.Fatalf("Fork = %v", err)
	}
	mustCheck(t, k, "fork")
	if s := k.Stats(); s.FreeFrames != before.FreeFrames {
		t.Fatalf("Fork used %d frames, want 0 (pages are shared)", before.FreeFrames-s.FreeFrames)
	}
	if err := k.Write(child, heap+0x1000, []byte{0xee}); err != nil {
		t.Fatal(err)
	}
	mustCheck(t, k, "child write")
	s := k.Stats()
	if s.COWCopies-before.COWCopies != 1 || before.FreeFrames-s.FreeFrames != 1 {
		t.Fatalf("child write: %d COW copies, %d frames, want 1 and 1", s.COWCopies-before.COWCopies, before.FreeFrames-s.FreeFrames)
	}
	p, _ := k.Read(parent, heap+0x1000, 1)
	c, _ := k.Read(child, heap+0x1000, 1)
	if p[0] != 2 || c[0] != 0xee {
		t.Fatalf("parent reads %#x, child %#x, want 0x2 and 0xee", p[0], c[0])
	}
	// The parent's write now finds a page no one else maps: reuse, no copy.
	if err := k.Write(parent, heap+0x1000, []byte{7}); err != nil {
		t.Fatal(err)
	}
	if s2 := k.Stats(); s2.COWCopies != s.COWCopies || s2.COWReuses != s.COWReuses+1 {
		t.Fatalf("parent write after child's copy: %v, want a reuse and no copy", s2)
	}
	mustCheck(t, k, "parent write")
	_ = k.Exit(child)
	_ = k.Exit(parent)
	k.DropCaches()
	mustCheck(t, k, "exits")
	if s := k.Stats(); s.FreeFrames != 16 {
		t.Fatalf("after exits: %d frames free, want 16", s.FreeFrames)
	}
}

func TestSegv(t *testing.T) {
	tests := []struct {
		name string
		do   func(k *Kernel, pid int) error
		code SignalCode
	}{
		{"no VMA", func(k *Kernel, pid int) error { _, err := k.Read(pid, 0x10000, 1); return err }, SegvMapErr},
		{"write to text", func(k *Kernel, pid int) error { return k.Write(pid, k.TextBase(), []byte{1}) }, SegvAccErr},
		{"stack overflow", func(k *Kernel, pid int) error {
			return k.Write(pid, k.StackTop()-vm.VAddr(k.Config().StackLimit)-0x1000, []byte{1})
		}, SegvMapErr},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := newKernel(t, Config{Frames: 8})
			pid := spawn(t, k)
			err := tt.do(k, pid)
			var se *SignalError
			if !errors.As(err, &se) || se.Signal != SIGSEGV || se.Code != tt.code {
				t.Fatalf("%s: error %v, want SIGSEGV %v", tt.name, err, tt.code)
			}
			if _, err := k.Read(pid, k.TextBase(), 1); !errors.Is(err, ErrSegv) {
				t.Fatalf("Read after the kill = %v, want an error saying it died of SIGSEGV", err)
			}
			mustCheck(t, k, tt.name)
			if s := k.Stats(); s.FreeFrames != 8-len(k.cache) {
				t.Fatalf("after the kill: %v", s)
			}
		})
	}
}

func TestStackGrows(t *testing.T) {
	k := newKernel(t, Config{Frames: 8})
	pid := spawn(t, k)
	va := k.StackTop() - 0x5000
	if err := k.Write(pid, va, []byte{1}); err != nil {
		t.Fatalf("Write below the stack = %v, want growth", err)
	}
	if s := k.Stats(); s.StackGrowths != 1 {
		t.Fatalf("StackGrowths = %d, want 1", s.StackGrowths)
	}
	mustCheck(t, k, "growth")
}

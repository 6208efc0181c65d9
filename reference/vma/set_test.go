package vma

import (
	"errors"
	"strings"
	"testing"

	"github.com/vmkata/vmkata/vm"
)

var testLimit = vm.AddrRange{Start: 0x10000, End: 0x8000_0000}

func anon(start, end vm.VAddr, p vm.Perm) vm.VMA {
	return vm.VMA{Range: vm.AddrRange{Start: start, End: end}, Perm: p, Role: vm.RoleMmap}
}

func file(start, end vm.VAddr, name string, off uint64) vm.VMA {
	return vm.VMA{Range: vm.AddrRange{Start: start, End: end}, Perm: vm.PermRead, Backing: vm.BackingFile,
		File: name, Offset: off, Role: vm.RoleMmap}
}

func stackVMA(start, end vm.VAddr) vm.VMA {
	return vm.VMA{Range: vm.AddrRange{Start: start, End: end}, Perm: vm.PermRW, Role: vm.RoleStack, GrowsDown: true}
}

func newTestSet(t *testing.T, vs ...vm.VMA) *Set {
	t.Helper()
	s, err := NewSet(vm.Size4K, testLimit)
	if err != nil {
		t.Fatalf("NewSet(4K, %v) = %v", testLimit, err)
	}
	for _, v := range vs {
		if _, err := s.Map(v, true); err != nil {
			t.Fatalf("Map(%v, fixed) = %v", v, err)
		}
	}
	return s
}

// The cases the specs do not spell out: the less common edges of Grow,
// Resize and placement.
func TestEdges(t *testing.T) {
	tests := []struct {
		name    string
		setup   []vm.VMA
		do      func(s *Set) error
		wantErr error
		want    string // the listing afterwards
	}{
		{
			name:  "a file-backed grows-down VMA moves its offset down",
			setup: []vm.VMA{{Range: vm.AddrRange{Start: 0x100000, End: 0x101000}, Perm: vm.PermRW, Backing: vm.BackingFile, File: "f", Offset: 0x3000, GrowsDown: true}},
			do:    func(s *Set) error { _, err := s.Grow(0xfe000, 0x10000, 0); return err },
			want:  "000fe000-00101000 rw-p 00001000 f growsdown\n",
		},
		{
			name:    "a file-backed grows-down VMA cannot grow below offset 0",
			setup:   []vm.VMA{{Range: vm.AddrRange{Start: 0x100000, End: 0x101000}, Perm: vm.PermRW, Backing: vm.BackingFile, File: "f", Offset: 0x1000, GrowsDown: true}},
			do:      func(s *Set) error { _, err := s.Grow(0xfe000, 0x10000, 0); return err },
			wantErr: vm.ErrOutOfRange,
			want:    "00100000-00101000 rw-p 00001000 f growsdown\n",
		},
		{
			name:  "with no guard gap a stack grows into and merges with a stack just below",
			setup: []vm.VMA{stackVMA(0x100000, 0x101000), stackVMA(0x102000, 0x103000)},
			do:    func(s *Set) error { _, err := s.Grow(0x101000, 0x10000, 0); return err },
			want:  "00100000-00103000 rw-p 00000000 stack growsdown\n",
		},
		{
			name:    "a stack cannot grow below the limit",
			setup:   []vm.VMA{stackVMA(0x10000, 0x11000)},
			do:      func(s *Set) error { _, err := s.Grow(0xf000, 0x10000, 0); return err },
			wantErr: vm.ErrOutOfRange,
			want:    "00010000-00011000 rw-p 00000000 stack growsdown\n",
		},
		{
			name:  "Resize up to a compatible neighbour merges with it",
			setup: []vm.VMA{anon(0x100000, 0x101000, vm.PermRW), anon(0x103000, 0x104000, vm.PermRW)},
			do:    func(s *Set) error { return s.Resize(0x100000, 0x103000) },
			want:  "00100000-00104000 rw-p 00000000 mmap\n",
		},
		{
			name:    "Resize beyond the limit fails",
			setup:   []vm.VMA{anon(0x7fff_f000, 0x8000_0000, vm.PermRW)},
			do:      func(s *Set) error { return s.Resize(0x7fff_f000, 0x8000_1000) },
			wantErr: vm.ErrOutOfRange,
			want:    "7ffff000-80000000 rw-p 00000000 mmap\n",
		},
		{
			name:  "a hint beyond the limit falls back to the lowest free range",
			setup: []vm.VMA{anon(0x10000, 0x11000, vm.PermRead)},
			do: func(s *Set) error {
				_, err := s.Map(anon(0x9000_0000, 0x9000_1000, vm.PermRW), false)
				return err
			},
			want: "00010000-00011000 r--p 00000000 mmap\n00011000-00012000 rw-p 00000000 mmap\n",
		},
		{
			name:  "Unmap of the whole limit empties the set",
			setup: []vm.VMA{anon(0x10000, 0x11000, vm.PermRead), file(0x200000, 0x203000, "f", 0), stackVMA(0x7fff_0000, 0x8000_0000)},
			do:    func(s *Set) error { _, err := s.Unmap(testLimit); return err },
			want:  "",
		},
		{
			name:  "Protect over three file pieces merges those that continue each other",
			setup: []vm.VMA{file(0x200000, 0x201000, "f", 0), anon(0x201000, 0x202000, vm.PermRead), file(0x202000, 0x203000, "f", 0x2000)},
			do: func(s *Set) error {
				if _, err := s.Map(file(0x201000, 0x202000, "f", 0x1000), true); err != nil {
					return err
				}
				_, err := s.Protect(vm.AddrRange{Start: 0x200000, End: 0x203000}, vm.PermRW)
				return err
			},
			want: "00200000-00203000 rw-p 00000000 f mmap\n",
		},
	}
	for _, tt := range tests {
		s := newTestSet(t, tt.setup...)
		err := tt.do(s)
		if tt.wantErr == nil && err != nil || tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
			t.Errorf("%s: error %v, want %v", tt.name, err, tt.wantErr)
		}
		if got := s.String(); got != tt.want {
			t.Errorf("%s: set =\n%s\nwant\n%s", tt.name, got, tt.want)
		}
		if err := s.Check(); err != nil {
			t.Errorf("%s: Check() = %v", tt.name, err)
		}
	}
}

// Check catches every kind of broken invariant.
func TestCheckFindsBrokenInvariants(t *testing.T) {
	rw := vm.PermRW
	tests := []struct {
		name string
		vmas []vm.VMA
		want string
	}{
		{name: "empty VMA", vmas: []vm.VMA{anon(0x100000, 0x100000, rw)}, want: "empty range"},
		{name: "unaligned end", vmas: []vm.VMA{anon(0x100000, 0x100800, rw)}, want: "not aligned"},
		{name: "outside the limit", vmas: []vm.VMA{anon(0x1000, 0x2000, rw)}, want: "outside the limit"},
		{name: "user bit", vmas: []vm.VMA{anon(0x100000, 0x101000, rw|vm.PermUser)}, want: "bits other than rwx"},
		{name: "anonymous with an offset", vmas: []vm.VMA{{Range: vm.AddrRange{Start: 0x100000, End: 0x101000}, Offset: 0x1000}}, want: "anonymous VMA with file offset"},
		{name: "file without a name", vmas: []vm.VMA{file(0x100000, 0x101000, "", 0)}, want: "file VMA without a file"},
		{name: "overlap", vmas: []vm.VMA{anon(0x100000, 0x102000, rw), anon(0x101000, 0x103000, vm.PermRead)}, want: "overlaps"},
		{name: "out of order", vmas: []vm.VMA{anon(0x200000, 0x201000, rw), anon(0x100000, 0x101000, rw)}, want: "overlaps or precedes"},
		{name: "not merged", vmas: []vm.VMA{anon(0x100000, 0x101000, rw), anon(0x101000, 0x102000, rw)}, want: "not merged"},
		{name: "file pieces not merged", vmas: []vm.VMA{file(0x100000, 0x101000, "f", 0), file(0x101000, 0x102000, "f", 0x1000)}, want: "not merged"},
	}
	for _, tt := range tests {
		s := newTestSet(t)
		s.vmas = tt.vmas
		err := s.Check()
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: Check() = %v, want an error containing %q", tt.name, err, tt.want)
		}
	}
	s := newTestSet(t, file(0x100000, 0x101000, "f", 0), file(0x101000, 0x102000, "f", 0x3000))
	if err := s.Check(); err != nil {
		t.Errorf("Check() of file pieces that do not continue each other = %v, want nil", err)
	}
}

// The lookups a fault handler makes allocate nothing.
func TestLookupsAllocateNothing(t *testing.T) {
	s := layout(t, 100)
	allocs := testing.AllocsPerRun(100, func() {
		s.Find(0x100000 + 0x5000)
		s.FindNext(0x100000 + 0x3000)
	})
	if allocs != 0 {
		t.Errorf("Find and FindNext allocate %.1f times, want 0", allocs)
	}
}

// layout returns a set of n single-page VMAs with one-page holes between.
func layout(tb testing.TB, n int) *Set {
	tb.Helper()
	s, err := NewSet(vm.Size4K, testLimit)
	if err != nil {
		tb.Fatal(err)
	}
	for i := range n {
		start := vm.VAddr(0x100000 + 2*i*0x1000)
		if _, err := s.Map(anon(start, start+0x1000, vm.PermRW), true); err != nil {
			tb.Fatal(err)
		}
	}
	return s
}

func BenchmarkFind(b *testing.B) {
	s := layout(b, 1000)
	b.ResetTimer()
	for i := range b.N {
		s.Find(vm.VAddr(0x100000 + (i%2000)*0x1000))
	}
}

// BenchmarkProtectSplitMerge protects one page in the middle of a VMA and
// back: two splits and two merges per iteration, among 1000 VMAs.
func BenchmarkProtectSplitMerge(b *testing.B) {
	s := layout(b, 1000)
	if _, err := s.Map(anon(0x4000_0000, 0x4001_0000, vm.PermRW), true); err != nil {
		b.Fatal(err)
	}
	r := vm.AddrRange{Start: 0x4000_8000, End: 0x4000_9000}
	b.ResetTimer()
	for range b.N {
		s.Protect(r, vm.PermRead)
		s.Protect(r, vm.PermRW)
	}
}

// BenchmarkMapUnmap maps a page with a hint into a busy set and unmaps it.
func BenchmarkMapUnmap(b *testing.B) {
	s := layout(b, 1000)
	b.ResetTimer()
	for range b.N {
		r, err := s.Map(anon(0x100000, 0x101000, vm.PermRead), false)
		if err != nil {
			b.Fatal(err)
		}
		s.Unmap(r)
	}
}

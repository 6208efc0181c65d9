package pagetable

import (
	"errors"
	"strings"
	"testing"

	"github.com/vmkata/vmkata/vm"
)

func TestNewLinearRefusesHugeTables(t *testing.T) {
	tests := []struct {
		g       vm.Geometry
		wantErr bool
		bytes   uint64
	}{
		{g: vm.X86_32, bytes: 4 << 20},
		{g: vm.Textbook, bytes: 256 * 4},
		{g: vm.X86_64, wantErr: true},
		{g: vm.X86_64_5Level, wantErr: true},
	}
	for _, tt := range tests {
		pt, err := NewLinear(tt.g)
		if tt.wantErr {
			if !errors.Is(err, vm.ErrInvalidConfig) || !strings.Contains(err.Error(), "multi-level") {
				t.Errorf("NewLinear(%v) = %v, want ErrInvalidConfig explaining why multi-level tables exist", tt.g, err)
			}
			continue
		}
		if err != nil || pt.TableBytes() != tt.bytes {
			t.Errorf("NewLinear(%v): TableBytes() = %v, err %v; want %d", tt.g, pt.TableBytes(), err, tt.bytes)
		}
	}
	_, err := NewLinear(vm.X86_64)
	if want := "2^36 entries (512 GiB"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("NewLinear(x86-64) = %v, want the message to say %q", err, want)
	}
}

func TestLinear(t *testing.T) {
	pt, err := NewLinear(vm.X86_32)
	if err != nil {
		t.Fatal(err)
	}
	m := vm.Mapping{VA: 0x0804_8000, PFN: 0x123, Size: vm.Size4K, Perm: vm.PermRX | vm.PermUser}
	if err := pt.Map(m); err != nil {
		t.Fatalf("Map(%v) = %v", m, err)
	}
	w, err := pt.Walk(0x0804_8abc)
	if err != nil || w.Steps != 1 || w.Reads[0] != 0x0804_8*4 || w.Leaf().PFN() != 0x123 || w.Perm != m.Perm {
		t.Errorf("Walk = %v, %v; want one read at 0x%x of pfn 0x123 %v", w, err, 0x08048*4, m.Perm)
	}
	if err := pt.MarkAccessed(0x0804_8000, true); err != nil {
		t.Fatal(err)
	}
	if w, _ := pt.Walk(0x0804_8000); !w.Leaf().Has(vm.PTEAccessed | vm.PTEDirty) {
		t.Errorf("after MarkAccessed(write): %v, want A and D", w)
	}
	errs := []struct {
		name string
		call func() error
		want error
	}{
		{"Map 2M", func() error { return pt.Map(vm.Mapping{VA: 0, PFN: 0, Size: vm.Size2M, Perm: vm.PermRead}) }, vm.ErrInvalidConfig},
		{"Map twice", func() error { return pt.Map(m) }, vm.ErrAlreadyMapped},
		{"Map misaligned PFN", func() error {
			return pt.Map(vm.Mapping{VA: 0x1001, PFN: 1, Size: vm.Size4K, Perm: vm.PermRead})
		}, vm.ErrNotAligned},
		{"Protect write-only", func() error { return pt.Protect(m.VA, vm.PermWrite) }, vm.ErrBadPermission},
		{"Protect unmapped", func() error { return pt.Protect(0x1000, vm.PermRead) }, vm.ErrNotMapped},
		{"Walk beyond 32 bits", func() error { _, err := pt.Walk(1 << 32); return err }, vm.ErrOutOfRange},
	}
	for _, tt := range errs {
		if err := tt.call(); !errors.Is(err, tt.want) {
			t.Errorf("%s = %v, want %v", tt.name, err, tt.want)
		}
	}
	got, err := pt.Unmap(0x0804_8fff)
	if want := (vm.Mapping{VA: m.VA, PFN: m.PFN, Size: m.Size, Perm: vm.PermRX | vm.PermUser}); err != nil || got != want {
		t.Errorf("Unmap = %v, %v; want %v", got, err, want)
	}
	if w, err := pt.Walk(0x0804_8000); err != nil || w.Present() || w.Steps != 1 {
		t.Errorf("Walk after Unmap = %v, %v; want one read, not present", w, err)
	}
	if n := testing.AllocsPerRun(100, func() { _, _ = pt.Walk(0x0804_8abc) }); n != 0 {
		t.Errorf("Walk allocates %v times per call, want 0", n)
	}
	_ = pt.Map(m)
	if n := testing.AllocsPerRun(100, func() { _ = pt.MarkAccessed(0x0804_8abc, true) }); n != 0 {
		t.Errorf("MarkAccessed allocates %v times per call, want 0", n)
	}
}

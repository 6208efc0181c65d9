package phys_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/vmkata/vmkata/reference/phys"
	"github.com/vmkata/vmkata/vm"
)

func newMemory(t *testing.T, frames int, size vm.PageSize) *phys.Memory {
	t.Helper()
	m, err := phys.NewMemory(frames, size)
	if err != nil {
		t.Fatalf("NewMemory(%d, %v) = %v, want no error", frames, size, err)
	}
	return m
}

func TestNewMemoryRejectsBadConfig(t *testing.T) {
	tests := []struct {
		name   string
		frames int
		size   vm.PageSize
	}{
		{name: "no frames", frames: 0, size: vm.Size4K},
		{name: "negative frames", frames: -1, size: vm.Size4K},
		{name: "zero frame size", frames: 4, size: 0},
		{name: "frame size not a power of two", frames: 4, size: 3000},
		{name: "too large", frames: 1 << 21, size: vm.Size4K},
		{name: "overflowing product", frames: 1 << 62, size: vm.Size1G},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := phys.NewMemory(tt.frames, tt.size)
			if !errors.Is(err, vm.ErrInvalidConfig) {
				t.Errorf("NewMemory(%d, %v) = %v, %v, want error wrapping ErrInvalidConfig", tt.frames, tt.size, m, err)
			}
		})
	}
}

func TestMemoryGeometry(t *testing.T) {
	m := newMemory(t, 4, 64)
	if got := m.Size(); got != 256 {
		t.Errorf("Size() = %d, want 256", got)
	}
	if got := m.FrameSize(); got != 64 {
		t.Errorf("FrameSize() = %v, want 64B", got)
	}
	if got := m.Frames(); got != 4 {
		t.Errorf("Frames() = %d, want 4", got)
	}
	for pfn, want := range []vm.PAddr{0, 64, 128, 192} {
		got, err := m.FrameAddr(vm.PFN(pfn))
		if err != nil || got != want {
			t.Errorf("FrameAddr(%d) = %v, %v, want %v, nil", pfn, got, err, want)
		}
	}
	if _, err := m.FrameAddr(4); !errors.Is(err, vm.ErrOutOfRange) {
		t.Errorf("FrameAddr(4) error = %v, want ErrOutOfRange", err)
	}
}

func TestMemoryAccessBounds(t *testing.T) {
	m := newMemory(t, 2, 64) // 128 bytes
	tests := []struct {
		name string
		pa   vm.PAddr
		n    int
		ok   bool
	}{
		{name: "first byte", pa: 0, n: 1, ok: true},
		{name: "last byte", pa: 127, n: 1, ok: true},
		{name: "whole memory", pa: 0, n: 128, ok: true},
		{name: "empty at end", pa: 128, n: 0, ok: true},
		{name: "straddles frames", pa: 60, n: 8, ok: true},
		{name: "one past the end", pa: 128, n: 1},
		{name: "runs past the end", pa: 121, n: 8},
		{name: "far away", pa: 1 << 40, n: 8},
		{name: "wraps around 2^64", pa: ^vm.PAddr(0) - 3, n: 8},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			buf := make([]byte, tt.n)
			for _, op := range []struct {
				name string
				call func() error
			}{
				{"Read", func() error { return m.Read(tt.pa, buf) }},
				{"Write", func() error { return m.Write(tt.pa, buf) }},
			} {
				err := op.call()
				if tt.ok && err != nil {
					t.Errorf("%s(%v, %d bytes) = %v, want nil", op.name, tt.pa, tt.n, err)
				}
				if !tt.ok {
					if !errors.Is(err, vm.ErrOutOfRange) {
						t.Errorf("%s(%v, %d bytes) = %v, want ErrOutOfRange", op.name, tt.pa, tt.n, err)
					} else if !strings.Contains(err.Error(), tt.pa.String()) {
						t.Errorf("%s(%v, %d bytes) error %q does not name the address", op.name, tt.pa, tt.n, err)
					}
				}
			}
		})
	}
	for _, pa := range []vm.PAddr{121, 125, 128, ^vm.PAddr(0)} {
		if _, err := m.ReadUint64(pa); !errors.Is(err, vm.ErrOutOfRange) {
			t.Errorf("ReadUint64(%v) error = %v, want ErrOutOfRange", pa, err)
		}
		if err := m.WriteUint64(pa, 1); !errors.Is(err, vm.ErrOutOfRange) {
			t.Errorf("WriteUint64(%v) error = %v, want ErrOutOfRange", pa, err)
		}
	}
	for _, pa := range []vm.PAddr{125, 128, ^vm.PAddr(0)} {
		if _, err := m.ReadUint32(pa); !errors.Is(err, vm.ErrOutOfRange) {
			t.Errorf("ReadUint32(%v) error = %v, want ErrOutOfRange", pa, err)
		}
		if err := m.WriteUint32(pa, 1); !errors.Is(err, vm.ErrOutOfRange) {
			t.Errorf("WriteUint32(%v) error = %v, want ErrOutOfRange", pa, err)
		}
	}
}

func TestMemoryLittleEndian(t *testing.T) {
	m := newMemory(t, 2, 64)
	if err := m.WriteUint64(61, 0x0807060504030201); err != nil { // misaligned, straddles frames 0 and 1
		t.Fatalf("WriteUint64(0x3d) = %v, want nil", err)
	}
	got := make([]byte, 8)
	if err := m.Read(61, got); err != nil {
		t.Fatalf("Read(0x3d) = %v", err)
	}
	if want := []byte{1, 2, 3, 4, 5, 6, 7, 8}; !bytes.Equal(got, want) {
		t.Errorf("bytes after WriteUint64(0x3d, 0x0807060504030201) = % x, want % x", got, want)
	}
	if v, err := m.ReadUint32(63); err != nil || v != 0x06050403 {
		t.Errorf("ReadUint32(0x3f) = %#x, %v, want 0x6050403, nil", v, err)
	}
	if err := m.WriteUint32(64, 0xdeadbeef); err != nil {
		t.Fatalf("WriteUint32(0x40) = %v", err)
	}
	if v, err := m.ReadUint64(61); err != nil || v != 0x08deadbeef030201 {
		t.Errorf("ReadUint64(0x3d) = %#x, %v, want 0x8deadbeef030201, nil", v, err)
	}
}

func TestMemoryFrameAliasesAndCopies(t *testing.T) {
	m := newMemory(t, 3, 16)
	f1, err := m.Frame(1)
	if err != nil {
		t.Fatalf("Frame(1) = %v", err)
	}
	if len(f1) != 16 || cap(f1) != 16 {
		t.Errorf("Frame(1) has len %d cap %d, want 16 and 16", len(f1), cap(f1))
	}
	f1[0] = 0xaa
	if b, _ := m.ReadUint32(16); b != 0xaa {
		t.Errorf("ReadUint32(0x10) after writing Frame(1)[0] = %#x, want 0xaa", b)
	}
	if err := m.CopyFrame(2, 1); err != nil {
		t.Fatalf("CopyFrame(2, 1) = %v", err)
	}
	if b, _ := m.ReadUint32(32); b != 0xaa {
		t.Errorf("ReadUint32(0x20) after CopyFrame(2, 1) = %#x, want 0xaa", b)
	}
	if err := m.ZeroFrame(1); err != nil {
		t.Fatalf("ZeroFrame(1) = %v", err)
	}
	if b, _ := m.ReadUint32(16); b != 0 {
		t.Errorf("ReadUint32(0x10) after ZeroFrame(1) = %#x, want 0", b)
	}
	if b, _ := m.ReadUint32(32); b != 0xaa {
		t.Errorf("ReadUint32(0x20) after ZeroFrame(1) = %#x, want 0xaa (frame 2 untouched)", b)
	}
	for _, err := range []error{
		m.ZeroFrame(3), m.CopyFrame(3, 0), m.CopyFrame(0, 3), func() error { _, err := m.Frame(1 << 40); return err }(),
	} {
		if !errors.Is(err, vm.ErrOutOfRange) {
			t.Errorf("frame operation on a missing frame returned %v, want ErrOutOfRange", err)
		}
	}
}

func TestMemoryZeroValue(t *testing.T) {
	var m phys.Memory
	if _, err := m.ReadUint64(0); !errors.Is(err, vm.ErrOutOfRange) {
		t.Errorf("zero Memory ReadUint64(0) = %v, want ErrOutOfRange", err)
	}
	if _, err := m.Frame(0); !errors.Is(err, vm.ErrOutOfRange) {
		t.Errorf("zero Memory Frame(0) = %v, want ErrOutOfRange", err)
	}
}

func TestMemoryAccessAllocatesNothing(t *testing.T) {
	m := newMemory(t, 4, vm.Size4K)
	var sink uint64
	allocs := testing.AllocsPerRun(100, func() {
		_ = m.WriteUint64(0x1008, 42)
		v, _ := m.ReadUint64(0x1008)
		_ = m.WriteUint32(0x2000, 7)
		w, _ := m.ReadUint32(0x2000)
		sink += v + uint64(w)
	})
	if allocs != 0 {
		t.Errorf("ReadUint64/WriteUint64/ReadUint32/WriteUint32 allocate %v times per run, want 0", allocs)
	}
	_ = sink
}

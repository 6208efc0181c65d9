package phys

import (
	"encoding/binary"
	"fmt"

	"github.com/vmkata/vmkata/vm"
)

// MaxMemoryBytes is the largest memory NewMemory builds (4 GiB): enough for
// any exercise, small enough that a typo in a frame count fails cleanly
// instead of exhausting the host.
const MaxMemoryBytes = 1 << 32

// Memory is simulated physical memory: frames*frameSize real bytes in one
// slice, addressed by vm.PAddr from 0. Frame n occupies the bytes
// [n*frameSize, (n+1)*frameSize).
//
// Memory implements vm.PhysMem. Every access is bounds-checked and returns
// an error wrapping vm.ErrOutOfRange (naming the address and size) instead of
// panicking. Multi-byte values are little-endian, as on x86; a misaligned
// multi-byte access is allowed as long as all its bytes are in memory (an
// access may straddle two frames).
//
// The zero value is an empty memory in which every access fails; use
// NewMemory.
type Memory struct {
	bytes     []byte      // Invariant: len(bytes) == frames*frameSize.
	frameSize vm.PageSize // Invariant: a power of two.
	shift     uint        // log2(frameSize)
	frames    int
}

var _ vm.PhysMem = (*Memory)(nil)

// NewMemory returns zeroed memory of frames frames of frameSize bytes each.
// frames must be positive, frameSize a power of two, and the total at most
// MaxMemoryBytes; otherwise the error wraps vm.ErrInvalidConfig.
func NewMemory(frames int, frameSize vm.PageSize) (*Memory, error) {
	if frames <= 0 {
		return nil, fmt.Errorf("phys: memory of %d frames, want at least 1: %w", frames, vm.ErrInvalidConfig)
	}
	if frameSize == 0 || frameSize&(frameSize-1) != 0 {
		return nil, fmt.Errorf("phys: frame size %d is not a power of two: %w", uint64(frameSize), vm.ErrInvalidConfig)
	}
	if frameSize > MaxMemoryBytes || uint64(frames) > MaxMemoryBytes/uint64(frameSize) {
		return nil, fmt.Errorf("phys: %d frames of %v exceed the %d-byte limit: %w",
			frames, frameSize, uint64(MaxMemoryBytes), vm.ErrInvalidConfig)
	}
	return &Memory{
		bytes:     make([]byte, uint64(frames)*uint64(frameSize)),
		frameSize: frameSize,
		shift:     frameSize.Shift(),
		frames:    frames,
	}, nil
}

// Size returns the number of bytes of memory.
func (m *Memory) Size() uint64 { return uint64(len(m.bytes)) }

// FrameSize returns the size of one frame.
func (m *Memory) FrameSize() vm.PageSize { return m.frameSize }

// Frames returns the number of frames.
func (m *Memory) Frames() int { return m.frames }

// FrameAddr returns the physical address of the first byte of frame pfn, or
// an error wrapping vm.ErrOutOfRange if there is no such frame.
func (m *Memory) FrameAddr(pfn vm.PFN) (vm.PAddr, error) {
	if err := m.checkPFN("address of", pfn); err != nil {
		return 0, err
	}
	return vm.PAddr(uint64(pfn) << m.shift), nil
}

// Frame returns the bytes of frame pfn. The slice aliases memory: writes
// through it are writes to physical memory, and it stays valid for the life
// of m. Its capacity is the frame size, so appending to it never spills into
// the next frame. The error wraps vm.ErrOutOfRange if there is no such frame.
func (m *Memory) Frame(pfn vm.PFN) ([]byte, error) {
	if err := m.checkPFN("frame", pfn); err != nil {
		return nil, err
	}
	lo := uint64(pfn) << m.shift
	hi := lo + uint64(m.frameSize)
	return m.bytes[lo:hi:hi], nil
}

// ZeroFrame sets every byte of frame pfn to zero, as a kernel clears a frame
// before handing it to a process or using it as a page-table page.
func (m *Memory) ZeroFrame(pfn vm.PFN) error {
	f, err := m.Frame(pfn)
	if err != nil {
		return err
	}
	clear(f)
	return nil
}

// CopyFrame copies the bytes of frame src into frame dst, as copy-on-write
// does when a write hits a shared page. Copying a frame onto itself is
// allowed and changes nothing.
func (m *Memory) CopyFrame(dst, src vm.PFN) error {
	d, err := m.Frame(dst)
	if err != nil {
		return fmt.Errorf("phys: copy to %v: %w", dst, err)
	}
	s, err := m.Frame(src)
	if err != nil {
		return fmt.Errorf("phys: copy from %v: %w", src, err)
	}
	copy(d, s)
	return nil
}

// Read copies len(p) bytes starting at pa into p. On error p is unchanged.
func (m *Memory) Read(pa vm.PAddr, p []byte) error {
	b, err := m.span("read", pa, uint64(len(p)))
	if err != nil {
		return err
	}
	copy(p, b)
	return nil
}

// Write copies p into memory starting at pa. On error memory is unchanged.
func (m *Memory) Write(pa vm.PAddr, p []byte) error {
	b, err := m.span("write", pa, uint64(len(p)))
	if err != nil {
		return err
	}
	copy(b, p)
	return nil
}

// ReadUint32 reads the 4-byte little-endian value at pa.
func (m *Memory) ReadUint32(pa vm.PAddr) (uint32, error) {
	b, err := m.span("read", pa, 4)
	if err != nil {
		return 0, err
	}
	return binary.LittleEndian.Uint32(b), nil
}

// WriteUint32 writes v as 4 little-endian bytes at pa.
func (m *Memory) WriteUint32(pa vm.PAddr, v uint32) error {
	b, err := m.span("write", pa, 4)
	if err != nil {
		return err
	}
	binary.LittleEndian.PutUint32(b, v)
	return nil
}

// ReadUint64 reads the 8-byte little-endian value at pa.
func (m *Memory) ReadUint64(pa vm.PAddr) (uint64, error) {
	b, err := m.span("read", pa, 8)
	if err != nil {
		return 0, err
	}
	return binary.LittleEndian.Uint64(b), nil
}

// WriteUint64 writes v as 8 little-endian bytes at pa.
func (m *Memory) WriteUint64(pa vm.PAddr, v uint64) error {
	b, err := m.span("write", pa, 8)
	if err != nil {
		return err
	}
	binary.LittleEndian.PutUint64(b, v)
	return nil
}

// span returns the n bytes at pa, or an error wrapping vm.ErrOutOfRange if
// any of them lies outside memory. It checks without overflowing: pa+n may
// not fit in 64 bits.
func (m *Memory) span(op string, pa vm.PAddr, n uint64) ([]byte, error) {
	size := uint64(len(m.bytes))
	if uint64(pa) > size || n > size-uint64(pa) {
		return nil, &accessError{op: op, pa: pa, n: n, size: size}
	}
	return m.bytes[pa : uint64(pa)+n], nil
}

func (m *Memory) checkPFN(what string, pfn vm.PFN) error {
	if uint64(pfn) >= uint64(m.frames) {
		return fmt.Errorf("phys: %s %v: memory has %d frames [pfn 0x0, pfn %#x): %w",
			what, pfn, m.frames, m.frames, vm.ErrOutOfRange)
	}
	return nil
}

// accessError is an out-of-range access. It is built only on failure and
// formats lazily, so that in-range accesses allocate nothing.
type accessError struct {
	op   string
	pa   vm.PAddr
	n    uint64
	size uint64
}

func (e *accessError) Error() string {
	return fmt.Sprintf("phys: %s of %d bytes at %v outside memory [0x0, %#x): %v",
		e.op, e.n, e.pa, e.size, vm.ErrOutOfRange)
}

func (e *accessError) Unwrap() error { return vm.ErrOutOfRange }

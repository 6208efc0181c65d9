package vm

// PhysMem is physical memory as the page-table walker and the MMU see it:
// bytes addressed by PAddr. Multi-byte values are little-endian, as on x86.
//
// Every method returns an error wrapping ErrOutOfRange (naming the address)
// when the access would fall outside memory, and never panics on a bad
// address. The fixed-width methods exist so that a walker can read one entry
// without allocating a buffer.
type PhysMem interface {
	// Size returns the number of bytes of memory.
	Size() uint64
	// FrameSize returns the size of one frame.
	FrameSize() PageSize
	// Read copies len(p) bytes starting at pa into p.
	Read(pa PAddr, p []byte) error
	// Write copies p into memory starting at pa.
	Write(pa PAddr, p []byte) error
	// ReadUint32 reads the 4-byte little-endian value at pa.
	ReadUint32(pa PAddr) (uint32, error)
	// WriteUint32 writes v as 4 little-endian bytes at pa.
	WriteUint32(pa PAddr, v uint32) error
	// ReadUint64 reads the 8-byte little-endian value at pa.
	ReadUint64(pa PAddr) (uint64, error)
	// WriteUint64 writes v as 8 little-endian bytes at pa.
	WriteUint64(pa PAddr, v uint64) error
}

// FrameAllocator hands out frames of physical memory one base frame at a
// time. The caller that allocates a frame owns it until it frees it.
//
// Postconditions: Alloc never returns a frame that is already allocated;
// Free of a frame that is not allocated returns an error wrapping
// ErrInvalidFrame and changes nothing. Frames come back with whatever bytes
// they last held: a caller that needs zeroes (a new page-table page, an
// anonymous page) clears the frame itself.
type FrameAllocator interface {
	// Alloc returns a free frame, or an error wrapping ErrOutOfMemory.
	Alloc() (PFN, error)
	// Free returns frame pfn to the allocator.
	Free(pfn PFN) error
	// FreeFrames returns the number of frames that Alloc could still return.
	FreeFrames() int
}

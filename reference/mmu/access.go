package mmu

import (
	"fmt"

	"github.com/vmkata/vmkata/vm"
)

// piece is the part of an access that falls in one page: where it goes in
// physical memory and how many bytes it covers.
type piece struct {
	pa vm.PAddr
	n  uint64
}

// Load implements a read of len(p) bytes at va with user or supervisor
// privilege: each page the range touches is translated (one translation,
// hence one memory reference, per page piece; a 2 MiB page is one piece),
// and only when every piece translated are the bytes copied into p. On any
// error p is unchanged. A range that wraps around the end of the address
// space fails with vm.ErrOutOfRange.
func (m *MMU) Load(va vm.VAddr, p []byte, user bool) error {
	var buf [4]piece
	pieces, err := m.pieces(va, uint64(len(p)), vm.Access{Kind: vm.Read, User: user}, buf[:0])
	if err != nil {
		return err
	}
	off := uint64(0)
	for _, pc := range pieces {
		if err := m.mem.Read(pc.pa, p[off:off+pc.n]); err != nil {
			return fmt.Errorf("mmu: load %v: %w", va, err)
		}
		off += pc.n
	}
	return nil
}

// Store implements a write of p at va with user or supervisor privilege.
// Every page the range touches is translated before any byte is written,
// so a fault on the second page leaves memory untouched (the first page's
// translation has already set its A and D bits, as the walker would have).
func (m *MMU) Store(va vm.VAddr, p []byte, user bool) error {
	var buf [4]piece
	pieces, err := m.pieces(va, uint64(len(p)), vm.Access{Kind: vm.Write, User: user}, buf[:0])
	if err != nil {
		return err
	}
	off := uint64(0)
	for _, pc := range pieces {
		if err := m.mem.Write(pc.pa, p[off:off+pc.n]); err != nil {
			return fmt.Errorf("mmu: store %v: %w", va, err)
		}
		off += pc.n
	}
	return nil
}

// pieces translates [va, va+n) for a, one page at a time, and appends the
// physical pieces to dst. It checks that every piece lies inside physical
// memory, so that the copy that follows cannot fail half-way.
func (m *MMU) pieces(va vm.VAddr, n uint64, a vm.Access, dst []piece) ([]piece, error) {
	if n > 0 && uint64(va)+(n-1) < uint64(va) {
		return nil, fmt.Errorf("mmu: %v of %d bytes at %v wraps around the address space: %w", a, n, va, vm.ErrOutOfRange)
	}
	memSize := m.mem.Size()
	for n > 0 {
		pa, size, err := m.translate(va, a)
		if err != nil {
			return nil, err
		}
		chunk := min(n, uint64(size)-uint64(va)&(uint64(size)-1)) // up to the end of the page
		if uint64(pa) > memSize || chunk > memSize-uint64(pa) {
			return nil, fmt.Errorf("mmu: %v at %v maps to [%v, +%d), beyond %d bytes of physical memory: %w", a, va, pa, chunk, memSize, vm.ErrOutOfRange)
		}
		dst = append(dst, piece{pa: pa, n: chunk})
		va += vm.VAddr(chunk)
		n -= chunk
	}
	return dst, nil
}

package addr

import "github.com/vmkata/vmkata/vm"

// Page-size arithmetic. size must be a power of two (every vm.PageSize is);
// for other sizes the results are meaningless but nothing panics, and
// AlignUp reports false.

// PageOffset returns va's offset within the page of the given size: the
// offset into a 2M huge page is va mod 2M, whatever the base page size.
func PageOffset(va vm.VAddr, size vm.PageSize) uint64 { return uint64(va) & (uint64(size) - 1) }

// AlignDown returns the start of the page of the given size holding va.
func AlignDown(va vm.VAddr, size vm.PageSize) vm.VAddr { return va &^ vm.VAddr(size-1) }

// AlignUp returns the smallest multiple of size that is >= va, and false if
// that would overflow 64 bits (or size is not a power of two).
func AlignUp(va vm.VAddr, size vm.PageSize) (vm.VAddr, bool) {
	if size == 0 || size&(size-1) != 0 {
		return 0, false
	}
	up := (va + vm.VAddr(size-1)) &^ vm.VAddr(size-1)
	if up < va {
		return 0, false
	}
	return up, true
}

// IsAligned reports whether va is a multiple of size.
func IsAligned(va vm.VAddr, size vm.PageSize) bool { return PageOffset(va, size) == 0 }

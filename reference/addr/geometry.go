package addr

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/vmkata/vmkata/vm"
)

// MaxPABits is the widest physical address an x86-64 page-table entry can
// hold: its frame field ends at bit 51.
const MaxPABits = 52

// Validate checks the invariants a vm.Geometry documents and returns the
// first one broken, as an error wrapping vm.ErrInvalidConfig that names the
// rule and the values:
//   - 1 <= Levels <= vm.MaxLevels, each used LevelBits >= 1 and the unused
//     ones 0;
//   - OffsetBits + the sum of LevelBits == VABits <= 64, and VABits < 64
//     when SignExtended (there must be bits above VABits to extend into);
//   - EntryBytes is 4 or 8;
//   - LevelBits[i] + log2(EntryBytes) <= OffsetBits: one page-table node
//     (2^LevelBits entries) fits in one frame;
//   - OffsetBits <= PABits <= 52 (the x86 entry's frame field), PABits <= 32
//     with 4-byte entries, and the frame number (PABits - OffsetBits bits)
//     fits the entry's frame field: 40 bits in 8-byte entries, 20 in 4-byte.
func Validate(g vm.Geometry) error {
	bad := func(format string, args ...any) error { return badGeometry(g, format, args...) }
	if g.Levels < 1 || g.Levels > vm.MaxLevels {
		return bad("%d levels, want 1..%d", g.Levels, vm.MaxLevels)
	}
	var entryShift int
	switch g.EntryBytes {
	case 4:
		entryShift = 2
	case 8:
		entryShift = 3
	default:
		return bad("%d-byte entries, want 4 or 8", g.EntryBytes)
	}
	sum := int(g.OffsetBits)
	for i, b := range g.LevelBits {
		switch {
		case i >= int(g.Levels) && b != 0:
			return bad("LevelBits[%d] = %d beyond %d levels, want 0", i, b, g.Levels)
		case i >= int(g.Levels):
		case b == 0:
			return bad("level %d has 0 index bits, want at least 1", int(g.Levels)-i)
		case int(b)+entryShift > int(g.OffsetBits):
			return bad("level %d has %d index bits: a node of %d %d-byte entries does not fit in a %d-byte frame (want index bits + %d <= offset bits %d)",
				int(g.Levels)-i, b, 1<<b, g.EntryBytes, 1<<g.OffsetBits, entryShift, g.OffsetBits)
		}
		sum += int(b)
	}
	if sum != int(g.VABits) {
		return bad("offset bits + index bits = %d, want VABits %d", sum, g.VABits)
	}
	if g.VABits > 64 {
		return bad("VABits %d, want at most 64", g.VABits)
	}
	if g.SignExtended && g.VABits == 64 {
		return bad("sign-extended with VABits 64, want VABits < 64 (no bits above to extend into)")
	}
	maxPA, frameBits := MaxPABits, 40
	if g.EntryBytes == 4 {
		maxPA, frameBits = 32, 20
	}
	if g.PABits < g.OffsetBits || int(g.PABits) > maxPA {
		return bad("PABits %d, want %d..%d for %d-byte entries", g.PABits, g.OffsetBits, maxPA, g.EntryBytes)
	}
	if int(g.PABits-g.OffsetBits) > frameBits {
		return bad("frame numbers of %d bits (PABits %d - offset bits %d), want at most %d in a %d-byte entry",
			g.PABits-g.OffsetBits, g.PABits, g.OffsetBits, frameBits, g.EntryBytes)
	}
	return nil
}

// badGeometry builds Validate's error. It lives outside Validate so that a
// valid geometry costs no closure setup on the hot paths that validate.
func badGeometry(g vm.Geometry, format string, args ...any) error {
	return fmt.Errorf("addr: geometry %v: %s: %w", g, fmt.Sprintf(format, args...), vm.ErrInvalidConfig)
}

// NewGeometry builds and validates a geometry. levelBits lists the index
// widths root level first; vaBits must equal offsetBits plus their sum. The
// error wraps vm.ErrInvalidConfig.
func NewGeometry(name string, vaBits, paBits, offsetBits int, levelBits []int, entryBytes int, signExtended bool) (vm.Geometry, error) {
	g := vm.Geometry{Name: name, SignExtended: signExtended}
	bad := func(format string, args ...any) (vm.Geometry, error) {
		return vm.Geometry{}, fmt.Errorf("addr: geometry %q: %s: %w", name, fmt.Sprintf(format, args...), vm.ErrInvalidConfig)
	}
	if len(levelBits) < 1 || len(levelBits) > vm.MaxLevels {
		return bad("%d levels, want 1..%d", len(levelBits), vm.MaxLevels)
	}
	fields := []struct {
		what string
		v    int
		dst  *uint8
	}{
		{"VABits", vaBits, &g.VABits}, {"PABits", paBits, &g.PABits},
		{"OffsetBits", offsetBits, &g.OffsetBits}, {"EntryBytes", entryBytes, &g.EntryBytes},
	}
	for _, f := range fields {
		if f.v < 0 || f.v > 64 {
			return bad("%s %d, want 0..64", f.what, f.v)
		}
		*f.dst = uint8(f.v)
	}
	for i, b := range levelBits {
		if b < 1 || b > 64 {
			return bad("levelBits[%d] = %d, want 1..64", i, b)
		}
		g.LevelBits[i] = uint8(b)
	}
	g.Levels = uint8(len(levelBits))
	if err := Validate(g); err != nil {
		return vm.Geometry{}, err
	}
	return g, nil
}

// presets are the geometries ParseGeometry knows by name.
var presets = []vm.Geometry{vm.X86_32, vm.X86_64, vm.X86_64_5Level, vm.Textbook}

// ParseGeometry returns a preset by name ("x86-32", "x86-64",
// "x86-64-5level", "textbook"; case-insensitive, '_' for '-' allowed) or
// builds a custom geometry from a split written root level first with the
// offset bits last, e.g. "9/9/9/9/12" or "10/10/12". For a split:
//   - VABits is the sum of the parts;
//   - entries are 8 bytes if every level's index bits + 3 <= offset bits
//     (a node of 8-byte entries fits in a frame), else 4 bytes;
//   - 8-byte entries model a 64-bit machine: PABits is 52 and addresses are
//     sign-extended (canonical, as on x86-64 and RISC-V Sv39/Sv48) unless
//     VABits is 64; 4-byte entries model a 32-bit machine: PABits is
//     min(32, offset bits + 20) and addresses are zero-extended.
//
// The name of a custom geometry is empty, so it prints as its split. Errors
// wrap vm.ErrInvalidConfig and say what was expected.
func ParseGeometry(s string) (vm.Geometry, error) {
	key := strings.ReplaceAll(strings.ToLower(strings.TrimSpace(s)), "_", "-")
	for _, g := range presets {
		if key == g.Name {
			return g, nil
		}
	}
	if !strings.Contains(key, "/") {
		return vm.Geometry{}, fmt.Errorf("addr: geometry %q: want x86-32, x86-64, x86-64-5level, textbook or a split like 9/9/9/9/12: %w",
			s, vm.ErrInvalidConfig)
	}
	parts := strings.Split(key, "/")
	if len(parts) < 2 || len(parts) > vm.MaxLevels+1 {
		return vm.Geometry{}, fmt.Errorf("addr: geometry %q: %d parts, want 2..%d (index bits per level, root first, then offset bits): %w",
			s, len(parts), vm.MaxLevels+1, vm.ErrInvalidConfig)
	}
	nums := make([]int, len(parts))
	for i, p := range parts {
		n, err := strconv.Atoi(strings.TrimSpace(p))
		if err != nil || n < 1 || n > 64 {
			return vm.Geometry{}, fmt.Errorf("addr: geometry %q: part %d is %q, want a number of bits 1..64: %w",
				s, i+1, p, vm.ErrInvalidConfig)
		}
		nums[i] = n
	}
	levels, offset := nums[:len(nums)-1], nums[len(nums)-1]
	va, entry := offset, 8
	for _, b := range levels {
		va += b
		if b+3 > offset {
			entry = 4
		}
	}
	pa, signExt := MaxPABits, va < 64
	if entry == 4 {
		pa, signExt = min(32, offset+20), false
	}
	return NewGeometry("", va, pa, offset, levels, entry, signExt)
}

// LevelName returns the conventional name of a page-table level: on x86-64
// geometries (8-byte entries, 9-bit levels, 4 KiB pages) PML5, PML4, PDPT,
// PD, PT; on any two-level geometry (x86-32, OSTEP's textbook machine) PD
// and PT, the page directory and the page table; otherwise "L<n>".
// Level 0 names the page offset ("offset").
func LevelName(g vm.Geometry, level int) string {
	if level == 0 {
		return "offset"
	}
	if level >= 1 && level <= int(g.Levels) && g.OffsetBits == 12 {
		// x86 levels fill exactly one 4 KiB frame: 512 8-byte or 1024 4-byte entries.
		full := 9
		if g.EntryBytes == 4 {
			full = 10
		}
		uniform := true
		for i := 0; i < int(g.Levels) && i < vm.MaxLevels; i++ {
			uniform = uniform && int(g.LevelBits[i]) == full
		}
		switch {
		case uniform && g.EntryBytes == 8:
			return [...]string{"PT", "PD", "PDPT", "PML4", "PML5"}[level-1]
		}
	}
	if g.Levels == 2 && level >= 1 && level <= 2 {
		return [...]string{"PT", "PD"}[level-1]
	}
	return "L" + strconv.Itoa(level)
}

package addrspec

import (
	"fmt"

	"pgregory.net/rapid"

	"github.com/vmkata/vmkata/vm"
)

// The model: address arithmetic written from the definitions, one bit at a
// time, with no masks or shifts of whole fields. It is slow and obviously
// right, which is what the implementation under test is compared against.

// bit returns bit i (0 = least significant) of v.
func bit(v uint64, i int) uint64 { return (v >> uint(i)) & 1 }

// field returns the width bits of v starting at bit lo, as a number.
func field(v uint64, lo, width int) uint64 {
	var out uint64
	for i := 0; i < width; i++ {
		out |= bit(v, lo+i) << uint(i)
	}
	return out
}

// modelCanonical reports whether va is acceptable in g: every bit from
// VABits up equals bit VABits-1 (sign-extended) or is zero (otherwise).
func modelCanonical(g vm.Geometry, va vm.VAddr) bool {
	want := uint64(0)
	if g.SignExtended {
		want = bit(uint64(va), int(g.VABits)-1)
	}
	for i := int(g.VABits); i < 64; i++ {
		if bit(uint64(va), i) != want {
			return false
		}
	}
	return true
}

// modelCanonicalize keeps the low VABits bits of va and rewrites every bit
// above them as modelCanonical requires.
func modelCanonicalize(g vm.Geometry, va vm.VAddr) vm.VAddr {
	fill := uint64(0)
	if g.SignExtended {
		fill = bit(uint64(va), int(g.VABits)-1)
	}
	out := field(uint64(va), 0, int(g.VABits))
	for i := int(g.VABits); i < 64; i++ {
		out |= fill << uint(i)
	}
	return vm.VAddr(out)
}

// modelSplit returns the VPN (bits OffsetBits..VABits-1) and the offset
// (bits 0..OffsetBits-1) of va.
func modelSplit(g vm.Geometry, va vm.VAddr) (vm.VPN, uint64) {
	return vm.VPN(field(uint64(va), int(g.OffsetBits), int(g.VABits-g.OffsetBits))),
		field(uint64(va), 0, int(g.OffsetBits))
}

// levelBits returns the index width of level (root = g.Levels, last = 1).
func levelBits(g vm.Geometry, level int) int { return int(g.LevelBits[int(g.Levels)-level]) }

// levelLow returns the lowest address bit of level's index: the offset bits
// plus the index bits of every level below it.
func levelLow(g vm.Geometry, level int) int {
	lo := int(g.OffsetBits)
	for l := 1; l < level; l++ {
		lo += levelBits(g, l)
	}
	return lo
}

// modelIndex returns va's index at level.
func modelIndex(g vm.Geometry, va vm.VAddr, level int) int {
	return int(field(uint64(va), levelLow(g, level), levelBits(g, level)))
}

// modelSpan returns the bytes one entry at level maps: 2 to the number of
// address bits below that level's index.
func modelSpan(g vm.Geometry, level int) vm.PageSize {
	span := vm.PageSize(1)
	for i := 0; i < levelLow(g, level); i++ {
		span *= 2
	}
	return span
}

// geometry is a drawn vm.Geometry that prints readably in rapid's log.
type geometry struct{ vm.Geometry }

func (g geometry) GoString() string {
	ext := "zero-extended"
	if g.SignExtended {
		ext = "sign-extended"
	}
	return fmt.Sprintf("%v, %d-bit VA, %d-byte entries, %s", g.Geometry, g.VABits, g.EntryBytes, ext)
}

var presets = []vm.Geometry{vm.X86_32, vm.X86_64, vm.X86_64_5Level, vm.Textbook}

// customGeometry draws a valid geometry from the invariants vm.Geometry
// states: 1..5 levels, each level's node fits in one frame, VABits < 64.
var customGeometry = rapid.Custom(func(t *rapid.T) geometry {
	entryBytes := rapid.SampledFrom([]int{4, 8}).Draw(t, "entry bytes")
	entryShift := 2
	if entryBytes == 8 {
		entryShift = 3
	}
	offset := rapid.IntRange(entryShift+1, 16).Draw(t, "offset bits")
	levels := rapid.IntRange(1, vm.MaxLevels).Draw(t, "levels")
	g := vm.Geometry{Name: "custom", OffsetBits: uint8(offset), Levels: uint8(levels), EntryBytes: uint8(entryBytes)}
	va := offset
	for i := 0; i < levels; i++ {
		b := rapid.IntRange(1, min(offset-entryShift, (63-offset)/levels)).Draw(t, "level bits")
		g.LevelBits[i] = uint8(b)
		va += b
	}
	g.VABits = uint8(va)
	maxPA := 52
	if entryBytes == 4 {
		maxPA = 32
	}
	g.PABits = uint8(min(maxPA, offset+20))
	g.SignExtended = rapid.Bool().Draw(t, "sign-extended")
	return geometry{g}
})

// geometries draws a preset or a custom geometry.
var geometries = rapid.OneOf(
	rapid.Map(rapid.SampledFrom(presets), func(g vm.Geometry) geometry { return geometry{g} }),
	customGeometry,
)

// address draws an address for g: usually a canonical one (random low bits,
// or near the edges of the address space), sometimes any 64-bit value.
func address(g vm.Geometry) *rapid.Generator[vm.VAddr] {
	top := uint64(1) << (g.VABits - 1)
	return rapid.OneOf(
		rapid.Custom(func(t *rapid.T) vm.VAddr {
			return modelCanonicalize(g, vm.VAddr(rapid.Uint64().Draw(t, "bits")))
		}),
		rapid.Custom(func(t *rapid.T) vm.VAddr {
			near := rapid.SampledFrom([]uint64{0, top, 2 * top, ^uint64(0) - top + 1}).Draw(t, "edge")
			return vm.VAddr(near + rapid.Uint64Range(0, 16).Draw(t, "above") - rapid.Uint64Range(0, 16).Draw(t, "below"))
		}),
		rapid.Map(rapid.Uint64(), func(v uint64) vm.VAddr { return vm.VAddr(v) }),
	)
}

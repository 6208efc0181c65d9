package addrspec

import (
	"errors"
	"fmt"
	"strings"

	"github.com/onsi/ginkgo/v2"

	"github.com/vmkata/vmkata/vm"
)

// splitCase is a worked example: an address, its VPN and offset, and its
// indices root level first.
type splitCase struct {
	what   string
	g      vm.Geometry
	va     vm.VAddr
	vpn    vm.VPN
	offset uint64
	idx    []int
}

// splitCases are the worked examples every implementation must reproduce.
var splitCases = []splitCase{
	{what: "x86-64: a user-space heap address", g: vm.X86_64, va: 0x0000_7f12_3456_7abc,
		vpn: 0x7f1234567, offset: 0xabc, idx: []int{254, 72, 418, 359}},
	{what: "x86-64: the classic ELF text start", g: vm.X86_64, va: 0x40_1000,
		vpn: 0x401, offset: 0, idx: []int{0, 0, 2, 1}},
	{what: "x86-64: the last byte below the canonical hole", g: vm.X86_64, va: 0x0000_7fff_ffff_ffff,
		vpn: 0x7ffffffff, offset: 0xfff, idx: []int{255, 511, 511, 511}},
	{what: "x86-64: the first kernel address", g: vm.X86_64, va: 0xffff_8000_0000_0000,
		vpn: 0x800000000, offset: 0, idx: []int{256, 0, 0, 0}},
	{what: "x86-64 5-level: the same heap address, one level more", g: vm.X86_64_5Level, va: 0x00ff_7f12_3456_7abc,
		vpn: 0xff7f1234567, offset: 0xabc, idx: []int{255, 254, 72, 418, 359}},
	{what: "x86-64 5-level: the first kernel address", g: vm.X86_64_5Level, va: 0xff00_0000_0000_0000,
		vpn: 0x100000000000, offset: 0, idx: []int{256, 0, 0, 0, 0}},
	{what: "x86-32: the 3G/1G kernel split", g: vm.X86_32, va: 0xc000_1234,
		vpn: 0xc0001, offset: 0x234, idx: []int{768, 1}},
	{what: "x86-32: the classic ELF text start", g: vm.X86_32, va: 0x0804_8000,
		vpn: 0x8048, offset: 0, idx: []int{32, 72}},
	{what: "textbook (OSTEP): its worked example", g: vm.Textbook, va: 0x3f80,
		vpn: 0xfe, offset: 0, idx: []int{15, 14}},
	{what: "textbook (OSTEP): the last byte", g: vm.Textbook, va: 0x3fff,
		vpn: 0xff, offset: 0x3f, idx: []int{15, 15}},
	{what: "uneven levels (5/7/9/12): each level has its own width", g: uneven, va: 0x1_2345_6789,
		vpn: 0x123456, offset: 0x789, idx: []int{18, 26, 86}},
	{what: "uneven levels (5/7/9/12): the last page", g: uneven, va: 0x1_ffff_f000,
		vpn: 0x1fffff, offset: 0, idx: []int{31, 127, 511}},
	{what: "64-bit addresses (10/10/10/10/10/14): the top bit is an address bit", g: full64, va: 0x8000_0000_0001_2345,
		vpn: 0x2000000000004, offset: 0x2345, idx: []int{512, 0, 0, 0, 4}},
}

// uneven is a geometry whose levels differ in width, so that a level's
// width read from the wrong end of LevelBits shows.
var uneven = vm.Geometry{Name: "uneven 5/7/9/12", VABits: 33, PABits: 40, OffsetBits: 12, Levels: 3,
	LevelBits: [vm.MaxLevels]uint8{5, 7, 9}, EntryBytes: 8}

// full64 translates all 64 address bits: every address is canonical, and a
// mask of VABits bits must not overflow.
var full64 = vm.Geometry{Name: "64-bit 10/10/10/10/10/14", VABits: 64, PABits: 52, OffsetBits: 14, Levels: 5,
	LevelBits: [vm.MaxLevels]uint8{10, 10, 10, 10, 10}, EntryBytes: 8}

// spanCase is how much one entry at a level maps.
type spanCase struct {
	g     vm.Geometry
	level int
	want  vm.PageSize
}

var spanCases = []spanCase{
	{vm.X86_64, 1, vm.Size4K}, {vm.X86_64, 2, vm.Size2M}, {vm.X86_64, 3, vm.Size1G}, {vm.X86_64, 4, 512 << 30},
	{vm.X86_64_5Level, 5, 256 << 40}, {vm.X86_32, 1, vm.Size4K}, {vm.X86_32, 2, 4 << 20},
	{vm.Textbook, 1, 64}, {vm.Textbook, 2, 1024},
	{uneven, 2, 2 << 20}, {uneven, 3, 256 << 20},
}

func describeTextbook(f Funcs) {
	entries := func(rule string) []ginkgo.TableEntry {
		var out []ginkgo.TableEntry
		for _, c := range splitCases {
			out = append(out, ginkgo.Entry(fmt.Sprintf("%s %v", c.what, c.va), ginkgo.Label(rule, "points:1"), c))
		}
		return out
	}

	ginkgo.DescribeTable("Split returns the VPN and the offset",
		func(c splitCase) {
			vpn, off, err := f.Split(c.g, c.va)
			if err != nil || vpn != c.vpn || off != c.offset {
				failf("Split(%v, %v) = %v, %#x, %v, want %v, %#x, nil", c.g, c.va, vpn, off, err, c.vpn, c.offset)
			}
		},
		entries("rule:01.split"))

	ginkgo.DescribeTable("Index returns each level's index, root level first",
		func(c splitCase) {
			got := make([]string, len(c.idx))
			ok := true
			for i, want := range c.idx {
				level := int(c.g.Levels) - i
				idx, err := f.Index(c.g, c.va, level)
				got[i] = fmt.Sprint(idx)
				if err != nil {
					got[i] = err.Error()
				}
				ok = ok && err == nil && idx == want
			}
			if !ok {
				failf("Index(%v, %v, level) for levels %d..1 = [%s], want %v", c.g, c.va, c.g.Levels, strings.Join(got, " "), c.idx)
			}
		},
		entries("rule:01.index"))

	ginkgo.DescribeTable("Join puts the VPN and the offset back together",
		func(c splitCase) {
			va, err := f.Join(c.g, c.vpn, c.offset)
			if err != nil || va != c.va {
				failf("Join(%v, %v, %#x) = %v, %v, want %v, nil", c.g, c.vpn, c.offset, va, err, c.va)
			}
		},
		entries("rule:01.join"))

	var spans []ginkgo.TableEntry
	for _, c := range spanCases {
		spans = append(spans, ginkgo.Entry(fmt.Sprintf("%v level %d maps %v", c.g, c.level, c.want), ginkgo.Label("rule:01.level-span", "points:1"), c))
	}
	ginkgo.DescribeTable("LevelSpan is what one entry at a level maps",
		func(c spanCase) {
			got, err := f.LevelSpan(c.g, c.level)
			if err != nil || got != c.want {
				failf("LevelSpan(%v, %d) = %v, %v, want %v, nil", c.g, c.level, got, err, c.want)
			}
		},
		spans)

	ginkgo.It("Index refuses levels outside 1..Levels", ginkgo.Label("rule:01.index-level-range", "points:1"), func() {
		for _, c := range badLevels {
			if idx, err := f.Index(c.g, 0x1000, c.level); !errors.Is(err, vm.ErrOutOfRange) {
				failf("Index(%v, 0x1000, %d) = %d, %v, want an error wrapping %q", c.g, c.level, idx, err, vm.ErrOutOfRange)
			}
		}
	})

	ginkgo.It("LevelSpan refuses levels outside 1..Levels", ginkgo.Label("rule:01.span-level-range", "points:1"), func() {
		for _, c := range badLevels {
			if span, err := f.LevelSpan(c.g, c.level); !errors.Is(err, vm.ErrOutOfRange) {
				failf("LevelSpan(%v, %d) = %v, %v, want an error wrapping %q", c.g, c.level, span, err, vm.ErrOutOfRange)
			}
		}
	})

	ginkgo.It("Join refuses a VPN or an offset too wide for the geometry", ginkgo.Label("rule:01.join-range", "points:1"), func() {
		for _, c := range []struct {
			g      vm.Geometry
			vpn    vm.VPN
			offset uint64
		}{
			{vm.X86_64, 1 << 36, 0}, {vm.X86_64, 0, 0x1000}, {vm.X86_32, 1 << 20, 0}, {vm.Textbook, 0, 64},
			{vm.Textbook, 1 << 8, 0}, {uneven, 1 << 21, 0}, {full64, 0, 1 << 14},
		} {
			if va, err := f.Join(c.g, c.vpn, c.offset); !errors.Is(err, vm.ErrOutOfRange) {
				failf("Join(%v, %v, %#x) = %v, %v, want an error wrapping %q", c.g, c.vpn, c.offset, va, err, vm.ErrOutOfRange)
			}
		}
	})
}

// badLevels are levels each geometry does not have.
var badLevels = []struct {
	g     vm.Geometry
	level int
}{{vm.X86_64, 0}, {vm.X86_64, 5}, {vm.X86_64, -1}, {vm.X86_32, 3}, {uneven, 4}, {vm.X86_64_5Level, 6}}

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
}

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
}

func describeTextbook(f Funcs) {
	entries := func(points string) []ginkgo.TableEntry {
		var out []ginkgo.TableEntry
		for _, c := range splitCases {
			out = append(out, ginkgo.Entry(fmt.Sprintf("%s %v", c.what, c.va), ginkgo.Label(points), c))
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
		entries("points:1"))

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
		entries("points:1"))

	ginkgo.DescribeTable("Join puts the VPN and the offset back together",
		func(c splitCase) {
			va, err := f.Join(c.g, c.vpn, c.offset)
			if err != nil || va != c.va {
				failf("Join(%v, %v, %#x) = %v, %v, want %v, nil", c.g, c.vpn, c.offset, va, err, c.va)
			}
		},
		entries("points:1"))

	var spans []ginkgo.TableEntry
	for _, c := range spanCases {
		spans = append(spans, ginkgo.Entry(fmt.Sprintf("%v level %d maps %v", c.g, c.level, c.want), ginkgo.Label("points:1"), c))
	}
	ginkgo.DescribeTable("LevelSpan is what one entry at a level maps",
		func(c spanCase) {
			got, err := f.LevelSpan(c.g, c.level)
			if err != nil || got != c.want {
				failf("LevelSpan(%v, %d) = %v, %v, want %v, nil", c.g, c.level, got, err, c.want)
			}
		},
		spans)

	ginkgo.It("refuses levels outside 1..Levels", ginkgo.Label("points:1"), func() {
		for _, level := range []int{0, 5, -1} {
			if idx, err := f.Index(vm.X86_64, 0x1000, level); !errors.Is(err, vm.ErrOutOfRange) {
				failf("Index(%v, 0x1000, %d) = %d, %v, want an error wrapping %q", vm.X86_64, level, idx, err, vm.ErrOutOfRange)
			}
			if span, err := f.LevelSpan(vm.X86_64, level); !errors.Is(err, vm.ErrOutOfRange) {
				failf("LevelSpan(%v, %d) = %v, %v, want an error wrapping %q", vm.X86_64, level, span, err, vm.ErrOutOfRange)
			}
		}
	})

	ginkgo.It("refuses a VPN or an offset too wide for the geometry", ginkgo.Label("points:1"), func() {
		for _, c := range []struct {
			g      vm.Geometry
			vpn    vm.VPN
			offset uint64
		}{
			{vm.X86_64, 1 << 36, 0}, {vm.X86_64, 0, 0x1000}, {vm.X86_32, 1 << 20, 0}, {vm.Textbook, 0, 64},
		} {
			if va, err := f.Join(c.g, c.vpn, c.offset); !errors.Is(err, vm.ErrOutOfRange) {
				failf("Join(%v, %v, %#x) = %v, %v, want an error wrapping %q", c.g, c.vpn, c.offset, va, err, vm.ErrOutOfRange)
			}
		}
	})
}

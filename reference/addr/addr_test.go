package addr_test

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/vmkata/vmkata/reference/addr"
	"github.com/vmkata/vmkata/vm"
)

func TestValidatePresets(t *testing.T) {
	for _, g := range []vm.Geometry{vm.X86_32, vm.X86_64, vm.X86_64_5Level, vm.Textbook} {
		if err := addr.Validate(g); err != nil {
			t.Errorf("Validate(%v) = %v, want nil", g, err)
		}
	}
}

func TestValidateRejects(t *testing.T) {
	mod := func(f func(g *vm.Geometry)) vm.Geometry {
		g := vm.X86_64
		f(&g)
		return g
	}
	tests := []struct {
		name string
		g    vm.Geometry
		says string // a fragment the message must contain
	}{
		{name: "zero value", g: vm.Geometry{}, says: "0 levels"},
		{name: "too many levels", g: mod(func(g *vm.Geometry) { g.Levels = 6 }), says: "6 levels"},
		{name: "bits do not add up", g: mod(func(g *vm.Geometry) { g.VABits = 47 }), says: "want VABits 47"},
		{name: "entry size", g: mod(func(g *vm.Geometry) { g.EntryBytes = 16 }), says: "16-byte entries"},
		{name: "node does not fit a frame", g: mod(func(g *vm.Geometry) { g.LevelBits[3] = 10; g.OffsetBits = 11 }), says: "does not fit"},
		{name: "zero-bit level", g: mod(func(g *vm.Geometry) { g.LevelBits[0] = 0; g.VABits = 39 }), says: "0 index bits"},
		{name: "unused level bits set", g: mod(func(g *vm.Geometry) { g.LevelBits[4] = 9; g.VABits = 57 }), says: "beyond 4 levels"},
		{name: "PABits too wide", g: mod(func(g *vm.Geometry) { g.PABits = 53 }), says: "PABits 53"},
		{name: "PABits below a page", g: mod(func(g *vm.Geometry) { g.PABits = 11 }), says: "PABits 11"},
		{name: "4-byte entries with 36-bit PA", g: func() vm.Geometry { g := vm.X86_32; g.PABits = 36; return g }(), says: "PABits 36"},
		{name: "textbook frame field", g: func() vm.Geometry { g := vm.Textbook; g.PABits = 27; return g }(), says: "frame numbers of 21 bits"},
		{name: "sign-extended 64-bit", g: vm.Geometry{VABits: 64, PABits: 52, OffsetBits: 14, Levels: 5,
			LevelBits: [5]uint8{10, 10, 10, 10, 10}, EntryBytes: 8, SignExtended: true}, says: "VABits < 64"},
		{name: "VABits above 64", g: vm.Geometry{VABits: 70, PABits: 32, OffsetBits: 14, Levels: 5,
			LevelBits: [5]uint8{12, 12, 12, 10, 10}, EntryBytes: 4}, says: "at most 64"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := addr.Validate(tt.g)
			if !errors.Is(err, vm.ErrInvalidConfig) {
				t.Fatalf("Validate(%+v) = %v, want ErrInvalidConfig", tt.g, err)
			}
			if !strings.Contains(err.Error(), tt.says) {
				t.Errorf("Validate(%+v) = %q, want it to say %q", tt.g, err, tt.says)
			}
		})
	}
}

func TestNewGeometry(t *testing.T) {
	g, err := addr.NewGeometry("sv39", 39, 52, 12, []int{9, 9, 9}, 8, true)
	if err != nil {
		t.Fatalf("NewGeometry(sv39) = %v", err)
	}
	want := vm.Geometry{Name: "sv39", VABits: 39, PABits: 52, OffsetBits: 12, Levels: 3,
		LevelBits: [5]uint8{9, 9, 9}, EntryBytes: 8, SignExtended: true}
	if g != want {
		t.Errorf("NewGeometry(sv39) = %+v, want %+v", g, want)
	}
	for _, c := range []struct {
		name              string
		va, pa, off, entr int
		levels            []int
	}{
		{name: "no levels", va: 12, pa: 32, off: 12, entr: 4},
		{name: "six levels", va: 66, pa: 32, off: 12, entr: 8, levels: []int{9, 9, 9, 9, 9, 9}},
		{name: "negative", va: -1, pa: 32, off: 12, entr: 4, levels: []int{10, 10}},
		{name: "huge level", va: 32, pa: 32, off: 12, entr: 4, levels: []int{300, 10}},
		{name: "sum mismatch", va: 33, pa: 32, off: 12, entr: 4, levels: []int{10, 10}},
	} {
		if g, err := addr.NewGeometry(c.name, c.va, c.pa, c.off, c.levels, c.entr, false); !errors.Is(err, vm.ErrInvalidConfig) {
			t.Errorf("NewGeometry(%s) = %v, %v, want ErrInvalidConfig", c.name, g, err)
		}
	}
}

func TestParseGeometry(t *testing.T) {
	tests := []struct {
		in   string
		want vm.Geometry
	}{
		{in: "x86-64", want: vm.X86_64},
		{in: " X86_64 ", want: vm.X86_64},
		{in: "x86-64-5level", want: vm.X86_64_5Level},
		{in: "x86-32", want: vm.X86_32},
		{in: "Textbook", want: vm.Textbook},
		{in: "9/9/9/9/12", want: vm.Geometry{VABits: 48, PABits: 52, OffsetBits: 12, Levels: 4,
			LevelBits: [5]uint8{9, 9, 9, 9}, EntryBytes: 8, SignExtended: true}},
		{in: "10/10/12", want: vm.Geometry{VABits: 32, PABits: 32, OffsetBits: 12, Levels: 2,
			LevelBits: [5]uint8{10, 10}, EntryBytes: 4}},
		{in: "4/4/6", want: vm.Geometry{VABits: 14, PABits: 26, OffsetBits: 6, Levels: 2,
			LevelBits: [5]uint8{4, 4}, EntryBytes: 4}},
		{in: "20/12", want: vm.Geometry{VABits: 32, PABits: 32, OffsetBits: 12, Levels: 1,
			LevelBits: [5]uint8{20}, EntryBytes: 4}}, // a linear table; its node does not fit a frame
	}
	for _, tt := range tests {
		got, err := addr.ParseGeometry(tt.in)
		if tt.in == "20/12" {
			if !errors.Is(err, vm.ErrInvalidConfig) {
				t.Errorf("ParseGeometry(%q) = %v, %v, want ErrInvalidConfig (a 2^20-entry node is bigger than a frame)", tt.in, got, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseGeometry(%q) = %+v, %v, want %+v, nil", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{"", "x86", "9/9/9/9/9/9/12", "9//12", "9/x/12", "12", "/", "0/12", "9/9/-12"} {
		if g, err := addr.ParseGeometry(bad); !errors.Is(err, vm.ErrInvalidConfig) || !strings.Contains(err.Error(), strconv.Quote(bad)) {
			t.Errorf("ParseGeometry(%q) = %v, %v, want ErrInvalidConfig quoting the input", bad, g, err)
		}
	}
}

func TestParseVAddr(t *testing.T) {
	tests := []struct {
		in   string
		want vm.VAddr
		err  error
	}{
		{in: "0x7fff_ffff_f000", want: 0x7ffffffff000},
		{in: "0X1000", want: 0x1000},
		{in: "0xFFFFffffFFFFffff", want: 0xffffffffffffffff},
		{in: "4096", want: 4096},
		{in: "1_000_000", want: 1000000},
		{in: " 0x10 ", want: 16},
		{in: "010", want: 10},
		{in: "0", want: 0},
		{in: "0b1010", want: 10},
		{in: "0o17", want: 15},
		{in: "0x_ff", want: 255},
		{in: "0x1_0000_0000_0000_0000", err: vm.ErrOutOfRange},
		{in: "18446744073709551616", err: vm.ErrOutOfRange},
		{in: "", err: strconv.ErrSyntax},
		{in: "0x", err: strconv.ErrSyntax},
		{in: "0xg", err: strconv.ErrSyntax},
		{in: "-1", err: strconv.ErrSyntax},
		{in: "+1", err: strconv.ErrSyntax},
		{in: "_1", err: strconv.ErrSyntax},
		{in: "1_", err: strconv.ErrSyntax},
		{in: "1__0", err: strconv.ErrSyntax},
		{in: "0x__1", err: strconv.ErrSyntax},
		{in: "12abc", err: strconv.ErrSyntax},
		{in: "0b102", err: strconv.ErrSyntax},
	}
	for _, tt := range tests {
		got, err := addr.ParseVAddr(tt.in)
		if tt.err != nil {
			if !errors.Is(err, tt.err) || !strings.Contains(err.Error(), strconv.Quote(tt.in)) {
				t.Errorf("ParseVAddr(%q) = %v, %v, want an error wrapping %v quoting the input", tt.in, got, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseVAddr(%q) = %v, %v, want %v, nil", tt.in, got, err, tt.want)
		}
	}
}

func TestSplitAndIndices(t *testing.T) {
	tests := []struct {
		g      vm.Geometry
		va     vm.VAddr
		vpn    vm.VPN
		offset uint64
		idx    []int
	}{
		{g: vm.X86_64, va: 0x00007f1234567abc, vpn: 0x7f1234567, offset: 0xabc, idx: []int{254, 72, 418, 359}},
		{g: vm.X86_64, va: 0xffff800000000000, vpn: 0x800000000, offset: 0, idx: []int{256, 0, 0, 0}},
		{g: vm.X86_64, va: 0xffffffffffffffff, vpn: 0xfffffffff, offset: 0xfff, idx: []int{511, 511, 511, 511}},
		{g: vm.X86_64_5Level, va: 0x00ff7f1234567abc, vpn: 0xff7f1234567, offset: 0xabc, idx: []int{255, 254, 72, 418, 359}},
		{g: vm.X86_64_5Level, va: 0xff00000000000000, vpn: 0x100000000000, offset: 0, idx: []int{256, 0, 0, 0, 0}},
		{g: vm.X86_32, va: 0xc0001234, vpn: 0xc0001, offset: 0x234, idx: []int{768, 1}},
		{g: vm.Textbook, va: 0x3f80, vpn: 0xfe, offset: 0, idx: []int{15, 14}},
	}
	for _, tt := range tests {
		vpn, off, err := addr.Split(tt.g, tt.va)
		if err != nil || vpn != tt.vpn || off != tt.offset {
			t.Errorf("Split(%v, %v) = %v, %#x, %v, want %v, %#x, nil", tt.g, tt.va, vpn, off, err, tt.vpn, tt.offset)
		}
		idx, err := addr.Indices(tt.g, tt.va)
		if err != nil || !equalInts(idx[:tt.g.Levels], tt.idx) {
			t.Errorf("Indices(%v, %v) = %v, %v, want %v, nil", tt.g, tt.va, idx[:tt.g.Levels], err, tt.idx)
		}
		for i, want := range tt.idx {
			level := int(tt.g.Levels) - i
			if got, err := addr.Index(tt.g, tt.va, level); err != nil || got != want {
				t.Errorf("Index(%v, %v, %d) = %d, %v, want %d, nil", tt.g, tt.va, level, got, err, want)
			}
		}
		if back, err := addr.Join(tt.g, vpn, off); err != nil || back != tt.va {
			t.Errorf("Join(%v, %v, %#x) = %v, %v, want %v, nil", tt.g, vpn, off, back, err, tt.va)
		}
	}
}

func equalInts(a []int, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestSplitRejects(t *testing.T) {
	tests := []struct {
		g    vm.Geometry
		va   vm.VAddr
		want error
	}{
		{g: vm.X86_64, va: 0x0000800000000000, want: vm.ErrNonCanonical},
		{g: vm.X86_64, va: 0xfff0000000000000, want: vm.ErrNonCanonical},
		{g: vm.X86_64_5Level, va: 0x0100000000000000, want: vm.ErrNonCanonical},
		{g: vm.X86_32, va: 0x100000000, want: vm.ErrOutOfRange},
		{g: vm.Textbook, va: 0x4000, want: vm.ErrOutOfRange},
		{g: vm.Geometry{}, va: 0, want: vm.ErrInvalidConfig},
	}
	for _, tt := range tests {
		if vpn, off, err := addr.Split(tt.g, tt.va); !errors.Is(err, tt.want) {
			t.Errorf("Split(%v, %v) = %v, %#x, %v, want %v", tt.g, tt.va, vpn, off, err, tt.want)
		}
		if _, err := addr.Index(tt.g, tt.va, 1); !errors.Is(err, tt.want) {
			t.Errorf("Index(%v, %v, 1) error = %v, want %v", tt.g, tt.va, err, tt.want)
		}
		if _, err := addr.Indices(tt.g, tt.va); !errors.Is(err, tt.want) {
			t.Errorf("Indices(%v, %v) error = %v, want %v", tt.g, tt.va, err, tt.want)
		}
	}
	for _, level := range []int{0, 5, -1} {
		if _, err := addr.Index(vm.X86_64, 0, level); !errors.Is(err, vm.ErrOutOfRange) {
			t.Errorf("Index(x86-64, 0, %d) error = %v, want ErrOutOfRange", level, err)
		}
		if _, err := addr.LevelSpan(vm.X86_64, level); !errors.Is(err, vm.ErrOutOfRange) {
			t.Errorf("LevelSpan(x86-64, %d) error = %v, want ErrOutOfRange", level, err)
		}
	}
	if _, err := addr.Join(vm.X86_64, 1<<36, 0); !errors.Is(err, vm.ErrOutOfRange) {
		t.Errorf("Join(x86-64, vpn 1<<36, 0) error = %v, want ErrOutOfRange", err)
	}
	if _, err := addr.Join(vm.X86_64, 0, 4096); !errors.Is(err, vm.ErrOutOfRange) {
		t.Errorf("Join(x86-64, 0, 4096) error = %v, want ErrOutOfRange", err)
	}
}

func TestCanonical(t *testing.T) {
	tests := []struct {
		g           vm.Geometry
		va, want    vm.VAddr
		isCanonical bool
	}{
		{g: vm.X86_64, va: 0x00007fffffffffff, want: 0x00007fffffffffff, isCanonical: true},
		{g: vm.X86_64, va: 0x0000800000000000, want: 0xffff800000000000},
		{g: vm.X86_64, va: 0xffff800000000000, want: 0xffff800000000000, isCanonical: true},
		{g: vm.X86_64, va: 0x8000000000000000, want: 0},
		{g: vm.X86_64_5Level, va: 0x0100000000000000, want: 0xff00000000000000},
		{g: vm.X86_32, va: 0x1_c000_1234, want: 0xc0001234},
		{g: vm.X86_32, va: 0xffffffff, want: 0xffffffff, isCanonical: true},
	}
	for _, tt := range tests {
		if got := addr.Canonical(tt.g, tt.va); got != tt.want {
			t.Errorf("Canonical(%v, %v) = %v, want %v", tt.g, tt.va, got, tt.want)
		}
		if got := addr.IsCanonical(tt.g, tt.va); got != tt.isCanonical {
			t.Errorf("IsCanonical(%v, %v) = %v, want %v", tt.g, tt.va, got, tt.isCanonical)
		}
	}
}

func TestLevelSpan(t *testing.T) {
	tests := []struct {
		g     vm.Geometry
		level int
		want  vm.PageSize
	}{
		{vm.X86_64, 1, vm.Size4K}, {vm.X86_64, 2, vm.Size2M}, {vm.X86_64, 3, vm.Size1G}, {vm.X86_64, 4, 512 << 30},
		{vm.X86_64_5Level, 5, 256 << 40},
		{vm.X86_32, 1, vm.Size4K}, {vm.X86_32, 2, 4 << 20},
		{vm.Textbook, 1, 64}, {vm.Textbook, 2, 1024},
	}
	for _, tt := range tests {
		if got, err := addr.LevelSpan(tt.g, tt.level); err != nil || got != tt.want {
			t.Errorf("LevelSpan(%v, %d) = %v, %v, want %v, nil", tt.g, tt.level, got, err, tt.want)
		}
	}
}

func TestAlignment(t *testing.T) {
	tests := []struct {
		va            vm.VAddr
		size          vm.PageSize
		offset        uint64
		down, up      vm.VAddr
		upOK, aligned bool
	}{
		{va: 0x1234, size: vm.Size4K, offset: 0x234, down: 0x1000, up: 0x2000, upOK: true},
		{va: 0x2000, size: vm.Size4K, offset: 0, down: 0x2000, up: 0x2000, upOK: true, aligned: true},
		{va: 0x00007f1234567abc, size: vm.Size2M, offset: 0x167abc, down: 0x00007f1234400000, up: 0x00007f1234600000, upOK: true},
		{va: 0xfffffffffffff001, size: vm.Size4K, offset: 1, down: 0xfffffffffffff000, up: 0, upOK: false},
		{va: 0x1234, size: 3000, offset: 0x1234 & 2999, down: 0x1234 &^ 2999, up: 0, upOK: false},
	}
	for _, tt := range tests {
		if got := addr.PageOffset(tt.va, tt.size); got != tt.offset {
			t.Errorf("PageOffset(%v, %v) = %#x, want %#x", tt.va, tt.size, got, tt.offset)
		}
		if got := addr.AlignDown(tt.va, tt.size); got != tt.down {
			t.Errorf("AlignDown(%v, %v) = %v, want %v", tt.va, tt.size, got, tt.down)
		}
		if got, ok := addr.AlignUp(tt.va, tt.size); got != tt.up || ok != tt.upOK {
			t.Errorf("AlignUp(%v, %v) = %v, %v, want %v, %v", tt.va, tt.size, got, ok, tt.up, tt.upOK)
		}
		if got := addr.IsAligned(tt.va, tt.size); got != tt.aligned {
			t.Errorf("IsAligned(%v, %v) = %v, want %v", tt.va, tt.size, got, tt.aligned)
		}
	}
}

func TestLevelName(t *testing.T) {
	tests := []struct {
		g     vm.Geometry
		level int
		want  string
	}{
		{vm.X86_64, 4, "PML4"}, {vm.X86_64, 1, "PT"}, {vm.X86_64_5Level, 5, "PML5"}, {vm.X86_64, 3, "PDPT"},
		{vm.X86_32, 2, "PD"}, {vm.Textbook, 1, "PT"}, {vm.X86_64, 0, "offset"}, {vm.X86_64, 7, "L7"},
		{vm.Geometry{VABits: 39, PABits: 52, OffsetBits: 12, Levels: 3, LevelBits: [5]uint8{9, 9, 9}, EntryBytes: 8}, 3, "PDPT"},
		{vm.Geometry{VABits: 20, PABits: 20, OffsetBits: 8, Levels: 3, LevelBits: [5]uint8{4, 4, 4}, EntryBytes: 4}, 3, "L3"},
	}
	for _, tt := range tests {
		if got := addr.LevelName(tt.g, tt.level); got != tt.want {
			t.Errorf("LevelName(%v, %d) = %q, want %q", tt.g, tt.level, got, tt.want)
		}
	}
}

func TestHotPathsAllocateNothing(t *testing.T) {
	var sink int
	allocs := testing.AllocsPerRun(100, func() {
		vpn, off, _ := addr.Split(vm.X86_64, 0x00007f1234567abc)
		i, _ := addr.Index(vm.X86_64, 0x00007f1234567abc, 2)
		idx, _ := addr.Indices(vm.X86_64_5Level, 0x00ff7f1234567abc)
		sink += int(vpn) + int(off) + i + idx[0]
	})
	if allocs != 0 {
		t.Errorf("Split/Index/Indices allocate %v times per run, want 0", allocs)
	}
	_ = sink
}

func BenchmarkSplit(b *testing.B) {
	var sink vm.VPN
	for b.Loop() {
		vpn, _, _ := addr.Split(vm.X86_64, 0x00007f1234567abc)
		sink += vpn
	}
	_ = sink
}

func BenchmarkIndices(b *testing.B) {
	var sink int
	for b.Loop() {
		idx, _ := addr.Indices(vm.X86_64, 0x00007f1234567abc)
		sink += idx[3]
	}
	_ = sink
}

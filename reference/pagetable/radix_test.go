package pagetable

import (
	"errors"
	"slices"
	"testing"

	"github.com/vmkata/vmkata/reference/phys"
	"github.com/vmkata/vmkata/vm"
)

// newTestRadix builds a table for g over frames frames of memory, with an
// allocator of allocFrames frames (the first allocFrames frames of memory).
func newTestRadix(t testing.TB, g vm.Geometry, frames, allocFrames int) (*Radix, *phys.Memory, *phys.FreeList) {
	t.Helper()
	mem, err := phys.NewMemory(frames, g.PageSize())
	if err != nil {
		t.Fatalf("NewMemory(%d, %v): %v", frames, g.PageSize(), err)
	}
	fl, err := phys.NewFreeList(allocFrames)
	if err != nil {
		t.Fatalf("NewFreeList(%d): %v", allocFrames, err)
	}
	pt, err := NewRadix(g, mem, fl)
	if err != nil {
		t.Fatalf("NewRadix(%v): %v", g, err)
	}
	return pt, mem, fl
}

func user(p vm.Perm) vm.Perm { return p | vm.PermUser }

func TestRadixMapWalkUnmap(t *testing.T) {
	pt, _, fl := newTestRadix(t, vm.X86_64, 64, 64)
	free := fl.FreeFrames()
	m := vm.Mapping{VA: 0x7fff_ffff_f000, PFN: 0x2a, Size: vm.Size4K, Perm: user(vm.PermRW)}
	if err := pt.Map(m); err != nil {
		t.Fatalf("Map(%v) = %v, want nil", m, err)
	}
	if got, want := pt.TablePages(), 4; got != want {
		t.Errorf("TablePages() = %d, want %d", got, want)
	}
	w, err := pt.Walk(0x7fff_ffff_f123)
	if err != nil || !w.Present() || w.Steps != 4 || w.Leaf().PFN() != 0x2a || w.Perm != m.Perm {
		t.Fatalf("Walk = %v, %v; want a 4-step walk to pfn 0x2a %v", w, err, m.Perm)
	}
	if w.Reads[0] != pt.Root()+255*8 {
		t.Errorf("Walk.Reads[0] = %v, want root %v + 255*8", w.Reads[0], pt.Root())
	}
	for i, idx := range []uint64{255, 511, 511, 511} {
		table := w.Reads[i] &^ 0xfff
		if w.Reads[i] != table+vm.PAddr(idx*8) {
			t.Errorf("Walk.Reads[%d] = %v, want index %d in its table", i, w.Reads[i], idx)
		}
		if i > 0 && table != vm.PAddr(w.Entries[i-1].PFN())<<12 {
			t.Errorf("Walk.Reads[%d] = %v, not in the table entry %d points at (%v)", i, w.Reads[i], i-1, w.Entries[i-1])
		}
	}
	got, err := pt.Unmap(0x7fff_ffff_f800)
	if err != nil || got != m {
		t.Fatalf("Unmap = %v, %v; want %v, nil", got, err, m)
	}
	if fl.FreeFrames() != free || pt.TablePages() != 1 {
		t.Errorf("after Unmap: FreeFrames() = %d, TablePages() = %d; want %d, 1", fl.FreeFrames(), pt.TablePages(), free)
	}
	if _, err := pt.Unmap(0x7fff_ffff_f000); !errors.Is(err, vm.ErrNotMapped) {
		t.Errorf("second Unmap = %v, want ErrNotMapped", err)
	}
}

func TestRadixMapErrors(t *testing.T) {
	huge2M := vm.Mapping{VA: 0x4000_0000, PFN: 0x200, Size: vm.Size2M, Perm: vm.PermRW}
	small := vm.Mapping{VA: 0x4010_0000, PFN: 0x1, Size: vm.Size4K, Perm: vm.PermRW}
	tests := []struct {
		name     string
		g        vm.Geometry
		existing []vm.Mapping
		m        vm.Mapping
		want     error
	}{
		{name: "misaligned VA", g: vm.X86_64, m: vm.Mapping{VA: 0x1234, PFN: 1, Size: vm.Size4K, Perm: vm.PermRead}, want: vm.ErrNotAligned},
		{name: "misaligned 2M VA", g: vm.X86_64, m: vm.Mapping{VA: 0x1000, PFN: 0x200, Size: vm.Size2M, Perm: vm.PermRead}, want: vm.ErrNotAligned},
		{name: "misaligned 2M PFN", g: vm.X86_64, m: vm.Mapping{VA: 0x20_0000, PFN: 0x201, Size: vm.Size2M, Perm: vm.PermRead}, want: vm.ErrNotAligned},
		{name: "write without read", g: vm.X86_64, m: vm.Mapping{VA: 0x1000, PFN: 1, Size: vm.Size4K, Perm: vm.PermWrite}, want: vm.ErrBadPermission},
		{name: "PROT_NONE", g: vm.X86_64, m: vm.Mapping{VA: 0x1000, PFN: 1, Size: vm.Size4K}, want: vm.ErrBadPermission},
		{name: "non-canonical", g: vm.X86_64, m: vm.Mapping{VA: 0x8000_0000_0000, PFN: 1, Size: vm.Size4K, Perm: vm.PermRead}, want: vm.ErrNonCanonical},
		{name: "beyond 32 bits", g: vm.X86_32, m: vm.Mapping{VA: 1 << 32, PFN: 1, Size: vm.Size4K, Perm: vm.PermRead}, want: vm.ErrOutOfRange},
		{name: "frame beyond PABits", g: vm.X86_64, m: vm.Mapping{VA: 0x1000, PFN: 1 << 40, Size: vm.Size4K, Perm: vm.PermRead}, want: vm.ErrOutOfRange},
		{name: "512G page", g: vm.X86_64, m: vm.Mapping{VA: 0, PFN: 0, Size: 1 << 39, Perm: vm.PermRead}, want: vm.ErrInvalidConfig},
		{name: "4M page on x86-32", g: vm.X86_32, m: vm.Mapping{VA: 0, PFN: 0, Size: 4 << 20, Perm: vm.PermRead}, want: vm.ErrInvalidConfig},
		{name: "double map", g: vm.X86_64, existing: []vm.Mapping{small}, m: small, want: vm.ErrAlreadyMapped},
		{name: "4K inside 2M", g: vm.X86_64, existing: []vm.Mapping{huge2M}, m: small, want: vm.ErrAlreadyMapped},
		{name: "2M over a 4K", g: vm.X86_64, existing: []vm.Mapping{small}, m: huge2M, want: vm.ErrAlreadyMapped},
		{name: "1G over a 2M", g: vm.X86_64, existing: []vm.Mapping{huge2M},
			m: vm.Mapping{VA: 0x4000_0000, PFN: 0x4_0000, Size: vm.Size1G, Perm: vm.PermRead}, want: vm.ErrAlreadyMapped},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pt, _, fl := newTestRadix(t, tt.g, 64, 64)
			for _, m := range tt.existing {
				if err := pt.Map(m); err != nil {
					t.Fatalf("Map(%v) = %v", m, err)
				}
			}
			pages, free := pt.TablePages(), fl.FreeFrames()
			if err := pt.Map(tt.m); !errors.Is(err, tt.want) {
				t.Fatalf("Map(%v) = %v, want %v", tt.m, err, tt.want)
			}
			if pt.TablePages() != pages || fl.FreeFrames() != free {
				t.Errorf("failed Map(%v) changed TablePages %d -> %d, FreeFrames %d -> %d", tt.m, pages, pt.TablePages(), free, fl.FreeFrames())
			}
			if got := slices.Collect(pt.Mappings()); !slices.Equal(got, tt.existing) {
				t.Errorf("Mappings() after failed Map = %v, want %v", got, tt.existing)
			}
		})
	}
}

func TestRadixOutOfMemoryLeavesTableUnchanged(t *testing.T) {
	// Three allocatable frames: the root and two more; a first 4K mapping
	// needs three intermediate tables on x86-64.
	pt, mem, fl := newTestRadix(t, vm.X86_64, 16, 3)
	m := vm.Mapping{VA: 0x40_0000, PFN: 9, Size: vm.Size4K, Perm: vm.PermRead}
	if err := pt.Map(m); !errors.Is(err, vm.ErrOutOfMemory) {
		t.Fatalf("Map(%v) with 2 free frames = %v, want ErrOutOfMemory", m, err)
	}
	if pt.TablePages() != 1 || fl.FreeFrames() != 2 {
		t.Errorf("after failed Map: TablePages() = %d, FreeFrames() = %d; want 1, 2", pt.TablePages(), fl.FreeFrames())
	}
	root, _ := mem.Frame(vm.PFN(pt.Root() >> 12))
	if i := slices.IndexFunc(root, func(b byte) bool { return b != 0 }); i >= 0 {
		t.Errorf("root table byte %d = %#x after failed Map, want all zero", i, root[i])
	}
	// A 1G page needs only a PDPT: it fits.
	g := vm.Mapping{VA: 0x4000_0000, PFN: 0x4_0000, Size: vm.Size1G, Perm: vm.PermRead}
	if err := pt.Map(g); err != nil {
		t.Errorf("Map(%v) = %v, want nil", g, err)
	}
}

func TestRadixReservedBits(t *testing.T) {
	g39 := vm.X86_64
	g39.Name, g39.PABits = "x86-64/39", 39
	tests := []struct {
		name  string
		g     vm.Geometry
		level int    // level whose entry is overwritten: root = g.Levels
		entry vm.PTE // written at the entry for va
		steps int    // entries the partial walk holds
	}{
		{name: "PS in PML4", g: vm.X86_64, level: 4, entry: vm.MakePTE(0, intermediate|vm.PTEHuge), steps: 1},
		{name: "PS in PML5", g: vm.X86_64_5Level, level: 5, entry: vm.MakePTE(0, intermediate|vm.PTEHuge), steps: 1},
		{name: "PS in a 5-level PML4", g: vm.X86_64_5Level, level: 4, entry: vm.MakePTE(0, intermediate|vm.PTEHuge), steps: 2},
		{name: "PS in an x86-32 PDE", g: vm.X86_32, level: 2, entry: vm.MakePTE(0, intermediate|vm.PTEHuge), steps: 1},
		{name: "leaf frame beyond 39 bits", g: g39, level: 1, entry: vm.MakePTE(1<<27, vm.PTEPresent), steps: 4},
		{name: "table frame beyond 39 bits", g: g39, level: 3, entry: vm.MakePTE(1<<27, intermediate), steps: 2},
		{name: "textbook frame beyond 16 bits", g: vm.Textbook, level: 1, entry: vm.MakePTE(1<<10, vm.PTEPresent), steps: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pt, mem, _ := newTestRadix(t, tt.g, 64, 64)
			va := vm.VAddr(3) << tt.g.OffsetBits
			if err := pt.Map(vm.Mapping{VA: va, PFN: 5, Size: tt.g.PageSize(), Perm: vm.PermRead}); err != nil {
				t.Fatalf("Map: %v", err)
			}
			w, _ := pt.Walk(va)
			pa := w.Reads[int(tt.g.Levels)-tt.level]
			if tt.g.EntryBytes == 4 {
				_ = mem.WriteUint32(pa, uint32(tt.entry))
			} else {
				_ = mem.WriteUint64(pa, uint64(tt.entry))
			}
			w, err := pt.Walk(va)
			if !errors.Is(err, vm.ErrReservedBit) || w.Steps != tt.steps || w.Present() {
				t.Errorf("Walk(%v) with %v at level %d = %v, %v; want a partial walk of %d steps and ErrReservedBit",
					va, tt.entry, tt.level, w, err, tt.steps)
			}
		})
	}
}

func TestRadixNonCanonicalWalk(t *testing.T) {
	pt, _, _ := newTestRadix(t, vm.X86_64, 8, 8)
	for _, va := range []vm.VAddr{0x8000_0000_0000, 0xffff_7fff_ffff_f000, 0x0001_0000_0000_0000} {
		if w, err := pt.Walk(va); !errors.Is(err, vm.ErrNonCanonical) || w.Steps != 0 {
			t.Errorf("Walk(%v) = %v, %v; want no reads and ErrNonCanonical", va, w, err)
		}
	}
	for _, va := range []vm.VAddr{0x7fff_ffff_ffff, 0xffff_8000_0000_0000, 0xffff_ffff_ffff_f000} {
		if w, err := pt.Walk(va); err != nil || w.Steps != 1 {
			t.Errorf("Walk(%v) = %v, %v; want one read of a non-present PML4 entry", va, w, err)
		}
	}
}

func TestRadixHugeAndMappingsOrder(t *testing.T) {
	pt, _, fl := newTestRadix(t, vm.X86_64, 64, 64)
	free := fl.FreeFrames()
	ms := []vm.Mapping{
		{VA: 0xffff_8000_0000_0000, PFN: 0x4_0000, Size: vm.Size1G, Perm: vm.PermRW, Global: true},
		{VA: 0x7fff_ffff_f000, PFN: 7, Size: vm.Size4K, Perm: user(vm.PermRW)},
		{VA: 0x20_0000, PFN: 0x200, Size: vm.Size2M, Perm: user(vm.PermRX)},
		{VA: 0x1000, PFN: 3, Size: vm.Size4K, Perm: vm.PermRead},
	}
	for _, m := range ms {
		if err := pt.Map(m); err != nil {
			t.Fatalf("Map(%v) = %v", m, err)
		}
	}
	want := []vm.Mapping{ms[3], ms[2], ms[1], ms[0]}
	if got := slices.Collect(pt.Mappings()); !slices.Equal(got, want) {
		t.Errorf("Mappings() = %v, want %v", got, want)
	}
	w, err := pt.Walk(0x3f_fabc)
	if err != nil || w.Steps != 3 || w.Size != vm.Size2M || !w.Leaf().Has(vm.PTEHuge) {
		t.Errorf("Walk(0x3ffabc) = %v, %v; want a 3-step walk to a 2M leaf with PS", w, err)
	}
	w, err = pt.Walk(0xffff_8000_1234_5678)
	if err != nil || w.Steps != 2 || w.Size != vm.Size1G || !w.Leaf().Has(vm.PTEGlobal) {
		t.Errorf("Walk(0xffff800012345678) = %v, %v; want a 2-step walk to a global 1G leaf", w, err)
	}
	for _, m := range ms {
		if got, err := pt.Unmap(m.VA + vm.VAddr(m.Size) - 1); err != nil || got != m {
			t.Errorf("Unmap(last byte of %v) = %v, %v; want the mapping", m, got, err)
		}
	}
	if pt.TablePages() != 1 || fl.FreeFrames() != free {
		t.Errorf("after unmapping all: TablePages() = %d, FreeFrames() = %d; want 1, %d", pt.TablePages(), fl.FreeFrames(), free)
	}
	if err := pt.Free(); err != nil || fl.FreeFrames() != free+1 {
		t.Errorf("Free() = %v, FreeFrames() = %d; want nil, %d", err, fl.FreeFrames(), free+1)
	}
	if _, err := pt.Walk(0); err == nil {
		t.Errorf("Walk after Free = nil error, want an error")
	}
}

func TestRadixFreeReleasesEverything(t *testing.T) {
	pt, _, fl := newTestRadix(t, vm.X86_64_5Level, 64, 64)
	for i := range 10 {
		m := vm.Mapping{VA: vm.VAddr(i) << 39, PFN: 1, Size: vm.Size4K, Perm: vm.PermRead}
		if err := pt.Map(m); err != nil {
			t.Fatalf("Map(%v) = %v", m, err)
		}
	}
	if err := pt.Free(); err != nil || fl.FreeFrames() != 64 || pt.TablePages() != 0 {
		t.Errorf("Free() = %v; FreeFrames() = %d, TablePages() = %d; want nil, 64, 0", err, fl.FreeFrames(), pt.TablePages())
	}
}

func TestRadixMarkAccessedAndProtect(t *testing.T) {
	pt, _, _ := newTestRadix(t, vm.X86_32, 8, 8)
	m := vm.Mapping{VA: 0xbfff_f000, PFN: 0x42, Size: vm.Size4K, Perm: user(vm.PermRW)}
	if err := pt.Map(m); err != nil {
		t.Fatalf("Map(%v) = %v", m, err)
	}
	if err := pt.MarkAccessed(0xbfff_f010, false); err != nil {
		t.Fatalf("MarkAccessed(read) = %v", err)
	}
	w, _ := pt.Walk(0xbfff_f010)
	if !w.Entries[0].Has(vm.PTEAccessed) || !w.Leaf().Has(vm.PTEAccessed) || w.Leaf().Has(vm.PTEDirty) {
		t.Errorf("after a read: %v; want A on both levels, no D", w)
	}
	// x86-32 has no NX: every page is executable.
	if want := user(vm.PermRWX); w.Perm != want {
		t.Errorf("Walk.Perm = %v, want %v", w.Perm, want)
	}
	if err := pt.Protect(0xbfff_f000, vm.PermRead); err != nil {
		t.Fatalf("Protect = %v", err)
	}
	if err := pt.MarkAccessed(0xbfff_f010, true); err != nil {
		t.Fatalf("MarkAccessed(write) = %v", err)
	}
	w, _ = pt.Walk(0xbfff_f010)
	if !w.Leaf().Has(vm.PTEDirty|vm.PTEAccessed) || w.Perm != vm.PermRX || w.Leaf().PFN() != 0x42 {
		t.Errorf("after Protect(r---) and a write: %v; want pfn 0x42 A D r-x-", w)
	}
	if err := pt.MarkAccessed(0x1000, false); !errors.Is(err, vm.ErrNotMapped) {
		t.Errorf("MarkAccessed(unmapped) = %v, want ErrNotMapped", err)
	}
	if err := pt.Protect(0x1000, vm.PermRead); !errors.Is(err, vm.ErrNotMapped) {
		t.Errorf("Protect(unmapped) = %v, want ErrNotMapped", err)
	}
}

func TestNewRadixErrors(t *testing.T) {
	mem, _ := phys.NewMemory(4, vm.Size4K)
	fl, _ := phys.NewFreeList(4)
	bad := vm.X86_64
	bad.LevelBits[0] = 10
	tests := []struct {
		name   string
		g      vm.Geometry
		mem    vm.PhysMem
		frames vm.FrameAllocator
		want   error
	}{
		{name: "index bits do not add up", g: bad, mem: mem, frames: fl, want: vm.ErrInvalidConfig},
		{name: "frame size mismatch", g: vm.Textbook, mem: mem, frames: fl, want: vm.ErrInvalidConfig},
		{name: "nil memory", g: vm.X86_64, frames: fl, want: vm.ErrInvalidConfig},
		{name: "zero geometry", mem: mem, frames: fl, want: vm.ErrInvalidConfig},
	}
	for _, tt := range tests {
		if _, err := NewRadix(tt.g, tt.mem, tt.frames); !errors.Is(err, tt.want) {
			t.Errorf("%s: NewRadix(%v) = %v, want %v", tt.name, tt.g, err, tt.want)
		}
	}
	empty, _ := phys.NewFreeList(1)
	_, _ = empty.Alloc()
	if _, err := NewRadix(vm.X86_64, mem, empty); !errors.Is(err, vm.ErrOutOfMemory) {
		t.Errorf("NewRadix with no free frame = %v, want ErrOutOfMemory", err)
	}
}

func TestRadixWalkAllocatesNothing(t *testing.T) {
	pt, _, _ := newTestRadix(t, vm.X86_64, 16, 16)
	_ = pt.Map(vm.Mapping{VA: 0x40_0000, PFN: 9, Size: vm.Size4K, Perm: vm.PermRead})
	if n := testing.AllocsPerRun(100, func() { _, _ = pt.Walk(0x40_0123) }); n != 0 {
		t.Errorf("Walk allocates %v times per call, want 0", n)
	}
	if n := testing.AllocsPerRun(100, func() { _, _ = pt.Walk(0x7f_0000_0000) }); n != 0 {
		t.Errorf("Walk of an unmapped address allocates %v times per call, want 0", n)
	}
	if n := testing.AllocsPerRun(100, func() { _ = pt.MarkAccessed(0x40_0123, true) }); n != 0 {
		t.Errorf("MarkAccessed allocates %v times per call, want 0", n)
	}
}

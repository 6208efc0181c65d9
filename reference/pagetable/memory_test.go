package pagetable

import (
	"testing"

	"github.com/vmkata/vmkata/vm"
)

// TestTableMemory measures the claim that multi-level tables save memory: a
// sparse process (code, heap, stack: 56 pages) against a flat table for the
// whole address space.
func TestTableMemory(t *testing.T) {
	tests := []struct {
		g          vm.Geometry
		stackTop   vm.VAddr
		radixPages int
		linear     uint64 // bytes a linear table needs: 2^(VABits-OffsetBits) * EntryBytes
	}{
		{g: vm.X86_64, stackTop: 0x8000_0000_0000, radixPages: 8, linear: 1 << 39},             // 512 GiB
		{g: vm.X86_64_5Level, stackTop: 0x100_0000_0000_0000, radixPages: 10, linear: 1 << 48}, // 256 TiB
		{g: vm.X86_32, stackTop: 0xc000_0000, radixPages: 3, linear: 4 << 20},
	}
	for _, tt := range tests {
		pt, _, _ := newTestRadix(t, tt.g, 64, 64)
		n := 0
		for _, r := range []struct {
			start vm.VAddr
			pages int
		}{{0x40_0000, 16}, {0x60_0000, 32}, {tt.stackTop - 8<<12, 8}} {
			for i := range r.pages {
				m := vm.Mapping{VA: r.start + vm.VAddr(i)<<12, PFN: vm.PFN(n), Size: vm.Size4K, Perm: vm.PermRW | vm.PermUser}
				if err := pt.Map(m); err != nil {
					t.Fatalf("%v: Map(%v) = %v", tt.g, m, err)
				}
				n++
			}
		}
		if got := pt.TablePages(); got != tt.radixPages {
			t.Errorf("%v: TablePages() for %d sparse pages = %d, want %d", tt.g, n, got, tt.radixPages)
		}
		if got, want := pt.TableBytes(), uint64(tt.radixPages)*4096; got != want {
			t.Errorf("%v: TableBytes() = %d, want %d", tt.g, got, want)
		}
		lin, err := NewLinear(tt.g)
		switch {
		case err == nil && lin.TableBytes() != tt.linear:
			t.Errorf("%v: linear TableBytes() = %d, want %d", tt.g, lin.TableBytes(), tt.linear)
		case err != nil && tt.linear <= MaxLinearEntries*uint64(tt.g.EntryBytes):
			t.Errorf("NewLinear(%v) = %v, want a table of %d bytes", tt.g, err, tt.linear)
		case err == nil && tt.linear > MaxLinearEntries*uint64(tt.g.EntryBytes):
			t.Errorf("NewLinear(%v) succeeded, want it refused: %d bytes", tt.g, tt.linear)
		}
		t.Logf("%v: %d pages mapped; radix %d bytes, linear %d bytes (%.0fx)",
			tt.g, n, pt.TableBytes(), tt.linear, float64(tt.linear)/float64(pt.TableBytes()))
	}
}

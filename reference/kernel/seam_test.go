package kernel

import (
	"errors"
	"fmt"
	"testing"

	"github.com/vmkata/vmkata/reference/faulthandler"
	"github.com/vmkata/vmkata/vm"
)

// scripted is a fault handler whose behaviour a test sets: step, when
// set, handles the fault; otherwise the reference handler does.
type scripted struct {
	step func(ctx vm.FaultContext, f *vm.Fault, verdict vm.Verdict) error
}

func (s *scripted) HandleFault(ctx vm.FaultContext, f *vm.Fault, verdict vm.Verdict) error {
	if s.step != nil {
		return s.step(ctx, f, verdict)
	}
	return faulthandler.New().HandleFault(ctx, f, verdict)
}

var errGiveUp = errors.New("the handler gives up")

// TestMapPageSameFrame maps the frame a PTE already maps again, writable
// (a copy-on-write reuse done with MapPage): the frame must survive the
// replacement of its only PTE.
func TestMapPageSameFrame(t *testing.T) {
	h := &scripted{}
	k := newKernel(t, Config{Frames: 8, FaultHandler: h})
	pid, _ := k.Spawn(Image{Text: "/bin/app"})
	heap, _ := k.HeapStart(pid)
	if _, err := k.Brk(pid, heap+4096); err != nil {
		t.Fatal(err)
	}
	if err := k.Write(pid, heap, []byte("mine")); err != nil {
		t.Fatal(err)
	}
	child, _ := k.Fork(pid)
	if err := k.Exit(child); err != nil {
		t.Fatal(err)
	}
	h.step = func(ctx vm.FaultContext, f *vm.Fault, verdict vm.Verdict) error {
		info := ctx.Lookup(f.Addr)
		return ctx.MapPage(f.Addr, info.PTE.PFN(), verdict.VMA.Perm|vm.PermRead)
	}
	if err := k.Write(pid, heap+4, []byte("!")); err != nil {
		t.Fatalf("Write after the reuse = %v", err)
	}
	if got, err := k.Read(pid, heap, 5); err != nil || string(got) != "mine!" {
		t.Errorf("Read = %q, %v; want \"mine!\"", got, err)
	}
	mustCheck(t, k, "mapping the same frame again")
}

// TestFaultReturnsUnmappedFrames lets a handler give up after NewPage, and
// after NewPage and SwapIn: the kernel takes the frame back, and a page
// read from swap goes back to swap, so nothing leaks and nothing is lost.
func TestFaultReturnsUnmappedFrames(t *testing.T) {
	for _, swapIn := range []bool{false, true} {
		t.Run(fmt.Sprintf("swap-in %v", swapIn), func(t *testing.T) {
			h := &scripted{}
			k := newKernel(t, Config{Frames: 4, SwapSlots: 16, FaultHandler: h})
			pid, _ := k.Spawn(Image{Text: "/bin/app"})
			heap, _ := k.HeapStart(pid)
			if _, err := k.Brk(pid, heap+8*4096); err != nil {
				t.Fatal(err)
			}
			for i := range 8 {
				if err := k.Write(pid, heap+vm.VAddr(i*4096), []byte{byte('a' + i)}); err != nil {
					t.Fatal(err)
				}
			}
			victim := heap
			for ; victim < heap+8*4096; victim += 4096 {
				if info, _ := k.PageInfo(pid, victim); info.State == vm.PageSwapped {
					break
				}
			}
			before := k.Stats()
			h.step = func(ctx vm.FaultContext, f *vm.Fault, verdict vm.Verdict) error {
				pfn, err := ctx.NewPage()
				if err != nil {
					return err
				}
				if swapIn {
					if err := ctx.SwapIn(f.Addr, pfn); err != nil {
						return err
					}
				}
				return errGiveUp
			}
			if _, err := k.Read(pid, victim, 1); !errors.Is(err, errGiveUp) {
				t.Fatalf("Read = %v, want %v", err, errGiveUp)
			}
			mustCheck(t, k, "the handler gave up")
			if info, _ := k.PageInfo(pid, victim); info.State != vm.PageSwapped {
				t.Errorf("PageInfo(%d, %v) = %v after the handler gave up, want the page back in swap", pid, victim, info.State)
			}
			if after := k.Stats(); after.FreeFrames != before.FreeFrames+1 {
				t.Errorf("FreeFrames went from %d to %d, want one more: NewPage evicted a page, and the frame came back", before.FreeFrames, after.FreeFrames)
			}
			h.step = nil
			want := byte('a' + (victim-heap)/4096)
			if got, err := k.Read(pid, victim, 1); err != nil || got[0] != want {
				t.Errorf("Read(%v) = %q, %v; want %q", victim, got, err, want)
			}
			mustCheck(t, k, "the read")
		})
	}
}

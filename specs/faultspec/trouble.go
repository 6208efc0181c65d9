package faultspec

import (
	"errors"
	"fmt"

	"github.com/vmkata/vmkata/vm"
)

// service names a vm.FaultContext service the rig can refuse.
type service string

// The services a handler reaches that can fail: the allocation points
// (NewPage, FilePage for a page-cache frame, MapPage for a page-table
// frame) and the changes a kernel may refuse (SwapIn, ProtectPage).
const (
	svcNewPage     service = "NewPage"
	svcFilePage    service = "FilePage"
	svcSwapIn      service = "SwapIn"
	svcMapPage     service = "MapPage"
	svcProtectPage service = "ProtectPage"
)

// garbage is what every frame NewPage hands out holds before the handler
// fills it: a recycled frame keeps another page's bytes.
var garbage = []byte{0xde, 0xad, 0xbe, 0xef}

// trouble is what a rig does to the services the handler under test
// calls. Every frame NewPage returns is filled with garbage first, so a
// handler that forgets to clear or fill it shows it at once. When armed,
// the nth call of one service fails with an injected error: out of memory
// (wrapping vm.ErrOutOfMemory) for an allocation point, a refusal for
// SwapIn and ProtectPage; the service then does nothing.
type trouble struct {
	mem   vm.PhysMem
	armed service
	nth   int
	calls int
	fired error // the error injected, once it was
}

// arm makes the nth call (from 1) of s fail.
func (tr *trouble) arm(s service, nth int) { tr.armed, tr.nth, tr.calls, tr.fired = s, nth, 0, nil }

// refuse counts a call of s and returns the injected error if it is the
// armed one.
func (tr *trouble) refuse(s service) error {
	if tr.armed != s {
		return nil
	}
	tr.calls++
	if tr.calls != tr.nth {
		return nil
	}
	tr.armed = ""
	switch s {
	case svcSwapIn:
		tr.fired = errors.New("swap device: read error (injected by the spec)")
	case svcProtectPage:
		tr.fired = errors.New("protect refused (injected by the spec)")
	default:
		tr.fired = fmt.Errorf("%s: no frame left (injected by the spec): %w", s, vm.ErrOutOfMemory)
	}
	return tr.fired
}

// scribble fills frame pfn with garbage.
func (tr *trouble) scribble(pfn vm.PFN) {
	size := uint64(tr.mem.FrameSize())
	buf := make([]byte, size)
	for i := range buf {
		buf[i] = garbage[i%len(garbage)]
	}
	if err := tr.mem.Write(vm.PAddr(uint64(pfn)*size), buf); err != nil {
		panic(fmt.Sprintf("faultspec: scribbling over %v: %v", pfn, err))
	}
}

// troubled is the handler under test, handed a context in trouble.
type troubled struct {
	h  vm.FaultHandler
	tr *trouble
}

func (t troubled) HandleFault(ctx vm.FaultContext, f *vm.Fault, verdict vm.Verdict) error {
	return t.h.HandleFault(troubledContext{ctx, t.tr}, f, verdict)
}

// troubledContext is a kernel's context with the rig's trouble added.
type troubledContext struct {
	vm.FaultContext
	tr *trouble
}

func (c troubledContext) NewPage() (vm.PFN, error) {
	if err := c.tr.refuse(svcNewPage); err != nil {
		return 0, err
	}
	pfn, err := c.FaultContext.NewPage()
	if err == nil {
		c.tr.scribble(pfn)
	}
	return pfn, err
}

func (c troubledContext) FilePage(v vm.VMA, va vm.VAddr) (vm.PFN, error) {
	if err := c.tr.refuse(svcFilePage); err != nil {
		return 0, err
	}
	return c.FaultContext.FilePage(v, va)
}

func (c troubledContext) SwapIn(va vm.VAddr, pfn vm.PFN) error {
	if err := c.tr.refuse(svcSwapIn); err != nil {
		return err
	}
	return c.FaultContext.SwapIn(va, pfn)
}

func (c troubledContext) MapPage(va vm.VAddr, pfn vm.PFN, perm vm.Perm) error {
	if err := c.tr.refuse(svcMapPage); err != nil {
		return err
	}
	return c.FaultContext.MapPage(va, pfn, perm)
}

func (c troubledContext) ProtectPage(va vm.VAddr, perm vm.Perm) error {
	if err := c.tr.refuse(svcProtectPage); err != nil {
		return err
	}
	return c.FaultContext.ProtectPage(va, perm)
}

package kernel

import (
	"fmt"

	"github.com/vmkata/vmkata/vm"
)

// handleFault is the kernel's entry for a page fault (Linux's
// do_page_fault): it counts the fault, tells it, decides step 1 once
// (classify: the verdict), and hands fault and verdict to
// Config.FaultHandler (reference/faulthandler unless a learner's handler
// takes its place) with a faultContext whose services do the work of the
// other steps (the five steps are vm.FaultHandler's).
//
// A PROT_NONE page made accessible again (a lazy verdict on a hidden
// page) is restored by the kernel itself: its bookkeeping is the
// kernel's, not the handler's. A fault the handler resolves is counted
// here, once: major if it read a swap slot or a file page, minor
// otherwise. It returns nil, or the *SignalError that killed the process,
// or the handler's error (out of memory with nothing left to kill, a
// refused service).
func (k *Kernel) handleFault(p *Process, f *vm.Fault) error {
	k.stats.Faults++
	if k.observing() {
		e := ev(EvFault, p.pid, f.Addr)
		e.Detail = f.Error()
		k.emit(e)
	} else {
		k.seq++
	}
	verdict := k.classify(p, f.Addr, f.Access)
	va := k.pageAlign(f.Addr)
	if pfn, ok := p.hidden[k.vpnOf(va)]; ok && verdict.Kind == vm.VerdictLazy {
		delete(p.hidden, k.vpnOf(va))
		k.dropMappingKeep(pfn, p, va)
		k.stats.MinorFaults++
		return k.mapPTE(p, va, pfn, k.sharePerm(verdict.VMA, pfn))
	}
	c := &faultContext{k: k, p: p, f: f, verdict: verdict}
	err := k.cfg.FaultHandler.HandleFault(c, f, verdict)
	c.end()
	if err != nil {
		return err
	}
	if c.major {
		k.stats.MajorFaults++
	} else {
		k.stats.MinorFaults++
	}
	return nil
}

// classify is Config.ClassifyFault (default heapstack.ClassifyFault) on
// p's VMAs with the kernel's page size and stack rules (Config.StackLimit
// and GuardGap): step 1 of the fault handler, decided once per fault.
func (k *Kernel) classify(p *Process, va vm.VAddr, a vm.Access) vm.Verdict {
	return k.cfg.ClassifyFault(p.vmas, k.geo.PageSize(), va, a, vm.Stack{Limit: k.cfg.StackLimit, GuardGap: k.cfg.GuardGap})
}

// growStack grows the grows-down VMA above va down to va's page, once
// classify has found that it may (the VMA set's Grow enforces the same
// limit and guard gap), and counts the growth.
func (k *Kernel) growStack(p *Process, va vm.VAddr) (vm.VMA, error) {
	v, err := p.vmas.Grow(va, k.cfg.StackLimit, k.cfg.GuardGap)
	if err != nil {
		return vm.VMA{}, err
	}
	k.stats.StackGrowths++
	if k.observing() {
		e := ev(EvStackGrow, p.pid, k.pageAlign(va))
		e.Detail = fmt.Sprintf("stack grew down to %v (now %v)", k.pageAlign(va), v.Range)
		k.emit(e)
	}
	return v, nil
}

// sharePerm is the permission for mapping an existing frame in VMA v: the
// VMA's for a shared mapping or for an anonymous page no one else maps;
// otherwise without write, so that a write faults and copies.
func (k *Kernel) sharePerm(v vm.VMA, pfn vm.PFN) vm.Perm {
	n, _ := k.refs.Get(pfn)
	if v.Shared || (k.frames[pfn].kind == pageAnon && n == 0) {
		return ptePerm(v)
	}
	return ptePerm(v) &^ vm.PermWrite
}

// segvCode is the si_code and reason of a SIGSEGV for verdict: the
// verdict kind names the code. A verdict that is no SIGSEGV (a handler's
// mistake) kills with SEGV_ACCERR, and the reason says so.
func segvCode(verdict vm.Verdict) (SignalCode, string) {
	switch verdict.Kind {
	case vm.VerdictMapErr:
		return SegvMapErr, verdict.Reason
	case vm.VerdictAccErr:
		return SegvAccErr, verdict.Reason
	}
	return SegvAccErr, fmt.Sprintf("the fault handler raised SIGSEGV on a %v verdict", verdict.Kind)
}

// dropMappingKeep forgets a hidden mapping without freeing the frame (the
// caller maps it again at once).
func (k *Kernel) dropMappingKeep(pfn vm.PFN, p *Process, va vm.VAddr) {
	k.frames[pfn].pinned++
	_, _ = k.refs.Inc(pfn)
	k.dropMapping(pfn, p, va)
	_, _ = k.refs.Dec(pfn)
	k.frames[pfn].pinned--
}

// signal delivers a fatal signal to p for fault f: the process is killed
// (its memory freed) and the error describing why is returned, and kept
// for every later call naming p.
func (k *Kernel) signal(p *Process, sig Signal, code SignalCode, f *vm.Fault, reason string) error {
	se := &SignalError{Pid: p.pid, Signal: sig, Code: code, Addr: f.Addr, Access: f.Access, Reason: reason}
	t := EvSegv
	if sig == SIGBUS {
		t = EvSigbus
		k.stats.Sigbus++
	} else {
		k.stats.Segv++
	}
	if k.observing() {
		e := ev(t, p.pid, f.Addr)
		e.Detail = fmt.Sprintf("%v (%v): %s; pid %d killed", sig, code, reason, p.pid)
		k.emit(e)
	}
	k.destroy(p, fmt.Errorf("kernel: pid %d died: %w", p.pid, se))
	return se
}

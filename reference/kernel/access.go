package kernel

import (
	"errors"
	"fmt"

	"github.com/vmkata/vmkata/vm"
)

// maxRetries bounds how often one access is restarted after its fault was
// handled; a handler that leaves the page unusable is a bug, reported as an
// error instead of an endless loop.
const maxRetries = 4

// Read reads n bytes at va in process pid, as the process's own loads
// would: on the CPU the process runs on (switched in if it runs nowhere),
// page by page through that CPU's MMU (TLB, then page walk); a page fault
// goes to the page-fault handler and the access restarts. A fatal fault
// kills the process and returns its *SignalError.
func (k *Kernel) Read(pid int, va vm.VAddr, n int) ([]byte, error) {
	out := make([]byte, n)
	if err := k.access(pid, va, out, vm.UserRead); err != nil {
		return nil, err
	}
	return out, nil
}

// Write writes data at va in process pid, as the process's own stores
// would (see Read).
func (k *Kernel) Write(pid int, va vm.VAddr, data []byte) error {
	return k.access(pid, va, data, vm.UserWrite)
}

// Fetch reads n bytes at va as instruction fetches (execute permission).
func (k *Kernel) Fetch(pid int, va vm.VAddr, n int) ([]byte, error) {
	out := make([]byte, n)
	if err := k.access(pid, va, out, vm.UserExec); err != nil {
		return nil, err
	}
	return out, nil
}

// access moves buf to or from memory at va, one page piece at a time.
func (k *Kernel) access(pid int, va vm.VAddr, buf []byte, a vm.Access) error {
	p, err := k.process(pid)
	if err != nil {
		return err
	}
	if end := va + vm.VAddr(len(buf)); end < va {
		return fmt.Errorf("kernel: pid %d: access of %d bytes at %v wraps around: %w", pid, len(buf), va, ErrInvalid)
	}
	for done := 0; done < len(buf); {
		at := va + vm.VAddr(done)
		n := min(len(buf)-done, int(k.pageSize-uint64(at)%k.pageSize))
		pa, err := k.translate(p, at, a)
		if err != nil {
			return err
		}
		mem := k.pageBytes(vm.PFN(uint64(pa) >> k.geo.OffsetBits))
		off := uint64(pa) % k.pageSize
		if a.Kind == vm.Write {
			copy(mem[off:off+uint64(n)], buf[done:done+n])
		} else {
			copy(buf[done:done+n], mem[off:off+uint64(n)])
		}
		done += n
	}
	return nil
}

// translate runs the MMU of p's CPU on va, handling faults and restarting,
// and tells the replacement policy of the reference (a simulation luxury:
// real hardware reports references only through the A bits, which the
// bit-reading policies use instead), once per reference: a page a fault
// just brought in was reported as it got its frame, so the restarted
// access does not report it again.
func (k *Kernel) translate(p *Process, va vm.VAddr, a vm.Access) (vm.PAddr, error) {
	k.hasLoaded = false
	defer func() { k.hasLoaded = false }()
	for range maxRetries {
		c, err := k.runOn(p)
		if err != nil {
			return 0, err
		}
		pa, err := c.mmu.Translate(va, a)
		if err == nil {
			pfn := vm.PFN(uint64(pa) >> k.geo.OffsetBits)
			if pfn != zeroPFN {
				if id := k.frames[pfn].id; !k.hasLoaded || id != k.loaded {
					k.policy.Access(id, a.Kind == vm.Write)
				}
			}
			return pa, nil
		}
		var f *vm.Fault
		if !errors.As(err, &f) {
			return 0, fmt.Errorf("kernel: pid %d: translating %v: %w", p.pid, va, err)
		}
		if f.Kind == vm.FaultNonCanonical {
			return 0, k.signal(p, SIGSEGV, SegvMapErr, f, "non-canonical address (#GP)")
		}
		if err := k.handleFault(p, f); err != nil {
			return 0, err
		}
	}
	return 0, fmt.Errorf("kernel: pid %d: %v still faults after %d restarts: %w", p.pid, va, maxRetries, vm.ErrInvalidConfig)
}

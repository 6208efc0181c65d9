package kernel

import "github.com/vmkata/vmkata/vm"

// PageInfo reports what process pid holds for the page containing va, as
// Linux's /proc/PID/pagemap would: a present PTE (with the frame's reference
// count: the mappings sharing it, plus one for a page-cache page or the
// zero page), a swap entry, or nothing yet. It changes nothing: no fault,
// no TLB lookup, no reference bit. A page of a PROT_NONE range reports
// PageNone (its PTE is gone; the frame is kept aside). Tools use it to show
// copy-on-write sharing; the fault handler sees the same through
// vm.FaultContext.Lookup.
func (k *Kernel) PageInfo(pid int, va vm.VAddr) (vm.PageInfo, error) {
	p, err := k.process(pid)
	if err != nil {
		return vm.PageInfo{}, err
	}
	return (&faultContext{k: k, p: p}).Lookup(va), nil
}
